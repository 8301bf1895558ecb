/**
 * @module
 * The human-readable transcript (PDF, pdf-lib): who exported what and why, then each conversation's messages in
 * record order with their verification status in words. Failures are printed as failures, never left out.
 * The standard Helvetica font covers Latin-1 (English, Spanish); other characters print as "?" here, and the
 * Bundle keeps the exact text.
 */
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { STATUS_TEXT, inRecordOrder, type RecordConversation, type RecordMeta } from './record.js';

const PAGE: [number, number] = [595.28, 841.89]; // A4
const MARGIN = 50;
const SIZE = 10;
const LEAD = 14;

/** WinAnsi-safe text: what Helvetica cannot draw becomes "?". */
const printable = (text: string) => text.replace(/[^\x20-\x7e\xa0-\xff]/g, '?');

class Writer {
  #page: PDFPage;
  #y = 0;
  constructor(
    private readonly doc: PDFDocument,
    private readonly font: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.#page = this.#newPage();
  }

  #newPage(): PDFPage {
    this.#page = this.doc.addPage(PAGE);
    this.#y = PAGE[1] - MARGIN;
    return this.#page;
  }

  line(text: string, opts: { bold?: boolean; indent?: number; alert?: boolean } = {}): void {
    const font = opts.bold ? this.bold : this.font;
    const x = MARGIN + (opts.indent ?? 0);
    const width = PAGE[0] - MARGIN - x;
    for (const paragraph of printable(text).split('\n')) {
      let current = '';
      const flush = () => {
        if (this.#y < MARGIN) this.#newPage();
        this.#page.drawText(current, {
          x,
          y: this.#y,
          size: SIZE,
          font,
          color: opts.alert ? rgb(0.7, 0, 0) : rgb(0, 0, 0),
        });
        this.#y -= LEAD;
        current = '';
      };
      for (const word of paragraph.split(' ')) {
        const next = current ? `${current} ${word}` : word;
        if (current && font.widthOfTextAtSize(next, SIZE) > width) {
          flush();
          current = word;
        } else current = next;
      }
      flush();
    }
  }

  gap(): void {
    this.#y -= LEAD / 2;
  }
}

export async function transcriptPdf(
  conversations: readonly RecordConversation[],
  meta: RecordMeta,
): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle('Secure chat transcript (break-glass export)');
  doc.setCreationDate(meta.exportedAt);
  const w = new Writer(
    doc,
    await doc.embedFont(StandardFonts.Helvetica),
    await doc.embedFont(StandardFonts.HelveticaBold),
  );
  w.line('Secure chat transcript - break-glass export', { bold: true });
  w.line(
    `Exported ${meta.exportedAt.toISOString()} by ${meta.actor}, approved by ${meta.approvers.join(', ')}`,
  );
  w.line(`Reason: ${meta.justification}`);
  if (meta.since || meta.until)
    w.line(`Window: ${meta.since?.toISOString() ?? 'start'} to ${meta.until?.toISOString() ?? 'now'}`);
  for (const conversation of conversations) {
    const name = (id: string) => conversation.members.find((m) => m.id === id)?.subject ?? `chat user ${id}`;
    w.gap();
    w.line(`Conversation ${conversation.cid}`, { bold: true });
    w.line(`Members: ${conversation.members.map((m) => name(m.id)).join(', ')}`);
    for (const entry of inRecordOrder(conversation.entries)) {
      w.gap();
      const thread = entry.parentId ? ' (thread reply)' : '';
      w.line(`${entry.sentAt.toISOString()}  ${name(entry.from)}${thread}  [${entry.id}]`, { bold: true });
      const trusted = entry.status === 'verified';
      if (!trusted) w.line(STATUS_TEXT[entry.status], { indent: 12, alert: entry.status !== 'deleted' });
      if (trusted && entry.rev > 0)
        w.line(
          `edited by its sender (revision ${entry.rev}${entry.updatedAt ? `, ${entry.updatedAt.toISOString()}` : ''})`,
          { indent: 12 },
        );
      if (trusted && entry.text) w.line(entry.text, { indent: 12 });
      if (!trusted) continue;
      for (const f of entry.files)
        w.line(
          f.path
            ? `File: ${f.name} (${f.type}, ${f.size} bytes) -> ${f.path}`
            : `File: ${f.name}: ${STATUS_TEXT[f.failure ?? 'unavailable']}`,
          { indent: 12, alert: !f.path },
        );
    }
  }
  return doc.save();
}
