/**
 * The README's first command, end to end: the demo portal with the whole local stack, and two people in two browser
 * contexts chatting through the built widget in Debian's Chromium. Needs `npm run build` first (npm test does it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectingAuditSink } from '../../api/src/audit.js';
import { generateDevSecrets } from '../dev/dev-secrets.js';
import { findChromium } from '../dev/find-chromium.mjs';
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

describe('demo portal (npm start)', () => {
  let dataDir: string;
  let stack: LocalStack;
  let portal: Awaited<ReturnType<typeof startPortal>>;
  let browser: Browser;

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
    browser = await chromium.launch({
      executablePath: findChromium(),
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await portal?.close();
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function signIn(sub: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${portal.url}/`);
    await page.check(`input[value="${sub}"]`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/messages.html');
    await page.getByRole('button', { name: 'Skip for now' }).click();
    await page.getByRole('button', { name: 'Continue without a backup' }).click();
    await page.getByLabel('Message', { exact: true }).waitFor();
    return page;
  }

  async function send(page: Page, text: string) {
    await page.getByLabel('Message', { exact: true }).fill(text);
    await page.getByRole('button', { name: 'Send', exact: true }).first().click();
  }

  it('lets a patient and a clinician chat end to end, with only ciphertext at the servers', async () => {
    const clinician = await signIn('clinician-lee');
    const patient = await signIn('patient-ana');
    const question = `My knee still hurts after the injection (${Date.now()})`;
    const answer = `Please come in on Thursday at 10am (${Date.now()})`;

    await send(patient, question);
    await clinician.getByText(question).waitFor({ timeout: 20_000 });
    await send(clinician, answer);
    await patient.getByText(answer).waitFor({ timeout: 20_000 });

    const seen = JSON.stringify(await (await fetch(`${portal.url}/portal/server-view.json`)).json());
    for (const secret of [question, answer, 'Ana García', 'Dr. Lee Chen', 'patient-ana', 'clinician-lee']) {
      expect(seen).not.toContain(secret);
    }
    expect(seen).toContain('New secure message');

    // A long message goes up as an upload and is read from the stand-in's CDN origin, which the portal's CSP lists.
    const home = await fetch(`${portal.url}/messages.html`);
    expect(home.headers.get('content-security-policy')).toContain(new URL(stack.streamCdnUrl).origin);
    const long = `Discharge notes (${Date.now()}): ${'rest, ice and elevation. '.repeat(250)}`;
    await send(clinician, long);
    await patient.getByText(long.slice(0, 60)).waitFor({ timeout: 30_000 });
  }, 120_000);
});
