import { expect } from '@open-wc/testing';
import {
  $,
  inspectStack,
  screenshot,
  shadow,
  subject,
  waitFor,
  type Person,
  WIDGET_ENTRY,
  widgetMounter,
} from './stack-helpers.js';

import { engine } from './engine.js';

await import(WIDGET_ENTRY);

/**
 * Firefox hands a script-made paste event a fresh, empty clipboardData (the files of the DataTransfer passed in are
 * not copied), so only a real paste could test pasting there; the button and drop paths still run.
 */
const SYNTHETIC_PASTE_CARRIES_FILES = engine !== 'firefox';
const mountWidget = widgetMounter();

const open = (me: Person, others: Person[], peer: string) => mountWidget(me, { peers: others, peer });

const rand = () => Math.random().toString(36).slice(2, 10);

/** A real PNG (drawn on a canvas) with a marker appended after its end chunk, which decoders ignore. */
async function pngWithMarker(marker: string): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = 40;
  canvas.height = 30;
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  ctx.fillStyle = '#c2410c';
  ctx.fillRect(0, 0, 40, 30);
  const png = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b as Blob), 'image/png'));
  return new Blob([png, marker], { type: 'image/png' });
}

const transfer = (...files: File[]) => {
  const dt = new DataTransfer();
  for (const f of files) dt.items.add(f);
  return dt;
};

const downloadButtons = (el: Element) => [
  ...shadow(el).querySelectorAll<HTMLButtonElement>('[part~="download-button"]'),
];
const downloadButtonFor = (el: Element, name: string) =>
  downloadButtons(el).find((b) => b.textContent?.includes(name));

/** Names of the files staged in the composers, waiting for Send. */
const stagedNames = (el: Element) =>
  [...shadow(el).querySelectorAll('[part~="staged-file"] .name')].map((n) => n.textContent ?? '');

/** The article (message) that holds a given file. */
const messageWithFile = (el: Element, name: string) =>
  downloadButtonFor(el, name)?.closest<HTMLElement>('[data-id]') ?? undefined;

