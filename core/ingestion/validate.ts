/**
 * @module
 * Validation of a posted signal batch against the signal contract, item by
 * item, so a client learns every bad item of a batch (by index and field) in
 * one answer; valid items are normalised for the queue.
 */
import { type QueuedSignal, signalContract, toQueuedSignal } from '../../edge/contracts/signals.ts'
import { type BatchValidation, validateBatch } from '../../edge/validation/index.ts'

/** Validates `{ signals: [...] }`: 1 to the contract's `maxPerBatch` items, every one valid. */
export function validateSignalBatch(body: unknown): BatchValidation<QueuedSignal> {
  const { input, limits } = signalContract
  const checked = validateBatch(body, 'signals', input, limits.maxPerBatch)
  return checked.ok ? { ok: true, items: checked.items.map(toQueuedSignal) } : checked
}
