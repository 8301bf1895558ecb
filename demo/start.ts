/**
 * `npm start`: builds the widget, then runs on loopback the local Stream and Virgil clouds, the token API and the demo
 * patient portal, each on its own port. First run generates every dev secret into LOCAL_CLOUD_DIR; later runs reuse them.
 * Before the token API starts, `npm run stream:setup` configures the Stream stand-in the way a deployment's app is
 * configured, and its lines are printed.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { credentialsFromEnv, localCloudDir } from './dev/dev-secrets.js';
import { LocalStack } from './dev/local-stack.js';
import { peersClaim, findPersona } from './portal/personas.js';
import { startPortal } from './portal/server.js';
import { startWidgetCdn } from './portal/widget-cdn.js';

const env = process.env;
const port = (name: string, fallback: number) => Number(env[name] ?? fallback);
const hostname = '127.0.0.1';
const portalPort = port('PORTAL_PORT', 8080);
const portalOrigin = `http://${hostname}:${portalPort}`;
// The widget on its own origin, as a CDN serves it (frame isolation loads its frame from there).
const widgetPort = port('WIDGET_PORT', 8081);
const widgetOrigin = `http://${hostname}:${widgetPort}`;

if (env.SKIP_BUILD !== '1') {
  console.log('Building the widget…');
  execFileSync('npm', ['run', '--silent', 'build:widget'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

const dataDir = localCloudDir(env);
console.log('Configuring the local Stream app (npm run stream:setup)…');
const stack = await LocalStack.start({
  streamSetupOutput: (line) => console.log(`  ${line}`),
  dataDir,
  secrets: credentialsFromEnv(env, dataDir),
  allowedOrigins: [portalOrigin],
  frameOrigins: [widgetOrigin],
  hostname,
  // Break glass on, with a key made at start: see docs/medical-record.md.
  organization: true,
  ports: {
    api: port('PORT', 8787),
    stream: port('LOCAL_STREAM_PORT', 8790),
    streamCdn: port('LOCAL_STREAM_CDN_PORT', 8792),
    virgil: port('LOCAL_VIRGIL_PORT', 8791),
  },
});

const widgetCdn = await startWidgetCdn({
  port: widgetPort,
  hostname,
  widgetDir: resolve('dist/widget'),
  portalOrigin,
  apiUrl: stack.apiUrl,
  streamUrl: stack.streamUrl,
  streamCdnUrl: stack.streamCdnUrl,
  virgilUrl: stack.virgilUrl,
});

const portal = await startPortal({
  port: portalPort,
  hostname,
  apiUrl: stack.apiUrl,
  streamUrl: stack.streamUrl,
  streamCdnUrl: stack.streamCdnUrl,
  virgilUrl: stack.virgilUrl,
  widgetDir: resolve('dist/widget'),
  widgetUrl: widgetCdn.url,
  mintSessionToken: ({ sub }) => {
    const persona = findPersona(sub);
    if (!persona) throw new Error('unknown persona');
    return stack.mintSessionToken({ sub, name: persona.name, peers: peersClaim(persona) });
  },
  inspect: () => stack.inspect(),
});

console.log(`
secure-chat demo is running (data in ${dataDir})
  Local Stream cloud  ${stack.streamUrl} (uploads served from ${stack.streamCdnUrl})
  Local Virgil cloud  ${stack.virgilUrl}
  Token API           ${stack.apiUrl}
  Widget (its CDN)    ${widgetCdn.url}

  Demo portal         ${portal.url}/   <- open this in two browser windows and sign in as two people
                      ${portal.url}/messages.html?isolation=frame runs the widget in its isolation frame

Press Ctrl+C to stop.`);
if (stack.organization) {
  const org = stack.organization;
  console.log(`
  Organization recipient (break glass) "${org.name}": every message is also encrypted to card ${org.cardId}.
  Demo shares (${org.threshold} of ${org.shares.length} rebuild the key; a deployment gives each to one custodian):
${org.shares.map((share) => `    ${share}`).join('\n')}
  Export a conversation: see docs/medical-record.md ("Trying it with npm start").`);
}

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await portal.close();
  await widgetCdn.close();
  await stack.stop();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