describe('<secure-chat> encrypted files (real clients, local stack)', function () {
  this.timeout(240_000);

  it('attach by button, drop and paste; the receiver sees the image and saves exact bytes; nothing readable reaches the stand-in', async () => {
    const alice = { sub: subject('alice'), name: 'Alice Patient' };
    const bob = { sub: subject('bob'), name: 'Dr Bob' };
    const a = await open(alice, [bob], bob.sub);
    const b = await open(bob, [alice], alice.sub);

    const marker = `FILE-MARKER-${rand()}-PLAINTEXT`;
    const report = new File(
      [`Potassium 5.9 mmol/L ${marker}\n`, 'x'.repeat(600_000)],
      `lab-results-${rand()}.txt`,
      {
        type: 'text/plain',
      },
    );
    const photo = new File([await pngWithMarker(marker)], `rash-photo-${rand()}.png`, { type: 'image/png' });
    const pasted = new File([`pasted note ${marker}`], `pasted-${rand()}.txt`, { type: 'text/plain' });

    // 1. The attach button's file input.
    const input = $(a, 'input[type="file"]') as HTMLInputElement;
    input.files = transfer(report).files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    // Staged as a removable chip until the user sends.
    await waitFor('staged report', () => stagedNames(a).includes(report.name));
    expect(shadow(a).querySelector('[part~="files"]')).to.equal(null);
    $(a, '[part~="send-button"]').click();
    // The sender sees upload progress on the optimistic message.
    const progress = await waitFor('upload progress', () =>
      shadow(a).querySelector<HTMLProgressElement>('progress[part~="upload-progress"]'),
    );
    expect(progress.getAttribute('aria-label')).to.match(/progress/i);
    await waitFor('report on bob', () => downloadButtonFor(b, report.name), 60_000);

    // 2. Drag and drop onto the conversation.
    const zone = $(a, '.drop-zone');
    const dropped = transfer(photo);
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dropped, bubbles: true, cancelable: true }));
    expect(zone.classList.contains('dropping')).to.equal(true);
    const drop = new DragEvent('drop', { dataTransfer: dropped, bubbles: true, cancelable: true });
    zone.dispatchEvent(drop);
    expect(drop.defaultPrevented).to.equal(true);
    await waitFor('staged photo', () => stagedNames(a).includes(photo.name));
    $(a, '[part~="send-button"]').click();

    // 3. Paste into the message box.
    if (SYNTHETIC_PASTE_CARRIES_FILES) {
      const box = $(a, 'textarea');
      const paste = new ClipboardEvent('paste', {
        clipboardData: transfer(pasted),
        bubbles: true,
        cancelable: true,
      });
      box.dispatchEvent(paste);
      expect(paste.defaultPrevented).to.equal(true);
      await waitFor('staged paste', () => stagedNames(a).includes(pasted.name));
      $(a, '[part~="send-button"]').click();
    }

    // The receiver sees the picture as a decrypted thumbnail…
    const img = await waitFor(
      'thumbnail on bob',
      () => {
        const node = messageWithFile(b, photo.name)?.querySelector<HTMLImageElement>(
          'img[part~="thumbnail"]',
        );
        return node?.complete && node.naturalWidth > 0 ? node : undefined;
      },
      60_000,
    );
    expect(img.alt).to.equal(photo.name);
    expect(img.naturalWidth).to.equal(40);
    expect(img.src.startsWith('blob:')).to.equal(true);
    if (SYNTHETIC_PASTE_CARRIES_FILES)
      await waitFor('pasted file on bob', () => downloadButtonFor(b, pasted.name), 60_000);

    // …and saves the report under its real name with exactly the bytes Alice attached.
    const saved: { name: string; bytes: Promise<ArrayBuffer> }[] = [];
    const realClick = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      saved.push({ name: this.download, bytes: fetch(this.href).then((r) => r.arrayBuffer()) });
    };
    const audit: unknown[] = [];
    const onDownloaded = (e: Event) => audit.push((e as CustomEvent).detail);
    document.addEventListener('secure-chat-file-downloaded', onDownloaded);
    try {
      (downloadButtonFor(b, report.name) as HTMLButtonElement).click();
      await b.updateComplete;
      // Download progress is shown while the file is fetched and decrypted.
      expect(shadow(b).querySelector('progress[part~="download-progress"]')).to.not.equal(null);
      await waitFor('download', () => saved.length === 1);
    } finally {
      HTMLAnchorElement.prototype.click = realClick;
      document.removeEventListener('secure-chat-file-downloaded', onDownloaded);
    }
    expect(saved[0]!.name).to.equal(report.name);
    const bytes = new Uint8Array(await saved[0]!.bytes);
    expect(bytes).to.deep.equal(new Uint8Array(await report.arrayBuffer()));
    // The audit event carries ids only.
    await waitFor('audit event', () => audit.length === 1);
    const detail = audit[0] as { cid: string; messageId: string; index: number };
    expect(Object.keys(detail).sort()).to.deep.equal(['cid', 'index', 'messageId']);
    expect(detail.messageId).to.equal(messageWithFile(b, report.name)?.dataset.id);
    expect(JSON.stringify(detail)).to.not.contain(report.name);

    await expect(a).to.be.accessible();
    await expect(b).to.be.accessible();
    await screenshot(b, 'files-receiver');

    // No file bytes and no file names reach the stand-ins: uploads are ciphertext under a meaningless name.
    const stored = await inspectStack();
    for (const text of [marker, report.name, photo.name, pasted.name, 'lab-results', 'rash-photo']) {
      expect(stored.includes(text), `"${text}" found in the stand-ins`).to.equal(false);
    }
    // Only this conversation's uploads: other test files share the stack and upload their own.
    const uploads = (
      JSON.parse(stored) as {
        stream: { uploads: { cid: string; name: string; content_type: string; base64: string }[] };
      }
    ).stream.uploads.filter((upload) => upload.cid === detail.cid);
    expect(uploads.length).to.be.at.least(SYNTHETIC_PASTE_CARRIES_FILES ? 3 : 2);
    for (const upload of uploads) {
      expect(upload.name).to.equal('blob.bin');
      expect(upload.content_type).to.equal('application/octet-stream');
      const raw = atob(upload.base64);
      expect(raw.includes(marker), 'marker in an uploaded file').to.equal(false);
      expect(raw.includes('Potassium'), 'plaintext in an uploaded file').to.equal(false);
    }

    // A thumbnail's blob URL is revoked when the element is removed…
    const thumbUrl = img.src;
    expect((await fetch(thumbUrl)).ok).to.equal(true);
    b.remove();
    let revoked = false;
    await fetch(thumbUrl).catch(() => {
      revoked = true;
    });
    expect(revoked, 'blob URL still alive after the element was removed').to.equal(true);
    // …and when the list changes and it is no longer shown: Alice deletes her picture.
    const ownImg = await waitFor('thumbnail on alice', () => {
      const node = messageWithFile(a, photo.name)?.querySelector<HTMLImageElement>('img[part~="thumbnail"]');
      return node?.complete && node.naturalWidth > 0 ? node : undefined;
    });
    const ownUrl = ownImg.src;
    const ownMessage = messageWithFile(a, photo.name) as HTMLElement;
    [...ownMessage.querySelectorAll('button')].find((x) => x.textContent?.trim() === 'Delete')?.click();
    await waitFor('picture gone on alice', () => !shadow(a).querySelector(`img[src="${ownUrl}"]`));
    let ownRevoked = false;
    await fetch(ownUrl).catch(() => {
      ownRevoked = true;
    });
    expect(ownRevoked, 'blob URL alive after its message was deleted').to.equal(true);
  });

  it('refuses files over the size limit with a clear message and sends nothing', async () => {
    const carol = { sub: subject('carol'), name: 'Carol' };
    const dan = { sub: subject('dan'), name: 'Dr Dan' };
    const c = await open(carol, [dan], dan.sub);
    c.setAttribute('max-file-size', '1000');
    const big = new File(['y'.repeat(2048)], `scan-${rand()}.pdf`, { type: 'application/pdf' });
    const input = $(c, 'input[type="file"]') as HTMLInputElement;
    input.files = transfer(big).files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await c.updateComplete;
    const alert = await waitFor('size alert', () =>
      shadow(c).querySelector<HTMLElement>('[part~="composer"] [role="alert"]'),
    );
    expect(alert.textContent).to.contain(big.name);
    expect(alert.textContent).to.match(/too large/);
    expect(shadow(c).querySelector('[part~="files"]')).to.equal(null);
    await expect(c).to.be.accessible();
  });
});
