// Finds the redis-server binary that the token API's shared rate-limit tests start (on a free port, in a temp
// folder): $REDIS_SERVER_PATH, then Debian's package, then any redis-server on PATH.
// Shared by ensure-redis.mjs and api/test/redis-server.ts.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** @returns {string | undefined} */
export function findRedisServer(env = process.env) {
  if (env.REDIS_SERVER_PATH) return existsSync(env.REDIS_SERVER_PATH) ? env.REDIS_SERVER_PATH : undefined;
  const onPath = (env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, 'redis-server'));
  return ['/usr/bin/redis-server', ...onPath].find((path) => existsSync(path));
}
