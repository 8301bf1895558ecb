/** $REDIS_SERVER_PATH, then Debian's redis-server, then one on PATH. */
export function findRedisServer(env?: NodeJS.ProcessEnv): string | undefined;
