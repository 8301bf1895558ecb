// Encrypted file attachments. Each file is encrypted and signed in the browser (chunked), uploaded as opaque bytes
// under a meaningless name and attached to the Stream message; only its reference (attachment index, SHA-256 of the
// encrypted bytes, real name, type, size) travels inside the encrypted envelope.
import { SecureChatError } from './errors.js';
import type { ChatPort, CryptoPort, Recipients } from './ports.js';

/** A file as the timeline holds it: `url` is where its encrypted bytes are now (the attachment's fresh link). */
export interface FileRef {
  url: string;
  /** SHA-256 of the encrypted bytes (base64url). Absent only in older messages, whose link is sealed in the envelope. */
  sha256?: string;
  name: string;
  type: string;
  size: number;
}

/**
 * A file as the envelope lists it. Current format: `att`, the index of the message attachment holding the bytes,
 * and their `sha256`. Older messages carry the upload link itself in `url` (still read, never written for new files).
 */
export interface SealedFile {
  att?: number;
  sha256?: string;
  url?: string;
  name: string;
  type: string;
  size: number;
}

/** SHA-256 of a blob, base64url without padding (WebCrypto). */
export async function sha256(data: Blob): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await data.arrayBuffer()));
  return btoa(String.fromCharCode(...digest))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

const isLink = (url: unknown): url is string => typeof url === 'string' && /^https?:\/\//.test(url);

/** Default per-file limit (bytes); the element's `max-file-size` attribute overrides it. */
export const DEFAULT_MAX_FILE_BYTES = 25 * 1024 * 1024;

/** Raster types shown inline as thumbnails. SVG is deliberately excluded: it is a document, not a picture. */
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif']);

export const isImage = (ref: Pick<FileRef, 'type'>): boolean => IMAGE_TYPES.has(ref.type);

/** The files that exceed the limit. */
export function tooLarge<T extends { size: number }>(files: readonly T[], maxBytes: number): T[] {
  return files.filter((f) => f.size > maxBytes);
}

/**
 * Control characters, and the bidirectional controls (embeddings, overrides, isolates, marks) that can make
 * "invoice\u202Efdp.exe" read as "invoiceexe.pdf".
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_NAMES = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** A name safe to offer as a download name: no path parts, no control or bidi characters, bounded length. */
export function safeFileName(name: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '').replace(UNSAFE_IN_NAMES, '').trim();
  return base.slice(0, 200) || 'file';
}

/**
 * Validates the decrypted envelope's file list and resolves each file's link: the message's attachment `att` as
 * Stream returned it (re-signed on every read), or the sealed `url` of an older message. Anything malformed, and a
 * file whose attachment is missing, is dropped, never shown.
 */
export function fileRefs(raw: unknown, attachments: readonly string[] = []): FileRef[] {
  if (!Array.isArray(raw)) return [];
  const refs: FileRef[] = [];
  for (const f of raw as Partial<Record<keyof SealedFile, unknown>>[]) {
    if (!f || typeof f !== 'object' || typeof f.name !== 'string' || typeof f.type !== 'string') continue;
    if (!Number.isSafeInteger(f.size) || (f.size as number) < 0) continue;
    const attached = typeof f.att === 'number' && typeof f.sha256 === 'string';
    const url = attached ? attachments[f.att as number] : f.url;
    if (!isLink(url)) continue;
    refs.push({
      url,
      ...(attached ? { sha256: f.sha256 as string } : {}),
      name: safeFileName(f.name),
      type: f.type,
      size: f.size as number,
    });
  }
  return refs;
}

/**
 * The envelope's file list and the message's attachment links for these files: each file with a SHA-256 becomes
 * an attachment (in order); an older message's file without one keeps its sealed link.
 */
export function sealFileList(refs: readonly FileRef[]): { files: SealedFile[]; attachments: string[] } {
  const attachments: string[] = [];
  const files = refs.map(({ url, sha256, name, type, size }): SealedFile => {
    if (!sha256) return { url, name, type, size };
    attachments.push(url);
    return { att: attachments.length - 1, sha256, name, type, size };
  });
  return { files, attachments };
}

/** Reports progress over several steps of known weight as one fraction from 0 to 1. */
function stepProgress(weights: readonly number[], report?: (fraction: number) => void) {
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  return (step: number) => (fraction: number) => {
    if (!report) return;
    const done = weights.slice(0, step).reduce((a, b) => a + b, 0);
    report(Math.min(1, (done + (weights[step] ?? 0) * Math.max(0, Math.min(1, fraction))) / total));
  };
}

function needFileCrypto(crypto: CryptoPort) {
  const { encryptFile, decryptFile } = crypto;
  if (!encryptFile || !decryptFile)
    throw new SecureChatError('internal', 'File encryption is not available.');
  return { encrypt: encryptFile.bind(crypto), decrypt: decryptFile.bind(crypto) };
}

/** Encrypts and uploads each file; returns the references to seal into the envelope. */
export async function sealFiles(
  crypto: CryptoPort,
  chat: ChatPort,
  cid: string,
  to: Recipients,
  files: readonly File[],
  onProgress?: (fraction: number) => void,
): Promise<FileRef[]> {
  const { encrypt } = needFileCrypto(crypto);
  // Encrypting and uploading each weigh about the same: one step each per file, weighted by size.
  const step = stepProgress(
    files.flatMap((f) => [f.size + 1, f.size + 1]),
    onProgress,
  );
  const refs: FileRef[] = [];
  for (const [i, file] of files.entries()) {
    const sealed = await encrypt(file, to, step(2 * i));
    const url = await chat.upload(cid, sealed, step(2 * i + 1));
    refs.push({
      url,
      sha256: await sha256(sealed),
      name: safeFileName(file.name),
      type: file.type || 'application/octet-stream',
      size: file.size,
    });
  }
  onProgress?.(1);
  return refs;
}

/**
 * Downloads, checks against the sealed SHA-256 (a swapped upload is refused before decryption), decrypts and
 * verifies one file from `from`; the Blob carries the real type. `signal` (the widget locked, the file left the
 * screen) aborts the download and the decryption, and the result is never returned once it has aborted.
 */
export async function openFile(
  crypto: CryptoPort,
  chat: ChatPort,
  ref: FileRef,
  from: string,
  sentAt: Date,
  onProgress?: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<Blob> {
  const { decrypt } = needFileCrypto(crypto);
  const step = stepProgress([3, 1], onProgress);
  const stopped = () => {
    if (signal?.aborted) throw new SecureChatError('aborted', 'The download was cancelled.');
  };
  stopped();
  const sealed = await chat.download(ref.url, step(0), signal);
  stopped();
  if (ref.sha256 && (await sha256(sealed)) !== ref.sha256)
    throw new SecureChatError('internal', 'The file was changed after it was sent and cannot be opened.');
  stopped();
  const plain = await decrypt(sealed, from, sentAt, step(1), signal);
  stopped();
  onProgress?.(1);
  return new Blob([plain], { type: ref.type });
}
