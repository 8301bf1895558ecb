// Encrypted file attachments. Each file is encrypted and signed in the browser (chunked), uploaded as opaque bytes
// under a meaningless name, and only its reference (URL, real name, type, size) travels inside the encrypted envelope.
import { SecureChatError } from './errors.js';
import type { ChatPort, CryptoPort, Recipients } from './ports.js';

/** What the envelope carries for each attached file. The stand-in / Stream never see these fields. */
export interface FileRef {
  url: string;
  name: string;
  type: string;
  size: number;
}

/** Default per-file limit (bytes); the element's `max-file-size` attribute overrides it. */
export const DEFAULT_MAX_FILE_BYTES = 25 * 1024 * 1024;

/** Raster types shown inline as thumbnails. SVG is deliberately excluded: it is a document, not a picture. */
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif']);

export const isImage = (ref: Pick<FileRef, 'type'>): boolean => IMAGE_TYPES.has(ref.type);

/** The files that exceed the limit. */
export function tooLarge<T extends { size: number }>(files: readonly T[], maxBytes: number): T[] {
  return files.filter((f) => f.size > maxBytes);
}

/** A name safe to offer as a download name: no path parts, no control characters, bounded length. */
export function safeFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return base.slice(0, 200) || 'file';
}

/** Validates the decrypted envelope's file list; anything malformed is dropped, never shown. */
export function fileRefs(raw: unknown): FileRef[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .filter(
      (f): f is FileRef =>
        !!f &&
        typeof f === 'object' &&
        typeof (f as FileRef).url === 'string' &&
        /^https?:\/\//.test((f as FileRef).url) &&
        typeof (f as FileRef).name === 'string' &&
        typeof (f as FileRef).type === 'string' &&
        Number.isSafeInteger((f as FileRef).size) &&
        (f as FileRef).size >= 0,
    )
    .map((f) => ({ url: f.url, name: safeFileName(f.name), type: f.type, size: f.size }));
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
      name: safeFileName(file.name),
      type: file.type || 'application/octet-stream',
      size: file.size,
    });
  }
  onProgress?.(1);
  return refs;
}

/** Downloads, decrypts and verifies one file from `from`; the Blob carries the real type. */
export async function openFile(
  crypto: CryptoPort,
  chat: ChatPort,
  ref: FileRef,
  from: string,
  sentAt: Date,
  onProgress?: (fraction: number) => void,
): Promise<Blob> {
  const { decrypt } = needFileCrypto(crypto);
  const step = stepProgress([3, 1], onProgress);
  const sealed = await chat.download(ref.url, step(0));
  const plain = await decrypt(sealed, from, sentAt, step(1));
  onProgress?.(1);
  return new Blob([plain], { type: ref.type });
}
