// Messages as Stream keeps and serves them back: upload links that expire and are re-signed on every read, and
// updated_at moved by reactions long after the message was signed.
import { expect } from '@open-wc/testing';
import {
  $,
  buttonByText,
  confirmNewKeyWithBackup,
  shadow,
  streamServer,
  subject,
  textOf,
  waitFor,
  waitForMessage,
  waitForScreen,
  waitForStatus,
  WIDGET_ENTRY,
  widgetMounter,
  acceptNewKey,
} from './stack-helpers.js';

await import(WIDGET_ENTRY);
const mountWidget = widgetMounter();

const rand = () => Math.random().toString(36).slice(2, 10);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function streamSettings(settings: { urlTtlSeconds: number }) {
  const res = await fetch('/__stack/stream-settings', { method: 'POST', body: JSON.stringify(settings) });
  if (!res.ok) throw new Error(`stream-settings ${res.status}`);
}

interface StoredMessage {
  created_at: string;
  updated_at: string;
  attachments?: Record<string, unknown>[];
  e2ee?: { att?: number; sha256?: string; ct?: string };
}
const stored = async (id: string) =>
  (await streamServer<{ message: StoredMessage }>('getMessage', id)).message;

describe('<secure-chat> messages as Stream stores them', function () {
  this.timeout(300_000);

  afterEach(() => streamSettings({ urlTtlSeconds: 1_209_600 }));

  it('opens a file and a long message after their first links expired, from the links Stream re-signs', async () => {
    // Links live 15 s: long enough to use a fresh one, short enough to outlive.
    await streamSettings({ urlTtlSeconds: 15 });
    const alice = { sub: subject('alice'), name: 'Alice' };
    const bob = { sub: subject('bob'), name: 'Dr Bob' };
    const storage = `bob-${rand()}`;
    const a = await mountWidget(alice, { peers: [bob], peer: bob.sub });
    let b = await mountWidget(bob, { peers: [alice], peer: alice.sub, storage });

    const long = `Discharge summary ${rand()}: ${'Keep the dressing dry and change it daily. '.repeat(120)}`;
    const longId = await a.send(long);
    const report = new File([`Potassium 5.9 mmol/L ${rand()}`], `labs-${rand()}.txt`, { type: 'text/plain' });
    const input = $(a, 'input[type="file"]') as HTMLInputElement;
    const dt = new DataTransfer();
    dt.items.add(report);
    input.files = dt.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    // Staged as a chip in the composer, then sent.
    await waitFor('staged', () => shadow(a).querySelector('[part~="staged-file"]'));
    $(a, '[part~="send-button"]').click();

    expect(textOf(await waitForMessage(b, longId))).to.equal(long);
    const fileButton = () =>
      [...shadow(b).querySelectorAll<HTMLButtonElement>('[part~="download-button"]')].find((x) =>
        x.textContent?.includes(report.name),
      );
    await waitFor('file on bob', fileButton, 60_000);
    const fileId = fileButton()?.closest<HTMLElement>('[data-id]')?.dataset.id as string;

    // On the wire: the long envelope and the file are attachments that say nothing about their content.
    const longStored = await stored(longId);
    expect(longStored.e2ee).to.deep.include({ att: 0 });
    expect(longStored.e2ee?.sha256).to.match(/^[\w-]{43}$/);
    const fileStored = await stored(fileId);
    for (const attachment of [...(longStored.attachments ?? []), ...(fileStored.attachments ?? [])]) {
      expect(Object.keys(attachment).sort()).to.deep.equal(['asset_url', 'mime_type', 'type']);
      expect(attachment.type).to.equal('file');
      expect(attachment.mime_type).to.equal('application/octet-stream');
    }
    const firstLinks = [longStored, fileStored].map((m) => m.attachments?.[0]?.asset_url as string);
    const cdn = ((await (await fetch('/__stack/config')).json()) as { streamCdnUrl: string }).streamCdnUrl;
    for (const link of firstLinks) expect(link.startsWith(cdn)).to.equal(true);

    // Let every link handed out so far expire.
    await pause(17_000);
    for (const link of firstLinks) expect((await fetch(link)).status, 'an expired link').to.equal(403);

    // Bob reloads: the history comes with freshly signed links, and both open.
    b.remove();
    b = await mountWidget(bob, { peers: [alice], peer: alice.sub, storage }, 'none');
    await waitForStatus(b, 'ready');
    expect(textOf(await waitForMessage(b, longId))).to.equal(long);
    const saved: Promise<string>[] = [];
    const realClick = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      saved.push(fetch(this.href).then((r) => r.text()));
    };
    try {
      (await waitFor('file after reload', fileButton, 60_000)).click();
      await waitFor('download', () => saved.length === 1, 30_000);
    } finally {
      HTMLAnchorElement.prototype.click = realClick;
    }
    expect(await saved[0]).to.equal(await report.text());
  });

  it('still verifies an older message after the sender rotated keys and someone reacted to it', async () => {
    const alice = { sub: subject('alice'), name: 'Alice' };
    const bob = { sub: subject('bob'), name: 'Dr Bob' };
    const bobStorage = `bob-${rand()}`;
    const a1 = await mountWidget(alice, { peers: [bob], peer: bob.sub, storage: `alice1-${rand()}` });
    let b = await mountWidget(bob, { peers: [alice], peer: alice.sub, storage: bobStorage });
    const older = await a1.send('signed with my first key');
    await waitForMessage(b, older);
    a1.remove();

    // Alice on a new device forgets her password: a new key replaces the first one.
    const a2 = await mountWidget(alice, { peers: [bob], peer: bob.sub, storage: `alice2-${rand()}` }, 'none');
    await waitForScreen(a2, /Restore your/);
    buttonByText(a2, 'I forgot my password').click();
    await waitForScreen(a2, /Create a new key/);
    await confirmNewKeyWithBackup(a2, 'a brand new password');
    const rotatedAt = Date.now();
    const newer = await a2.send('signed with my new key');
    // Bob's device first saw Alice's first key: the new one is a key change until he accepts it (trust on first use).
    await waitForMessage(b, newer, 'key-changed');
    await acceptNewKey(b);
    expect(textOf(await waitForMessage(b, newer))).to.equal('signed with my new key');

    // Bob reacts to the older message: Stream moves its updated_at past the rotation.
    const like = () =>
      b.shadowRoot!.querySelector(`[data-id="${older}"] [data-reaction="like"]`) as HTMLElement;
    (b.shadowRoot!.querySelector(`[data-id="${older}"] [data-toggle="react"]`) as HTMLElement).click();
    (b.shadowRoot!.querySelector(`[data-id="${older}"] [data-pick="like"]`) as HTMLElement).click();
    await waitFor('reaction chip', () => like());
    await waitFor('reaction stored', () => like().getAttribute('aria-pressed') === 'true');
    const message = await stored(older);
    expect(Date.parse(message.updated_at)).to.be.greaterThan(rotatedAt);
    expect(Date.parse(message.created_at)).to.be.lessThan(rotatedAt);

    // Opened afresh (Bob reloads), it still verifies: the key is picked by the signed time, not by updated_at.
    b.remove();
    b = await mountWidget(bob, { peers: [alice], peer: alice.sub, storage: bobStorage }, 'none');
    await waitForStatus(b, 'ready');
    expect(textOf(await waitForMessage(b, older))).to.equal('signed with my first key');
    expect(textOf(await waitForMessage(b, newer))).to.equal('signed with my new key');
  });
});
