/**
 * The README's first command, end to end, in every engine the suite tests ($BROWSERS, default all three): the demo
 * portal with the whole local stack, two people on separate devices chatting through the built widget. Key setup
 * with a backup, messages both ways, an edit, a thread, a file, a reload, a lock and the portal's sign-in again to
 * unlock, and a restore on a second device.
 * Each step acts in the page (see devices.ts), so the same flow runs in Chromium, Firefox and WebKit.
 * Needs `npm run build` first (npm test does it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectingAuditSink } from '../../api/src/audit.js';
import { generateDevSecrets } from '../dev/dev-secrets.js';
import { launchDevices, type Device, type Devices } from '../dev/devices.js';
import { selectedEngines } from '../dev/find-browsers.mjs';
import { LocalStack } from '../dev/local-stack.js';
import { findPersona, peersClaim } from './personas.js';
import { startPortal } from './server.js';

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/**
 * Page-side helpers, as source text: the page runs them, not Node (the test's own functions are transpiled and
 * would not survive being stringified into another engine).
 */
const PAGE = `
  const chat = () => document.querySelector('secure-chat');
  const root = () => chat()?.shadowRoot;
  const waitFor = async (what, check, timeout = 30000) => {
    const start = Date.now();
    for (;;) {
      const value = check();
      if (value) return value;
      if (Date.now() - start > timeout) throw new Error('timed out waiting for ' + what);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const heading = () => root()?.querySelector('h2')?.textContent ?? '';
  const button = (text) =>
    [...(root()?.querySelectorAll('button') ?? [])].find((b) => b.textContent.trim() === text);
  const click = async (text) => (await waitFor('button ' + text, () => button(text))).click();
  const fill = (name, value) => {
    const input = root().querySelector('input[name="' + name + '"]');
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const ready = () => waitFor('the conversation (status ' + chat()?.status + ')', () => chat()?.status === 'ready', 60000);
  const message = (id) => root()?.querySelector('[data-id="' + id + '"]');
  const textOf = (id) => message(id)?.querySelector('.text')?.textContent ?? '';
`;

/** Runs `body` (statements ending in `return`) in the page, with the helpers above. */
const inPage = <T = unknown>(device: Device, body: string) =>
  device.evaluate<T>(`(async () => { ${PAGE}\n${body} })()`);

const PASSWORD = 'correct horse battery staple';

