/** Shared setup for the Node tests: a stand-in on an ephemeral loopback port with a temp data folder. */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintVirgilJwt } from '../jwt.js';
import { startVirgilCloud, type VirgilCloud, type VirgilCloudOptions } from '../server.js';

export interface TestApp {
  appId: string;
  appKeyId: string;
  appKey: string;
}

/** A fresh App ID and Ed25519 App Key (PKCS#8 base64), like the dev secrets helper makes. */
export function newTestApp(): TestApp {
  const { privateKey } = generateKeyPairSync('ed25519');
  return {
    appId: randomBytes(16).toString('hex'),
    appKeyId: randomBytes(16).toString('hex'),
    appKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  };
}

export function uniqueIdentity(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

export class TestCloud {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'virgil-cloud-test-'));
  readonly app = newTestApp();
  cloud!: VirgilCloud;
  #port = 0;

  async start(extra: Partial<VirgilCloudOptions> = {}): Promise<VirgilCloud> {
    this.cloud = await startVirgilCloud({ dataDir: this.dataDir, ...this.app, port: this.#port, ...extra });
    this.#port = Number(new URL(this.cloud.url).port);
    return this.cloud;
  }

  /** Stops and starts again on the same port and data folder. */
  async restart(): Promise<VirgilCloud> {
    await this.cloud.close();
    return this.start();
  }

  async dispose(): Promise<void> {
    await this.cloud?.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  token(identity: string, ttlSeconds = 600): string {
    return mintVirgilJwt({ ...this.app, identity, ttlSeconds });
  }

  /** A raw request to the stand-in; `token` null sends no Authorization header. */
  async request(
    method: string,
    path: string,
    opts: {
      identity?: string;
      token?: string | null;
      body?: string | object;
      headers?: Record<string, string>;
    } = {},
  ): Promise<{ status: number; headers: Headers; json: unknown }> {
    const headers: Record<string, string> = { ...opts.headers };
    const token = opts.token === undefined ? this.token(opts.identity ?? 'tester') : opts.token;
    if (token !== null) headers.authorization = `Virgil ${token}`;
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(this.cloud.url + path, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      json: text === '' ? undefined : JSON.parse(text),
    };
  }
}
