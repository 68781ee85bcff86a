/** @module Cache keys of scores: `score:v1:<sha-256 of topic and product>`. */
import type { ScoreQuery } from './query.ts'

/** Bump when the cached payload's shape or the formula changes. */
export const SCORE_KEY_PREFIX = 'score:v1:'

const encoder = new TextEncoder()

/** The cache key of a normalised query (hashed: topics are user text of any length). */
export async function scoreKey(query: ScoreQuery): Promise<string> {
  // NUL cannot occur in a topic (validation refuses it), so it separates unambiguously.
  const bytes = encoder.encode(`${query.topic}\u0000${query.product ?? ''}`)
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  let hex = ''
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0')
  return SCORE_KEY_PREFIX + hex
}
