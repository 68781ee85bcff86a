/**
 * @module
 * The `/score` input: topic normalisation and validation. A topic is trimmed,
 * lower-cased and its inner whitespace collapsed, so "Retro  Cats " and
 * "retro cats" are one key and one row set.
 */
import { z } from 'zod'
import { PRODUCTS } from './products.ts'

/** Longest topic, after normalisation. */
export const MAX_TOPIC_LENGTH = 100

/** Normalises a topic: NFC, trimmed, lower-cased, inner whitespace collapsed to one space. */
export function normaliseTopic(topic: string): string {
  return topic.normalize('NFC').trim().toLowerCase().replace(/\s+/gu, ' ')
}

// Control characters (NUL included) and U+FFFD, which URL decoding puts where
// the bytes were not UTF-8.
const FORBIDDEN = /[\p{Cc}\uFFFD]/u

/** A validated score query. */
export const scoreQuerySchema = z.object({
  topic: z
    .string({ error: 'topic is required' })
    .refine((t) => !FORBIDDEN.test(t), {
      error: 'topic must be valid UTF-8 text without control characters',
      abort: true,
    })
    .transform(normaliseTopic)
    .pipe(
      z
        .string()
        .min(1, { error: 'topic must not be empty' })
        .max(MAX_TOPIC_LENGTH, { error: `topic must be at most ${MAX_TOPIC_LENGTH} characters` }),
    ),
  product: z.enum(PRODUCTS, { error: `product must be one of ${PRODUCTS.join(', ')}` }).optional(),
})

/** The normalised query. */
export type ScoreQuery = z.infer<typeof scoreQuerySchema>
