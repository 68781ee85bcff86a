/**
 * @module
 * The score contract: the `/score` query and `score.get` input (topic
 * normalisation and its limit), the answer, and the error codes. A topic is
 * trimmed, lower-cased and its inner whitespace collapsed, so "Retro  Cats "
 * and "retro cats" are one key and one row set. The edge route, the tRPC
 * procedure, the validator cache and the signal contract read it from here.
 */
import { z } from 'zod'
import { OUTAGE_CODES } from '../errors/unavailable.ts'
import { PRODUCTS } from '../score/products.ts'
import { FORBIDDEN_TEXT } from './fields.ts'

/** Limits of a score query. */
export interface ScoreLimits {
  /** Longest topic, after normalisation. */
  maxTopicLength: number
}

/** The limits the platform runs with. */
export const SCORE_LIMITS: ScoreLimits = { maxTopicLength: 100 }

/** Longest topic, after normalisation. */
export const MAX_TOPIC_LENGTH = SCORE_LIMITS.maxTopicLength

/** Error codes of the score API: a bad query, and a database that is down (503, `Retry-After`). */
export const SCORE_ERRORS = {
  invalidQuery: 'invalid_query',
  unavailable: OUTAGE_CODES.database,
} as const

/** Normalises a topic: NFC, trimmed, lower-cased, inner whitespace collapsed to one space. */
export function normaliseTopic(topic: string): string {
  return topic.normalize('NFC').trim().toLowerCase().replace(/\s+/gu, ' ')
}

/** Builds the score schemas from `limits` (see {@link scoreContract}). */
export function createScoreContract(limits: ScoreLimits = SCORE_LIMITS) {
  const L = limits
  /** `GET /score` query and `score.get` input, normalised. */
  const query = z.object({
    topic: z
      .string({ error: 'topic is required' })
      // Control characters (NUL included) and U+FFFD, which URL decoding puts
      // where the bytes were not UTF-8.
      .refine((t) => !FORBIDDEN_TEXT.test(t), {
        error: 'topic must be valid UTF-8 text without control characters',
        abort: true,
      })
      .transform(normaliseTopic)
      .pipe(
        z
          .string()
          .min(1, { error: 'topic must not be empty' })
          .max(L.maxTopicLength, {
            error: `topic must be at most ${L.maxTopicLength} characters`,
          }),
      ),
    product: z
      .enum(PRODUCTS, { error: `product must be one of ${PRODUCTS.join(', ')}` })
      .optional(),
  })

  /**
   * A score as `/score` and `score.get` answer it. The fields are in the order
   * the service builds them: the tRPC answer is the cached JSON byte for byte.
   */
  const result = z.object({
    topic: z.string(),
    product: z.string().nullable(),
    score: z.number(),
    components: z.object({
      momentum: z.number(),
      volume: z.number(),
      diversity: z.number(),
      recency: z.number(),
    }),
    computedAt: z.string(),
  })

  return { limits: L, query, result }
}

/** The schemas of one score contract. */
export type ScoreContract = ReturnType<typeof createScoreContract>

/** The contract the platform runs with. */
export const scoreContract: ScoreContract = createScoreContract()

/** A validated score query. */
export const scoreQuerySchema = scoreContract.query

/** The normalised query. */
export type ScoreQuery = z.infer<typeof scoreQuerySchema>
