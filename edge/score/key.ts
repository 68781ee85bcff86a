/** @module Cache keys of scores: `score:v1:<sha-256 of topic and product>`. */
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import type { ScoreQuery } from './query.ts'

/** Bump when the cached payload's shape or the formula changes. */
export const SCORE_KEY_PREFIX = 'score:v1:'

/**
 * The cache key of a normalised query (hashed: topics are user text of any
 * length). Synchronous: crypto.subtle's digest is a thread-pool round trip,
 * several times the cost of hashing a short topic here.
 */
export function scoreKey(query: ScoreQuery): string {
  // NUL cannot occur in a topic (validation refuses it), so it separates unambiguously.
  return (
    SCORE_KEY_PREFIX + bytesToHex(sha256(utf8ToBytes(`${query.topic}\u0000${query.product ?? ''}`)))
  )
}
