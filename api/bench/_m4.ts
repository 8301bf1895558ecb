import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { createApp } from '../src/app.js';
import { readConfig } from '../src/config.js';
import { nodeCryptoProvider } from '../src/entries/node-crypto.js';
const secret = randomBytes(32).toString('hex');
const { privateKey } = generateKeyPairSync('ed25519');
const env = {
  ALLOWED_ORIGINS: 'https://p.x',
  PORTAL_JWT_SECRET: secret,
  PORTAL_JWT_ISSUER: 'i',
  PORTAL_JWT_AUDIENCE: 'a',
  USER_ID_SECRET: secret,
  STREAM_API_KEY: 'k',
  STREAM_API_SECRET: secret,
  VIRGIL_APP_ID: 'a',
  VIRGIL_APP_KEY_ID: 'b',
  VIRGIL_APP_KEY: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  RATE_LIMIT_PER_USER: '100000',
  RATE_LIMIT_PER_IP: '1000000',
};
const tok = await new SignJWT({ sub: 'x' })
  .setProtectedHeader({ alg: 'HS256' })
  .setIssuer('i')
  .setAudience('a')
  .setExpirationTime('1h')
  .sign(new TextEncoder().encode(secret));
const app = createApp({ config: readConfig(env), audit: () => {}, crypto: nodeCryptoProvider });
const req = () =>
  new Request('http://x' + (process.argv[2] ?? '/v1/stream-credentials'), {
    method: 'POST',
    headers: { origin: 'https://p.x', authorization: 'Bearer ' + tok, 'content-length': '0' },
  });
async function run(N: number) {
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      for (let i = 0; i < N / 10; i++) {
        const r = await app.fetch(req());
        await r.text();
      }
    }),
  );
  const c = process.cpuUsage(cpu);
  console.log('cpu µs/op', ((c.user + c.system) / N).toFixed(1));
}
await run(3000);
await run(20000);
