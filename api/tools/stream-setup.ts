/**
 * `npm run stream:setup`: configures the Stream app named by `STREAM_API_KEY` / `STREAM_API_SECRET` (at
 * `STREAM_BASE_URL`, default `https://chat.stream-io-api.com`) for secure-chat through the `stream-chat` server
 * client, following `api/src/stream-app/policy.ts`, and prints each change and each item already set.
 * `npm run stream:setup -- --check` changes nothing: it names every problem and exits with 1 when there is one.
 * Exit codes: 0 configured safely, 1 problems remain, 2 usage or connection error.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StreamAppAdmin } from '../src/stream-app/admin.js';
import { checkStreamApp, setupStreamApp } from '../src/stream-app/setup.js';
import type { Print } from '../src/stream-app/setup.js';
import type { Problem } from '../src/stream-app/policy.js';
import { StreamChatAppAdmin } from '../src/entries/stream-chat-app-admin.js';

const DEFAULT_BASE_URL = 'https://chat.stream-io-api.com';

/**
 * Runs setup (or `--check`) and returns the exit code; `admin` replaces the client built from `env` (tests).
 * @example process.exitCode = await runStreamSetup(['--check'], process.env, console.log);
 */
export async function runStreamSetup(
  args: readonly string[],
  env: Record<string, string | undefined>,
  print: Print,
  admin?: StreamAppAdmin,
): Promise<number> {
  const unknown = args.filter((arg) => arg !== '--check');
  if (unknown.length > 0) {
    print(`unknown argument ${unknown[0]}; usage: npm run stream:setup [-- --check]`);
    return 2;
  }
  const apiKey = env.STREAM_API_KEY?.trim();
  const apiSecret = env.STREAM_API_SECRET?.trim();
  const baseURL = (env.STREAM_BASE_URL?.trim() || DEFAULT_BASE_URL).replace(/\/+$/, '');
  if (!admin && (!apiKey || !apiSecret)) {
    print('STREAM_API_KEY and STREAM_API_SECRET are required');
    return 2;
  }
  const client =
    admin ?? new StreamChatAppAdmin({ apiKey: apiKey ?? '', apiSecret: apiSecret ?? '', baseURL });
  print(`Stream app ${apiKey ?? ''} at ${baseURL}`);
  try {
    if (args.includes('--check')) {
      const problems = await checkStreamApp(client);
      if (problems.length === 0) print('check: configured safely');
      else report(`check: ${count(problems.length, 'problem')}`, problems, print);
      return problems.length === 0 ? 0 : 1;
    }
    const { changes, remaining } = await setupStreamApp(client, print);
    print(changes === 0 ? 'setup: nothing to change' : `setup: ${count(changes, 'change')} made`);
    if (remaining.length === 0) {
      print('check: configured safely');
      return 0;
    }
    report(`check: ${count(remaining.length, 'problem')} left that setup cannot fix`, remaining, print);
    return 1;
  } catch (err) {
    // The server client's messages carry Stream's error text and the URL, never the secret.
    print(`could not reach or configure the Stream app: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
}

function report(title: string, problems: readonly Problem[], print: Print): void {
  print(title);
  for (const problem of problems)
    print(`  ${problem.critical ? 'CRITICAL ' : ''}${problem.message} [${problem.id}]`);
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

const runDirectly =
  process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (runDirectly) {
  process.exitCode = await runStreamSetup(process.argv.slice(2), process.env, (line) => console.log(line));
}
