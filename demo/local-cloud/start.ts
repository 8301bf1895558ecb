/**
 * `npm run local-cloud`: starts the local cloud stand-ins on loopback and prints their base URLs.
 *
 * Variables: LOCAL_CLOUD_DIR (data folder, default `.local-cloud/`), LOCAL_VIRGIL_PORT (default 8791),
 * LOCAL_STREAM_PORT (default 8790), LOCAL_STREAM_CDN_PORT (the Stream stand-in's upload CDN, default 8792),
 * LOCAL_STREAM_URL_TTL (upload link lifetime in seconds, default 14 days), and the credentials STREAM_API_KEY / STREAM_API_SECRET /
 * VIRGIL_APP_ID / VIRGIL_APP_KEY_ID / VIRGIL_APP_KEY; unset ones fall back to the generated dev secrets.
 */
import { join } from 'node:path';
import { credentialsFromEnv, localCloudDir, type DevSecrets } from '../dev/dev-secrets.js';
import { startStreamCloud } from './stream/server.js';
import { startVirgilCloud } from './virgil/server.js';

const HOSTNAME = '127.0.0.1';

interface RunningStandIn {
  url: string;
  cdnUrl?: string;
  close(): Promise<void>;
}

interface StandIn {
  name: string;
  start(secrets: DevSecrets, dataDir: string): Promise<RunningStandIn>;
}

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${name} must be a port number, got "${raw}".`);
  return port;
}

/** Each stand-in keeps its data in its own subfolder of LOCAL_CLOUD_DIR. */
const standIns: StandIn[] = [
  {
    name: 'Stream',
    start: (secrets, dataDir) =>
      startStreamCloud({
        dataDir: join(dataDir, 'stream'),
        apiKey: secrets.STREAM_API_KEY,
        apiSecret: secrets.STREAM_API_SECRET,
        port: portFromEnv('LOCAL_STREAM_PORT', 8790),
        cdnPort: portFromEnv('LOCAL_STREAM_CDN_PORT', 8792),
        hostname: HOSTNAME,
      }),
  },
  {
    name: 'Virgil',
    start: (secrets, dataDir) =>
      startVirgilCloud({
        dataDir: join(dataDir, 'virgil'),
        appId: secrets.VIRGIL_APP_ID,
        appKeyId: secrets.VIRGIL_APP_KEY_ID,
        appKey: secrets.VIRGIL_APP_KEY,
        port: portFromEnv('LOCAL_VIRGIL_PORT', 8791),
        hostname: HOSTNAME,
      }),
  },
];

async function main(): Promise<void> {
  const dataDir = localCloudDir();
  const secrets = credentialsFromEnv(process.env, dataDir);
  const running: RunningStandIn[] = [];
  const closeAll = async () => {
    await Promise.allSettled(running.map((standIn) => standIn.close()));
  };
  try {
    for (const standIn of standIns) {
      const started = await standIn.start(secrets, dataDir);
      running.push(started);
      console.log(
        `${standIn.name} stand-in: ${started.url}${started.cdnUrl ? ` (uploads CDN: ${started.cdnUrl})` : ''}`,
      );
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  console.log(`Local cloud ready (data in ${dataDir}). Ctrl+C stops it.`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void closeAll().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`local-cloud failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
