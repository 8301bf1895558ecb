/**
 * @module
 * The Node default audit sink: JSON lines to stdout, batched per event-loop turn into one write, so a busy server
 * does not pay a write syscall per request. Pending lines are flushed on `beforeExit`/`exit`.
 */
import type { AuditSink } from '../audit.js';

export function batchedStdoutAuditSink(
  write: (text: string) => void = (text) => process.stdout.write(text),
): AuditSink {
  let pending: string[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    write(text);
  };
  process.once('exit', flush);
  return (event) => {
    if (pending.length === 0) setImmediate(flush);
    pending.push(`${JSON.stringify(event)}\n`);
  };
}
