/**
 * @module
 * The idempotency key of a signal: the client's id when given, else a hash of
 * the fields that make two signals the same observation.
 */
import { createHash } from 'node:crypto'
import type { SignalRecord } from '../../edge/contracts/signals.ts'

/** The fields of a signal that identify it. */
export type SignalIdentity = Pick<
  SignalRecord,
  'id' | 'source' | 'topic' | 'product' | 'metric' | 'observedAt' | 'value'
>

/** `id:<client id>` or `h:<sha-256 of source, topic, product, metric, time, value>`. */
export function signalDedupeKey(signal: SignalIdentity): string {
  if (signal.id) return `id:${signal.id}`
  const fields = [
    signal.source,
    signal.topic,
    signal.product ?? '',
    signal.metric,
    signal.observedAt.toISOString(),
    String(signal.value),
  ]
  // Unit separators cannot appear in validated fields, so the join is unambiguous.
  return `h:${createHash('sha256').update(fields.join('\u001f')).digest('base64url')}`
}
