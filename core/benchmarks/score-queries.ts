/**
 * @module
 * The `/score` requests the score benchmark makes: every distinct cache key a
 * list of topics gives (the topic alone, then with each product), in order.
 */
import { normaliseTopic, PRODUCTS, type ScoreQuery } from '../../edge/score/index.ts'

/** Distinct keys one topic gives: the topic alone and the topic with each product. */
export const KEYS_PER_TOPIC = 1 + PRODUCTS.length

/**
 * Every distinct (topic, product) query of `topics`, topic by topic. Topics
 * are normalised first, so two spellings of one topic count once (they share
 * a cache key).
 */
export function scoreQueries(topics: readonly string[]): ScoreQuery[] {
  const distinct = [...new Set(topics.map(normaliseTopic))]
  return distinct.flatMap((topic) => [
    { topic },
    ...PRODUCTS.map((product) => ({ topic, product })),
  ])
}

/** The `/score` URL of `query` on the edge at `base` (no trailing slash). */
export function scoreUrl(base: string, query: ScoreQuery): string {
  const topic = `topic=${encodeURIComponent(query.topic)}`
  return `${base}/score?${topic}${query.product ? `&product=${query.product}` : ''}`
}
