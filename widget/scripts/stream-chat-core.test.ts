import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { rollup } from 'rollup';
import { describe, expect, it } from 'vitest';
import { streamChatCore } from './stream-chat-core.js';

// Node resolves the CommonJS build; the widget bundles the ES module next to it.
const streamChatPath = join(
  dirname(createRequire(import.meta.url).resolve('stream-chat')),
  '../esm/index.mjs',
);
const streamChat = readFileSync(streamChatPath, 'utf8');

/** Tree-shakes `source` as the widget's import of StreamChat would, and returns the kept code. */
async function bundleStreamChatClass(source: string): Promise<string> {
  const build = await rollup({
    input: 'entry',
    // Its own dependencies (axios, …) stay out: only what rollup keeps of stream-chat's module matters here.
    external: (id) => id !== 'entry' && id !== 'stream-chat',
    plugins: [
      {
        name: 'in-memory',
        resolveId: (id) => (id === 'entry' || id === 'stream-chat' ? id : null),
        load: (id) =>
          id === 'entry' ? 'export { StreamChat } from "stream-chat";' : id === 'stream-chat' ? source : null,
      },
    ],
    onwarn: () => {},
  });
  const { output } = await build.generate({ format: 'es' });
  return output[0].code;
}

describe('stream-chat without its UI SDK helpers (build-time trim)', () => {
  const { code, replaced } = streamChatCore(streamChat);

  it('points every use of the unused helpers at stand-ins', () => {
    for (const name of [
      'MessageComposer',
      'ThreadManager',
      'PollManager',
      'ReminderManager',
      'Thread',
      'Campaign',
    ])
      expect(replaced[name], name).toBeGreaterThan(0);
    expect(code).toContain('this.messageComposer = new SecureChatWithoutMessageComposer(');
    expect(code).toContain('this.threads = new SecureChatWithoutThreadManager(');
  });

  it('lets rollup drop them from what the widget imports, keeping the client and channels', async () => {
    const [before, after] = await Promise.all([
      bundleStreamChatClass(streamChat),
      bundleStreamChatClass(code),
    ]);
    for (const gone of [
      'attachmentManager',
      'pollComposer',
      'linkPreviewsManager',
      'isReminderWsEventPayload',
    ])
      expect([before.includes(gone), after.includes(gone)], gone).toEqual([true, false]);
    for (const kept of [
      'var StreamChat = class',
      'var Channel = class',
      'var ChannelState = class',
      'StableWSConnection',
    ])
      expect(after, kept).toContain(kept);
    expect(after.length).toBeLessThan(before.length * 0.75);
  });

  it('keeps esbuild-lowered static fields, now inside a pure function next to their class', () => {
    expect(code).toMatch(
      /var _MessageComposer = \/\* @__PURE__ \*\/ \(\(\) => \{\nconst _MessageComposer = class _MessageComposer[\s\S]*?_MessageComposer\.generateId = generateUUIDv4;\nreturn _MessageComposer;\n\}\)\(\);/,
    );
  });

  it('gives the constructors inert stand-ins and makes the unused factories throw', () => {
    const standIns = code.slice(0, code.indexOf('\n\n'));
    const evaluate = new Function(
      `${standIns}; return { SecureChatWithoutThreadManager, SecureChatWithoutThread };`,
    );
    const { SecureChatWithoutThreadManager, SecureChatWithoutThread } = evaluate() as Record<
      string,
      new () => object
    >;
    const threads = new SecureChatWithoutThreadManager!() as { threadsById: object; resetState(): void };
    expect(threads.threadsById).toEqual({});
    expect(() => threads.resetState()).not.toThrow();
    expect(() => new SecureChatWithoutThread!()).toThrow(/stream-chat's Thread is not bundled/);
  });

  it('fails the build when stream-chat no longer has what it was written for', () => {
    expect(() => streamChatCore(streamChat.replaceAll('ThreadManager', 'ThreadStore'))).toThrow(
      /stream-chat changed/,
    );
  });
});
