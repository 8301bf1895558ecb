// The published package as a consumer gets it: `npm pack` (after `npm run build`), then publint, Are the Types
// Wrong, and a scratch project that installs the tarball (with React, for `secure-chat/react`) and type-checks against it.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../../demo/dev/find-browsers.mjs';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.html': 'text/html',
};

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = (name: string) => join(root, 'node_modules/.bin', name);
let dir: string;
let tarball: string;

beforeAll(() => {
  expect(existsSync(join(root, 'dist/widget/secure-chat.js')), 'run `npm run build` before the tests').toBe(
    true,
  );
  dir = mkdtempSync(join(tmpdir(), 'secure-chat-pack-'));
  // `npm test` has just built: skip `prepack`, which would build again.
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
    cwd: root,
  });
  tarball = join(dir, (JSON.parse(out.toString()) as [{ filename: string }])[0].filename);
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed package (npm run build first)', () => {
  it('ships the built entries, types, manifest and legal files, and nothing else at the top', () => {
    const list = execFileSync('tar', ['-tzf', tarball]).toString().split('\n');
    for (const file of [
      'LICENSE',
      'NOTICE',
      'CHANGELOG.md',
      'README.md',
      'custom-elements.json',
      'package.json',
    ])
      expect(list).toContain(`package/${file}`);
    for (const file of [
      'widget/secure-chat.js',
      'widget/index.js',
      'widget/react.js',
      'types/index.d.ts',
      'types/define.d.ts',
      'types/react.d.ts',
    ])
      expect(list).toContain(`package/dist/${file}`);
    expect(list.filter((file) => /^package\/(api|demo|widget|dist\/test-vendor)\//.test(file))).toEqual([]);
  });

  it('has no publint errors', async () => {
    // Packs with npm as `npm publish` would (publint skips lifecycle scripts, so this does not rebuild).
    const { messages, pkg } = await publint({ pkgDir: root, pack: 'npm' });
    const errors = messages.filter((m) => m.type === 'error').map((m) => formatMessage(m, pkg) ?? m.code);
    expect(errors).toEqual([]);
  }, 120_000);

  it('has types that resolve for ESM consumers (attw, esm-only profile)', () => {
    // ESM only: `"type": "module"` and no `require` condition, so CommonJS `require()` and node10 resolution (no
    // `exports` support) are out of scope; the esm-only profile ignores exactly those two resolution kinds.
    let out: string;
    try {
      out = execFileSync(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'json']).toString();
    } catch (error) {
      out = String((error as { stdout?: Buffer }).stdout ?? error);
    }
    const { entrypoints, problems } = (JSON.parse(out) as { analysis: Analysis }).analysis;
    expect(Object.keys(entrypoints)).toEqual(['.', './define', './react']);
    const ignored = ['node10', 'node16-cjs'];
    expect(problems.filter((p) => !ignored.includes(p.resolutionKind ?? ''))).toEqual([]);
  }, 120_000);

  it('installs into a scratch project that type-checks the element, its tag, its events and its React component', () => {
    const project = join(dir, 'consumer');
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    installTarball(project);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          lib: ['ES2023', 'DOM', 'DOM.Iterable'],
          jsx: 'react-jsx',
          types: [],
          strict: true,
          noEmit: true,
          // Our declarations are checked too, with what they import from lit, stream-chat and E3Kit.
          skipLibCheck: false,
        },
        files: ['page.ts', 'chat.tsx'],
      }),
    );
    writeFileSync(join(project, 'page.ts'), CONSUMER_PAGE);
    writeFileSync(join(project, 'chat.tsx'), CONSUMER_REACT);
    expect(typeCheck(project)).toBe('');
    // The check has teeth: a wrong detail property is an error.
    writeFileSync(
      join(project, 'page.ts'),
      `${CONSUMER_PAGE}\ndocument.querySelector('secure-chat')?.addEventListener('secure-chat-ready', (e) => e.detail.nope);\n`,
    );
    expect(typeCheck(project)).toMatch(/Property 'nope' does not exist/);
    // And in React: props have the element's types, handlers get the event's class, read-only state is no prop.
    writeFileSync(join(project, 'page.ts'), CONSUMER_PAGE);
    writeFileSync(
      join(project, 'chat.tsx'),
      `${CONSUMER_REACT}
export const Wrong = () => (
  <>
    <SecureChat theme="blue" />
    <SecureChat status="ready" />
    <SecureChat onSecureChatUnread={(event) => event.detail.nope} />
  </>
);
`,
    );
    const errors = typeCheck(project);
    expect(errors).toMatch(/chat\.tsx.*'"blue"' is not assignable/);
    expect(errors).toMatch(/Property 'status' does not exist/);
    expect(errors).toMatch(/chat\.tsx.*Property 'nope' does not exist/);
  }, 120_000);

  it('loads from the installed package in a page: the tag registers and its first screen renders', async () => {
    // The scratch project of the test above, its package folder served as a site would serve it.
    const installed = join(dir, 'consumer', 'node_modules', 'secure-chat', 'dist', 'widget');
    expect(existsSync(join(installed, 'secure-chat.js'))).toBe(true);
    const server = createServer((request, response) => {
      const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
      if (path === '/') {
        response.setHeader('content-type', 'text/html');
        response.end(
          '<!doctype html><html lang="en"><title>consumer</title>' +
            '<script type="module" src="/widget/secure-chat.js"></script><secure-chat></secure-chat>',
        );
        return;
      }
      const file = join(installed, path.replace(/^\/widget\//, ''));
      if (!path.startsWith('/widget/') || !file.startsWith(installed) || !existsSync(file)) {
        response.statusCode = 404;
        response.end();
        return;
      }
      response.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
      response.end(readFileSync(file));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    const browser = await chromium.launch({
      executablePath: findChromium(),
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'],
    });
    try {
      const page = await browser.newPage();
      const failures: string[] = [];
      page.on('pageerror', (error) => failures.push(error.message));
      page.on('requestfailed', (request) => failures.push(request.url()));
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForFunction(() => document.querySelector('secure-chat')?.shadowRoot?.childElementCount);
      const shown = await page.evaluate(() => {
        const element = document.querySelector('secure-chat') as HTMLElement & { status: string };
        return {
          registered: customElements.get('secure-chat') === element.constructor,
          text: element.shadowRoot?.textContent?.replace(/\s+/g, ' ').trim() ?? '',
        };
      });
      expect(shown.registered).toBe(true);
      // No api-url: after its grace period the widget says what is missing instead of failing silently.
      expect(shown.text.length).toBeGreaterThan(0);
      expect(failures).toEqual([]);
    } finally {
      await browser.close();
      server.close();
    }
  }, 120_000);
});

type Analysis = {
  entrypoints: Record<string, unknown>;
  problems: { kind: string; entrypoint: string; resolutionKind?: string }[];
};

/** tsc's diagnostics (on stdout), or '' when the project type-checks. */
function typeCheck(project: string): string {
  try {
    execFileSync(bin('tsc'), ['-p', project], { cwd: project, stdio: 'pipe' });
    return '';
  } catch (error) {
    return String((error as { stdout?: Buffer }).stdout ?? error) || String(error);
  }
}

const CONSUMER_PAGE = `import { SecureChatElement, type SecureChatMessageEvent } from 'secure-chat';
import 'secure-chat/define';

const chat = document.querySelector('secure-chat');
if (chat) {
  const element: SecureChatElement = chat;
  element.apiUrl = 'https://chat-api.example';
  element.addEventListener('secure-chat-message', (e) => {
    const event: SecureChatMessageEvent = e;
    const id: string = e.detail.id;
    console.info(id, event.detail.trust);
  });
}
document.addEventListener('secure-chat-locked', (e) => console.info(e.detail.reason));
console.info(chat instanceof SecureChatElement);
`;

/** A React component as a portal's React app would write it with `secure-chat/react`. */
const CONSUMER_REACT = `import { useRef, useState } from 'react';
import type { SecureChatElement, SecureChatMessageEvent } from 'secure-chat';
import { SecureChat, type SecureChatProps } from 'secure-chat/react';

export function Messages(props: { apiUrl: string; getSessionToken: () => Promise<string> }) {
  const chat = useRef<SecureChatElement>(null);
  const [lastId, setLastId] = useState('');
  const look: SecureChatProps = { theme: 'dark', layout: 'stacked', className: 'chat' };
  return (
    <section aria-label="Secure messages" data-last={lastId}>
      <SecureChat
        {...look}
        ref={chat}
        apiUrl={props.apiUrl}
        peer="clinician-lee"
        idleTimeout={600}
        getSessionToken={props.getSessionToken}
        onSecureChatMessage={(event: SecureChatMessageEvent) => setLastId(event.detail.id)}
        onSecureChatSend={(event) => event.detail.kind === 'edit' && event.preventDefault()}
        onSecureChatError={(event) => console.info(event.detail.code, event.detail.recoverable)}
        onSecureChatReady={() => void chat.current?.send('Hello')}
      />
    </section>
  );
}
`;

/**
 * Installs the tarball offline, its dependencies from the npm cache. Where the cache lacks them (this repository's
 * node_modules may come from elsewhere), unpacks the tarball by hand and links this repository's node_modules as
 * the package's own, so its dependencies still resolve as they would under the package.
 */
function installTarball(project: string): void {
  // React is an optional peer dependency: a React app has its own.
  const react = ['react', '@types/react'].map((name) => `${name}@${devVersion(name)}`);
  try {
    execFileSync(
      'npm',
      ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball, ...react],
      {
        cwd: project,
        stdio: 'pipe',
      },
    );
    return;
  } catch (error) {
    if (!/ENOTCACHED/.test(String((error as { stderr?: Buffer }).stderr))) throw error;
  }
  const modules = join(project, 'node_modules');
  mkdirSync(modules, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', modules]);
  renameSync(join(modules, 'package'), join(modules, 'secure-chat'));
  symlinkSync(join(root, 'node_modules'), join(modules, 'secure-chat/node_modules'), 'dir');
  mkdirSync(join(modules, '@types'));
  for (const name of ['react', '@types/react'])
    symlinkSync(join(root, 'node_modules', name), join(modules, name), 'dir');
}

/** The version this repository develops against, e.g. `^19.3.1`. */
function devVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  const version = pkg.devDependencies[name];
  if (!version) throw new Error(`${name} is not a devDependency`);
  return version;
}
