/**
 * @module
 * The opportunity score (0-100) of a topic, from one row of SQL aggregates.
 * Pure and portable: the database does the summing, this file the weighting.
 *
 * Components, each in [0, 1]:
 * - momentum: log2 growth of the last 24 h over the daily average of the six
 *   days before, mapped so "flat" is 0.5 and 4x growth (or more) is 1;
 * - volume: log-scaled sum of signal values over 7 days, saturating at 100k;
 * - diversity: distinct sources over 7 days, saturating at 5;
 * - recency: exp(-hours since the newest signal / 24).
 * score = 100 * (0.40 momentum + 0.25 volume + 0.20 diversity + 0.15 recency),
 * rounded to one decimal; a topic without signals in 7 days scores 0.
 */

/** The aggregates {@link SCORE_SQL} returns for one topic. */
export interface ScoreAggregates {
  recentCount: number
  recentSum: number
  baselineCount: number
  baselineSum: number
  sources: number
  lastObservedAt: Date | null
}

/** Each component in [0, 1]. */
export interface ScoreComponents {
  momentum: number
  volume: number
  diversity: number
  recency: number
}

/** Component weights; they sum to 1. */
export const SCORE_WEIGHTS: Readonly<ScoreComponents> = {
  momentum: 0.4,
  volume: 0.25,
  diversity: 0.2,
  recency: 0.15,
}

/** Days in the baseline window (the 7-day window less the last 24 h). */
const BASELINE_DAYS = 6
const VOLUME_SATURATION = 100_000
const DIVERSITY_SATURATION = 5
const RECENCY_HOURS = 24

const clamp01 = (x: number) => Math.min(1, Math.max(0, x))
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits

/** Computes the components and score at time `now`. */
export function computeScore(
  agg: ScoreAggregates,
  now: Date,
): { score: number; components: ScoreComponents } {
  if (agg.recentCount + agg.baselineCount === 0 || agg.lastObservedAt === null) {
    return { score: 0, components: { momentum: 0, volume: 0, diversity: 0, recency: 0 } }
  }
  const baselineDaily = Math.max(0, agg.baselineSum) / BASELINE_DAYS
  const growth = Math.log2((Math.max(0, agg.recentSum) + 1) / (baselineDaily + 1))
  const hoursSince = Math.max(0, (now.getTime() - agg.lastObservedAt.getTime()) / 3_600_000)
  const components: ScoreComponents = {
    momentum: clamp01(0.5 + growth / 4),
    volume: clamp01(
      Math.log10(1 + Math.max(0, agg.recentSum + agg.baselineSum)) /
        Math.log10(1 + VOLUME_SATURATION),
    ),
    diversity: clamp01(agg.sources / DIVERSITY_SATURATION),
    recency: Math.exp(-hoursSince / RECENCY_HOURS),
  }
  const weighted = (Object.keys(SCORE_WEIGHTS) as (keyof ScoreComponents)[]).reduce(
    (sum, name) => sum + SCORE_WEIGHTS[name] * components[name],
    0,
  )
  return {
    score: round(100 * weighted, 1),
    components: {
      momentum: round(components.momentum, 4),
      volume: round(components.volume, 4),
      diversity: round(components.diversity, 4),
      recency: round(components.recency, 4),
    },
  }
}
