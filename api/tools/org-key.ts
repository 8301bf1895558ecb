/**
 * `npm run org-key -- create|combine`: the organization key ceremony (docs/medical-record.md).
 *
 *   create  --shares N --threshold M [--identity organization] [--name "Clinic"] [--no-publish] [--out key.der]
 *           Generates the organization key offline, publishes only its card (as `--identity`, with the
 *           `VIRGIL_*` App Key, as the token API mints tokens), prints N shares (one per custodian) and the
 *           `ORGANIZATION_*` lines for the token API. The private key is written nowhere unless `--out` asks.
 *   combine --share S1 --share S2 … (or one share a line on standard input) [--out key.der]
 *           Rebuilds the key from M shares and checks it against the fingerprint the shares carry (a drill, or
 *           with `--out`, the key for an offline export).
 * Exit codes: 0 done, 1 refused (too few or mismatched shares), 2 usage or connection error.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createOrganizationKey, publishTo, rebuildOrganizationKey } from './record/ceremony.js';
import { virgilAccessFromEnv } from './record/virgil.js';

type Print = (line: string) => void;

const USAGE =
  'usage: npm run org-key -- create --shares N --threshold M [--identity ID] [--name NAME] [--no-publish] [--out FILE]\n' +
  '       npm run org-key -- combine --share S [--share S …] [--out FILE]   (or shares on standard input)';

/** Writes the private key only where the operator asked, readable by the owner alone. */
function writeKey(path: string, der: Uint8Array, print: Print): void {
  writeFileSync(resolve(path), der, { mode: 0o600, flag: 'wx' });
  print(`private key written to ${path} (PKCS#8 DER): keep it offline and delete it after use`);
}

export async function runOrgKey(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  print: Print,
  stdinLines: () => Promise<string[]> = async () => [],
): Promise<number> {
  const [command, ...rest] = argv;
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        shares: { type: 'string' },
        threshold: { type: 'string' },
        identity: { type: 'string', default: 'organization' },
        name: { type: 'string' },
        'no-publish': { type: 'boolean', default: false },
        share: { type: 'string', multiple: true },
        out: { type: 'string' },
      },
    }));
  } catch (error) {
    print(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const out = values.out as string | undefined;
  if (command === 'create') {
    const total = Number(values.shares);
    const threshold = Number(values.threshold);
    const identity = values.identity as string;
    const publish = !values['no-publish'];
    const access = virgilAccessFromEnv(env);
    if (publish && Array.isArray(access)) {
      print(`${access.join(', ')} required to publish the card (or --no-publish)`);
      return 2;
    }
    let created;
    try {
      created = await createOrganizationKey(total, threshold, async (pair) =>
        publish && !Array.isArray(access) ? publishTo(access, identity)(pair) : undefined,
      );
    } catch (error) {
      print(`could not create the organization key: ${(error as Error).message}`);
      return 2;
    }
    print(`Organization key ${created.fingerprint}: ${threshold} of these ${total} shares rebuild it.`);
    print('Give each share to one custodian; never store two together. Any fewer than M reveal nothing.');
    created.shares.forEach((share, i) => print(`share ${i + 1}/${total}: ${share}`));
    print('');
    print('Token API configuration (pins the card; the widget refuses any other):');
    print(`ORGANIZATION_IDENTITY=${identity}`);
    print(`ORGANIZATION_CARD_ID=${created.cardId ?? '<publish the card, then its id>'}`);
    print(`ORGANIZATION_PUBLIC_KEY=${created.publicKey}`);
    if (values.name) print(`ORGANIZATION_NAME=${String(values.name)}`);
    if (out) writeKey(out, created.privateKeyDer, print);
    created.privateKeyDer.fill(0);
    return 0;
  }
  if (command === 'combine') {
    const shares = [...((values.share as string[] | undefined) ?? [])];
    if (!shares.length) shares.push(...(await stdinLines()).filter((l) => l.trim()));
    try {
      const key = await rebuildOrganizationKey(shares);
      print(`rebuilt the organization key (public key ${key.publicKey})`);
      if (out) writeKey(out, key.privateKeyDer, print);
      key.privateKeyDer.fill(0);
      return 0;
    } catch (error) {
      print(`refused: ${(error as Error).message}`);
      return 1;
    }
  }
  print(USAGE);
  return 2;
}

async function readStdinLines(): Promise<string[]> {
  if (process.stdin.isTTY) return [];
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await runOrgKey(process.argv.slice(2), process.env, console.log, readStdinLines);
}
