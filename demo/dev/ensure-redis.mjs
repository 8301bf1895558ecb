// Makes sure the token API's shared rate-limit tests have a redis-server to start (they run it themselves, on a
// free loopback port with a temp folder; nothing is installed as a service). When it is missing, as root on Debian
// it installs the package with apt-get; otherwise it prints the exact command, or the variable that points at
// another binary.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findRedisServer } from './find-redis.mjs';

if (findRedisServer()) process.exit(0);

const howTo =
  'Install it with "sudo apt-get update && sudo apt-get install -y redis-server", ' +
  'or set REDIS_SERVER_PATH to a redis-server binary.';
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !existsSync('/usr/bin/apt-get')) {
  console.error(`[secure-chat] The rate-limit tests need redis-server. ${howTo}`);
  process.exit(1);
}

console.log('[secure-chat] Installing the Debian package redis-server (apt-get)…');
try {
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'redis-server'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
} catch {
  console.error(`[secure-chat] Installing redis-server failed. ${howTo}`);
  process.exit(1);
}
if (!findRedisServer()) {
  console.error(`[secure-chat] Installed, but still no redis-server. ${howTo}`);
  process.exit(1);
}
