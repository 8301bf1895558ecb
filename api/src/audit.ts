/**
 * @module
 * The audit log: one structured JSON line per token issuance, channel creation or refusal. Events carry only the
 * time, the opaque chat user id (when known), the request origin, the route, the outcome and a short reason code:
 * never tokens, secrets or portal claims. The sink is pluggable; the default writes to stdout through `console.log`,
 * which is stdout on Node and the log stream on Workers.
 */

export interface AuditEvent {
  /** ISO 8601. */
  readonly time: string;
  readonly userId?: string;
  /** The request's `Origin` header (truncated), or null when absent. */
  readonly origin: string | null;
  readonly route: string;
  readonly outcome: 'issued' | 'refused' | 'failed';
  readonly reason: string;
  /** Break-glass exports only (`npm run export`): who, why, with whose approval, and which ids were read. */
  readonly breakGlass?: BreakGlassDetail;
}

export interface BreakGlassDetail {
  /** Who ran the export (an operator's name or id in the organization). */
  readonly actor: string;
  /** Why, in the operator's words (required: the export refuses to run without it). */
  readonly justification: string;
  /** The custodians whose shares rebuilt the organization key. */
  readonly approvers: readonly string[];
  /** The conversations (cids) read, and the message ids exported (on completion). */
  readonly conversations: readonly string[];
  readonly messages?: readonly string[];
  /** Messages exported as failing verification (ids). */
  readonly unverified?: readonly string[];
  /** The export window (ISO 8601), when one was given. */
  readonly since?: string;
  readonly until?: string;
}

export type AuditSink = (event: AuditEvent) => void;

/** Writes each event as one JSON line on stdout. */
export const stdoutAuditSink: AuditSink = (event) => {
  console.log(JSON.stringify(event));
};

/** Discards events (`AUDIT_LOG=off`). */
export const silentAuditSink: AuditSink = () => {};

/** Keeps events in memory: for tests. */
export function collectingAuditSink(): AuditSink & { readonly events: AuditEvent[] } {
  const events: AuditEvent[] = [];
  return Object.assign((event: AuditEvent) => void events.push(event), { events });
}
