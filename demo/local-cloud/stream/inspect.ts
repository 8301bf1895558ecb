/**
 * `npm run local-cloud:stream:inspect`: prints, as JSON, everything the Stream stand-in stored and every request body
 * and WebSocket frame it received, read from `<LOCAL_CLOUD_DIR>/stream`. Read-only; works while the stand-in runs.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { localCloudDir } from '../../dev/dev-secrets.js';

const file = join(localCloudDir(), 'stream', 'stream.sqlite');
if (!existsSync(file)) {
  console.error(`No Stream stand-in data at ${file}: run \`npm run local-cloud\` first.`);
  process.exit(1);
}
const db = new Database(file, { readonly: true, fileMustExist: true });
const docs = (table: string) =>
  (db.prepare(`SELECT doc FROM ${table}`).all() as Array<{ doc: string }>).map(
    (r) => JSON.parse(r.doc) as unknown,
  );
const uploads = db
  .prepare('SELECT id, cid, kind, name, content_type, length(bytes) AS size, created_at FROM uploads')
  .all();
const dump = {
  users: docs('users'),
  channels: docs('channels'),
  members: docs('members'),
  messages: docs('messages'),
  reactions: docs('reactions'),
  // Data folders written before channel types were stored have no such table.
  channelTypes: db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'channel_types'").get()
    ? docs('channel_types')
    : [],
  uploads,
  requests: db.prepare('SELECT * FROM requests ORDER BY seq').all(),
  wsFrames: db.prepare('SELECT * FROM ws_frames ORDER BY seq').all(),
};
db.close();
process.stdout.write(`${JSON.stringify(dump, null, 2)}\n`);
