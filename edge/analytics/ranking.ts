/**
 * @module
 * The figures designs can be ranked by: one list for core's SQL and the
 * gateway's input schema, so the two cannot drift apart.
 */

/** Ranking metrics; each is a column of core's analytics figures. */
export const RANKING_METRICS = [
  'impressions',
  'clicks',
  'add_to_cart',
  'purchases',
  'revenue',
  'ctr',
  'conversion',
] as const

/** A ranking metric. */
export type RankingMetric = (typeof RANKING_METRICS)[number]