for (const engine of selectedEngines()) {
  describe(`demo portal (npm start) in ${engine}`, () => {
    let dataDir: string;
    let stack: LocalStack;
    let portal: Awaited<ReturnType<typeof startPortal>>;
    let devices: Devices;

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'secure-chat-portal-'));
      const portalPort = await freePort();
      stack = await LocalStack.start({
        dataDir,
        secrets: generateDevSecrets(),
        allowedOrigins: [`http://127.0.0.1:${portalPort}`],
        audit: collectingAuditSink(),
      });
      portal = await startPortal({
        port: portalPort,
        apiUrl: stack.apiUrl,
        streamUrl: stack.streamUrl,
        streamCdnUrl: stack.streamCdnUrl,
        virgilUrl: stack.virgilUrl,
        widgetDir: resolve('dist/widget'),
        mintSessionToken: ({ sub }) => {
          const persona = findPersona(sub)!;
          return stack.mintSessionToken({ sub, name: persona.name, peers: peersClaim(persona) });
        },
        inspect: () => stack.inspect(),
      });
      devices = await launchDevices(engine);
    }, 90_000);

    afterAll(async () => {
      await devices?.close();
      await portal?.close();
      await stack?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    /** Signs in on the portal's sign-in page and waits for the widget's first screen. */
    async function signIn(device: Device, sub: string): Promise<void> {
      await device.goto(`${portal.url}/`);
      await inPage(
        device,
        `const radio = await waitFor('persona ${sub}', () => document.querySelector('input[value="${sub}"]'));
         radio.checked = true;
         // Submit after answering: the navigation would cut the answer off.
         setTimeout(() => radio.form.requestSubmit());
         return true;`,
      );
      const deadline = Date.now() + 20_000;
      while (!(await device.url().catch(() => '')).endsWith('/messages.html')) {
        if (Date.now() > deadline) throw new Error(`${sub} was not signed in`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    const send = (device: Device, text: string, opts: object = {}) =>
      inPage<string>(device, `return chat().send(${JSON.stringify(text)}, ${JSON.stringify(opts)});`);

    const waitForText = (device: Device, id: string, text: string) =>
      inPage(
        device,
        `return waitFor('message ${id}', () => textOf(${JSON.stringify(id)}) === ${JSON.stringify(text)}, 60000)
           .catch((e) => {
             // Say what the message shows instead (a failure reason, a placeholder, or nothing at all).
             const shown = message(${JSON.stringify(id)})?.textContent?.replace(/\\s+/g, ' ').trim();
             throw new Error(e.message + ': it shows ' + JSON.stringify(shown?.slice(0, 200) ?? null));
           });`,
      );

    it('two people: backup, both ways, edit, thread, file, reload, lock and sign-in again, restore on a second device', async () => {
      const stamp = Date.now();
      const plain = {
        question: `My knee still hurts after the injection (${stamp})`,
        answer: `Please come in on Thursday at 10am (${stamp})`,
        edited: `My knee still hurts after the second injection (${stamp})`,
        thread: `Should I keep the bandage on? (${stamp})`,
        file: `knee-photo-notes-${stamp}.txt`,
        long: `Discharge notes (${stamp}): ${'rest, ice and elevation. '.repeat(250)}`,
      };

      // The patient sets up her key with a password backup; the clinician skips it.
      const ana = await devices.open();
      await signIn(ana, 'patient-ana');
      await inPage(
        ana,
        `await waitFor('key screen', () => /key is ready/.test(heading()), 60000);
         fill('password', ${JSON.stringify(PASSWORD)});
         fill('confirm', ${JSON.stringify(PASSWORD)});
         await click('Save backup');
         return ready();`,
      );
      const lee = await devices.open();
      await signIn(lee, 'clinician-lee');
      await inPage(
        lee,
        `await waitFor('key screen', () => /key is ready/.test(heading()), 60000);
         await click('Skip for now');
         await click('Continue without a backup');
         return ready();`,
      );

      // Both ways, then an edit and a reply in a thread that the clinician opens from the message.
      const question = await send(ana, plain.question);
      await waitForText(lee, question, plain.question);
      const answer = await send(lee, plain.answer);
      await waitForText(ana, answer, plain.answer);

      // A long message goes up as an attachment and is read from the stand-in's CDN origin, which the CSP lists.
      const home = await fetch(`${portal.url}/messages.html`);
      expect(home.headers.get('content-security-policy')).toContain(new URL(stack.streamCdnUrl).origin);
      const long = await send(lee, plain.long);
      await waitForText(ana, long, plain.long);
      await inPage(ana, `return chat().edit(${JSON.stringify(question)}, ${JSON.stringify(plain.edited)});`);
      await waitForText(lee, question, plain.edited);
      const reply = await send(ana, plain.thread, { parentId: question });
      await inPage(
        lee,
        `const repliesButton = await waitFor('replies button', () =>
           [...(message(${JSON.stringify(question)})?.querySelectorAll('button') ?? [])]
             .find((b) => /Replies \\(1\\)/.test(b.textContent)));
         repliesButton.click();
         const node = await waitFor('thread reply', () => message(${JSON.stringify(reply)}));
         if (!node.closest('[part~="thread"]')) throw new Error('the reply is not in the thread view');
         return waitFor('reply text', () => textOf(${JSON.stringify(reply)}) === ${JSON.stringify(plain.thread)});`,
      );

      // A file through the attach input and Send; the clinician gets a download button for it.
      await inPage(
        ana,
        `const input = root().querySelector('input[type="file"]');
         const files = new DataTransfer();
         files.items.add(new File(['swelling went down, photo notes'], ${JSON.stringify(plain.file)}, { type: 'text/plain' }));
         input.files = files.files;
         input.dispatchEvent(new Event('change', { bubbles: true }));
         // Chosen files wait as chips in the composer and go with the next Send.
         await waitFor('staged file', () =>
           [...root().querySelectorAll('[part~="staged-file"]')].some((c) => c.textContent.includes(${JSON.stringify(plain.file)})));
         input.closest('form').querySelector('[part~="send-button"]').click();
         return true;`,
      );
      await inPage(
        lee,
        `return waitFor('file on the clinician side', () =>
           [...root().querySelectorAll('[part~="download-button"]')].some((b) => b.textContent.includes(${JSON.stringify(plain.file)})),
           60000);`,
      );

      // A reload opens the conversation again from this device's stored key, history decrypted.
      await ana.reload();
      await inPage(
        ana,
        `await ready(); return waitFor('history', () => textOf(${JSON.stringify(answer)}) === ${JSON.stringify(plain.answer)});`,
      );

      // The portal locks the widget: the decrypted messages leave the screen.
      await inPage(
        ana,
        `chat().lock();
         await waitFor('lock screen', () => chat().status === 'locked');
         if (root().textContent.includes(${JSON.stringify(plain.answer)})) throw new Error('plaintext left on screen');
         return true;`,
      );

      // Unlocking is a re-authentication: the widget asks the portal, which shows its sign-in again. Cancelling
      // keeps the lock; signing in again gives the widget a fresh token and the history decrypts again.
      await inPage(
        ana,
        `await click('Sign in again');
         const dialog = await waitFor('the portal sign-in', () => document.querySelector('#sign-in-again[open]'));
         dialog.querySelector('#sign-in-again-cancel').click();
         await waitFor('the failure on the locked screen', () => root().querySelector('[part~="locked"] [role="alert"]'));
         if (chat().status !== 'locked') throw new Error('unlocked without signing in');
         await click('Sign in again');
         await waitFor('the portal sign-in again', () => document.querySelector('#sign-in-again[open]'));
         dialog.querySelector('input[value="patient-ana"]').checked = true;
         dialog.querySelector('button[type="submit"]').click();
         await ready();
         return waitFor('history after signing in again', () => textOf(${JSON.stringify(answer)}) === ${JSON.stringify(plain.answer)});`,
      );

      // A second device restores the key from the backup password and reads the history.
      const anaPhone = await devices.open();
      await signIn(anaPhone, 'patient-ana');
      await inPage(
        anaPhone,
        `await waitFor('restore screen', () => /Restore your/.test(heading()), 60000);
         fill('password', ${JSON.stringify(PASSWORD)});
         await click('Restore');
         await ready();
         return waitFor('history on the second device', () => textOf(${JSON.stringify(answer)}) === ${JSON.stringify(plain.answer)});`,
      );

      const seen = JSON.stringify(await (await fetch(`${portal.url}/portal/server-view.json`)).json());
      for (const secret of [
        ...Object.values(plain),
        'Ana García',
        'Dr. Lee Chen',
        'patient-ana',
        'clinician-lee',
      ]) {
        expect(seen).not.toContain(secret);
      }
      expect(seen).toContain('New secure message');
    }, 240_000);
  });
}
