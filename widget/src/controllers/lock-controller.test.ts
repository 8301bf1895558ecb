// Unlocking after a lock is a re-authentication: the portal's hook, or this device's passkey, or nothing at all.
// DOM-free: a fake host stands in for the element.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { describe, expect, it } from 'vitest';
import type { LockCause } from '../core/audit.js';
import { SecureChatError } from '../core/errors.js';
import { LockController } from './lock-controller.js';

const settle = () => new Promise((r) => setTimeout(r, 0));

function setup(
  opts: {
    hook?: () => Promise<string>;
    passkey?: () => Promise<CryptoKey>;
  } = {},
) {
  const host: ReactiveControllerHost = {
    addController: (_c: ReactiveController) => undefined,
    removeController: () => undefined,
    requestUpdate: () => undefined,
    updateComplete: Promise.resolve(true),
  };
  const cleared: LockCause[] = [];
  let started = 0;
  const asked: string[] = [];
  let hook = opts.hook;
  const locks = new LockController(host, {
    reauthenticate: () => hook,
    passkeyFor: async (identity) => {
      asked.push(identity);
      return opts.passkey;
    },
    clear: (reason) => cleared.push(reason),
    start: async () => {
      started++;
    },
  });
  return {
    locks,
    cleared,
    asked,
    started: () => started,
    setHook: (h: typeof hook) => (hook = h),
  };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as SecureChatError,
  );

describe('LockController', () => {
  it('locks once and clears the session synchronously', () => {
    const { locks, cleared } = setup();
    expect(locks.lock('idle', 'u1')).toBe(true);
    expect(locks.locked).toBe(true);
    expect(cleared).toEqual(['idle']);
    expect(locks.lock('manual', 'u1')).toBe(false);
    expect(cleared).toEqual(['idle']);
  });

  it('without a hook or a passkey: no way to unlock here, and reconnect-style unlocks are refused', async () => {
    const { locks, started } = setup();
    locks.lock('logout', 'u1');
    expect(locks.state?.method).toBe('checking');
    await settle();
    expect(locks.state).toEqual({ reason: 'logout', method: 'none', working: false, failed: false });
    const error = await failure(locks.unlock());
    expect(error).toBeInstanceOf(SecureChatError);
    expect(error?.code).toBe('unauthorized');
    expect(locks.locked).toBe(true);
    expect(started()).toBe(0);
  });

  it("unlocks through the portal's hook and hands its fresh token to the new session's first request", async () => {
    const calls: string[] = [];
    const { locks, started } = setup({
      hook: async () => {
        calls.push('hook');
        return 'fresh-token';
      },
    });
    locks.lock('idle', 'u1');
    expect(locks.state?.method).toBe('portal');
    // Concurrent unlocks (a double click, reconnect()) share one sign-in.
    await Promise.all([locks.unlock(), locks.unlock()]);
    expect(calls).toEqual(['hook']);
    expect(locks.locked).toBe(false);
    expect(started()).toBe(1);
    let page = 0;
    const source = locks.tokenSource(
      () => Promise.resolve(`page-${++page}`),
      () => 'fixed',
    );
    expect(source()).toBe('fresh-token'); // POST /v1/session
    await expect(source()).resolves.toBe('page-1'); // later refreshes ask the page
    // Without getSessionToken, refreshes reuse the re-authentication's token rather than a fixed, older one.
    locks.lock('manual', 'u1');
    await locks.unlock();
    const noGetter = locks.tokenSource(
      () => undefined,
      () => 'fixed-from-before',
    );
    expect([noGetter(), noGetter()]).toEqual(['fresh-token', 'fresh-token']);
    // A session created without a re-authentication uses the page's tokens.
    expect(
      locks.tokenSource(
        () => undefined,
        () => 'fixed',
      )(),
    ).toBe('fixed');
  });

  it('stays locked, with an error, when the hook rejects or returns no token', async () => {
    const { locks, started, setHook } = setup({ hook: () => Promise.reject(new Error('cancelled')) });
    locks.lock('session-limit', 'u1');
    const error = await failure(locks.unlock());
    expect(error?.code).toBe('unauthorized');
    expect(error?.recoverable).toBe(true);
    expect(locks.state).toMatchObject({ method: 'portal', failed: true, working: false });
    setHook(async () => '');
    expect((await failure(locks.unlock()))?.code).toBe('unauthorized');
    expect(locks.locked).toBe(true);
    expect(started()).toBe(0);
    setHook(async () => 'token');
    await locks.unlock();
    expect(locks.locked).toBe(false);
  });

  it("with a passkey on this device's key and no hook, the passkey assertion is the re-authentication", async () => {
    const key = { type: 'secret' } as CryptoKey;
    let assertions = 0;
    const { locks, asked, started } = setup({
      passkey: async () => {
        assertions++;
        return key;
      },
    });
    locks.lock('idle', 'user-7');
    expect(asked).toEqual(['user-7']);
    await settle();
    expect(locks.state?.method).toBe('passkey');
    await locks.unlock();
    expect(assertions).toBe(1);
    expect(started()).toBe(1);
    // The new session unwraps with the derived key once; the page's token is used as usual.
    expect(locks.takePasskeyKey()).toBe(key);
    expect(locks.takePasskeyKey()).toBe(undefined);
    expect(
      locks.tokenSource(
        () => Promise.resolve('page'),
        () => undefined,
      )(),
    ).toBeInstanceOf(Promise);
  });

  it('a refused passkey keeps the lock', async () => {
    const { locks, started } = setup({
      passkey: () => Promise.reject(new DOMException('no', 'NotAllowedError')),
    });
    locks.lock('manual', 'u1');
    expect((await failure(locks.unlock()))?.code).toBe('unauthorized');
    expect(locks.state).toMatchObject({ method: 'passkey', failed: true });
    expect(started()).toBe(0);
  });
});
