/** Test harness: a stand-in on an ephemeral loopback port with a temp data folder, plus real stream-chat clients. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StreamChat, type Event } from 'stream-chat';
import { userToken } from '../auth.js';
import { startStreamCloud, type StreamCloud } from '../server.js';

export const API_KEY = 'test-key';
export const API_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';

export interface Harness {
  cloud: StreamCloud;
  dataDir: string;
  port: number;
  server: StreamChat;
  clients: StreamChat[];
  /** A connected user client (static token unless a provider is given). */
  connect(userId: string, token?: string | (() => Promise<string>)): Promise<StreamChat>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export function newClient(baseURL: string): StreamChat {
  return new StreamChat(API_KEY, { baseURL, allowServerSideConnect: true, timeout: 3000 });
}

export async function startHarness(users: string[] = ['alice', 'bob', 'carol']): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stream-cloud-'));
  let cloud = await startStreamCloud({ dataDir, apiKey: API_KEY, apiSecret: API_SECRET, port: 0 });
  const port = Number(new URL(cloud.url).port);
  const cdnPort = Number(new URL(cloud.cdnUrl).port);
  const server = new StreamChat(API_KEY, API_SECRET, { baseURL: cloud.url });
  if (users.length) await server.upsertUsers(users.map((id) => ({ id, role: 'user' })));
  const h: Harness = {
    get cloud() {
      return cloud;
    },
    dataDir,
    port,
    server,
    clients: [],
    async connect(userId, token = userToken(API_SECRET, userId)) {
      const client = newClient(cloud.url);
      await client.connectUser({ id: userId }, token);
      h.clients.push(client);
      return client;
    },
    async restart() {
      await cloud.close();
      cloud = await startStreamCloud({ dataDir, apiKey: API_KEY, apiSecret: API_SECRET, port, cdnPort });
    },
    async stop() {
      await Promise.all(h.clients.map((c) => c.disconnectUser(500).catch(() => undefined)));
      await cloud.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return h;
}

/** Resolves with the first event of `type` (matching `where`) that `client` receives. */
export function nextEvent(
  client: StreamChat,
  type: string,
  where: (e: Event) => boolean = () => true,
  ms = 3000,
): Promise<Event> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.unsubscribe();
      reject(new Error(`timed out waiting for ${type}`));
    }, ms);
    const sub = client.on(type, (e) => {
      if (!where(e)) return;
      clearTimeout(timer);
      sub.unsubscribe();
      resolve(e);
    });
  });
}

/** Collects every event of the given types until the returned function is called. */
export function recordEvents(client: StreamChat, types: string[]): () => Event[] {
  const seen: Event[] = [];
  const sub = client.on((e) => {
    if (types.includes(e.type)) seen.push(e);
  });
  return () => {
    sub.unsubscribe();
    return seen;
  };
}

export async function waitFor(check: () => boolean, ms = 3000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// Custom fields the tests store, as the widget does (ciphertext in a custom field); typed through stream-chat's augmentation.
declare module 'stream-chat' {
  interface CustomMessageData {
    sealed?: unknown;
    blob?: string;
  }
  interface CustomChannelData {
    topic?: string;
    kind?: string;
  }
  interface CustomUserData {
    org?: string;
  }
}
