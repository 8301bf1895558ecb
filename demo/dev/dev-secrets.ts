/**
 * Development secrets for `npm start`, the local cloud and the test stack.
 *
 * First run generates them into `<LOCAL_CLOUD_DIR>/dev-secrets.json` (gitignored); later runs reuse them,
 * so identities and stored keys stay valid across restarts. Never used in production: the token API refuses
 * to start with NODE_ENV=production while any secret equals one of these (see api/src/config.ts).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface DevSecrets {
  STREAM_API_KEY: string;
  STREAM_API_SECRET: string;
  VIRGIL_APP_ID: string;
  VIRGIL_APP_KEY_ID: string;
  /** Ed25519 App Key, base64 PKCS#8 DER, the format Virgil's dashboard hands out. */
  VIRGIL_APP_KEY: string;
  PORTAL_JWT_SECRET: string;
  USER_ID_SECRET: string;
}

/** The data folder shared by the stand-ins and the dev tooling. */
export function localCloudDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.LOCAL_CLOUD_DIR ?? '.local-cloud');
}

/** Makes a fresh set of random development secrets. */
export function generateDevSecrets(): DevSecrets {
  const hex = (bytes: number) => randomBytes(bytes).toString('hex');
  const { privateKey } = generateKeyPairSync('ed25519');
  return {
    STREAM_API_KEY: `dev${hex(6)}`,
    STREAM_API_SECRET: hex(32),
    VIRGIL_APP_ID: hex(16),
    VIRGIL_APP_KEY_ID: hex(16),
    VIRGIL_APP_KEY: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    PORTAL_JWT_SECRET: hex(32),
    USER_ID_SECRET: hex(32),
  };
}

/**
 * Loads the dev secrets from `dir`, generating and saving them on first use.
 * @example const secrets = loadOrCreateDevSecrets(localCloudDir());
 */
export function loadOrCreateDevSecrets(dir: string = localCloudDir()): DevSecrets {
  const file = join(dir, 'dev-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevSecrets;
  const secrets = generateDevSecrets();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  return secrets;
}

/** Credentials from the environment where set, dev secrets for the rest (the local cloud's contract). */
export function credentialsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  dir = localCloudDir(env),
): DevSecrets {
  const dev = loadOrCreateDevSecrets(dir);
  const pick = (name: keyof DevSecrets) => env[name] || dev[name];
  return {
    STREAM_API_KEY: pick('STREAM_API_KEY'),
    STREAM_API_SECRET: pick('STREAM_API_SECRET'),
    VIRGIL_APP_ID: pick('VIRGIL_APP_ID'),
    VIRGIL_APP_KEY_ID: pick('VIRGIL_APP_KEY_ID'),
    VIRGIL_APP_KEY: pick('VIRGIL_APP_KEY'),
    PORTAL_JWT_SECRET: pick('PORTAL_JWT_SECRET'),
    USER_ID_SECRET: pick('USER_ID_SECRET'),
  };
}
