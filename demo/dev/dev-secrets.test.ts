import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { credentialsFromEnv, loadOrCreateDevSecrets } from './dev-secrets.js';

describe('dev secrets', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'secure-chat-secrets-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('generates once, persists privately, then reuses', () => {
    const dir = tempDir();
    const first = loadOrCreateDevSecrets(dir);
    const second = loadOrCreateDevSecrets(dir);
    expect(second).toEqual(first);
    expect(statSync(join(dir, 'dev-secrets.json')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dir, 'dev-secrets.json'), 'utf8'))).toEqual(first);
  });

  it('makes a Virgil App Key in the dashboard format: Ed25519 PKCS#8, base64', () => {
    const { VIRGIL_APP_KEY } = loadOrCreateDevSecrets(tempDir());
    expect(VIRGIL_APP_KEY.startsWith('MC4CAQAwBQYDK2VwBCIEI')).toBe(true);
    const privateKey = createPrivateKey({
      key: Buffer.from(VIRGIL_APP_KEY, 'base64'),
      format: 'der',
      type: 'pkcs8',
    });
    const data = Buffer.from('signed');
    expect(verify(null, data, createPublicKey(privateKey), sign(null, data, privateKey))).toBe(true);
  });

  it('lets environment variables override single credentials', () => {
    const dir = tempDir();
    const creds = credentialsFromEnv({ STREAM_API_SECRET: 'from-env', LOCAL_CLOUD_DIR: dir }, dir);
    expect(creds.STREAM_API_SECRET).toBe('from-env');
    expect(creds.VIRGIL_APP_ID).toBe(loadOrCreateDevSecrets(dir).VIRGIL_APP_ID);
  });
});
