/**
 * @module
 * The analytics store: each method is one SQL statement over a pool; rows
 * come back already aggregated and are only converted to JSON numbers here.
 */
import type pg from 'pg'
import type { RankingMetric } from '../../edge/analytics/ranking.ts'
import { encodeKeysetCursor } from '../../edge/validation/keyset-cursor.ts'
import {
  DESIGN_DAILY_SERIES,
  DESIGN_EXISTS,
  DESIGN_HOURLY_SERIES,
  DESIGN_SUMMARY,
  topDesignsSql,
} from './queries.ts'

/** The figures reported for a design or a bucket. */
export interface Figures {
  impressions: number
  clicks: number
  addToCart: number
  purchases: number
  revenue: number
  ctr: number
  conversion: number
}

type FigureRow = Record<
  'impressions' | 'clicks' | 'add_to_cart' | 'purchases' | 'revenue' | 'ctr' | 'conversion',
  string
>

// bigint and numeric arrive as strings (exact); counts and money fit a double.
const figures = (row: FigureRow): Figures => ({
  impressions: Number(row.impressions),
  clicks: Number(row.clicks),
  addToCart: Number(row.add_to_cart),
  purchases: Number(row.purchases),
  revenue: Number(row.revenue),
  ctr: Number(row.ctr),
  conversion: Number(row.conversion),
})

/** A period. */
export interface Period {
  from: Date
  to: Date
}

/** Creates the store on a pool. */
export function createAnalyticsStore(pool: pg.Pool) {
  return {
    /** Whether the design exists (to tell an unknown id from a quiet design). */
    async designExists(id: number): Promise<boolean> {
      return (await pool.query(DESIGN_EXISTS, [id])).rowCount === 1
    },

    /** Totals of one design, optionally for one product. */
    async designSummary(id: number, period: Period, product?: string): Promise<Figures> {
      const { rows } = await pool.query<FigureRow>(DESIGN_SUMMARY, [
        id,
        period.from,
        period.to,
        product ?? null,
      ])
      return figures(rows[0]!)
    },

    /** Designs ranked by `metric`, one page at a time. */
    async topDesigns(
      metric: RankingMetric,
      period: Period,
      limit: number,
      after?: { value: string; id: number },
    ) {
      const { rows } = await pool.query<
        FigureRow & { design_id: string; slug: string; title: string; value: string }
      >(topDesignsSql(metric), [
        period.from,
        period.to,
        after?.value ?? null,
        after?.id ?? null,
        limit + 1,
      ])
      const page = rows.slice(0, limit)
      const last = page.at(-1)
      return {
        items: page.map((row) => ({
          designId: Number(row.design_id),
          slug: row.slug,
          title: row.title,
          value: Number(row.value),
          ...figures(row),
        })),
        // One extra row was fetched to know whether another page exists.
        nextCursor:
          rows.length > limit && last
            ? encodeKeysetCursor(last.value, Number(last.design_id))
            : null,
      }
    },

    /** One design's figures per bucket. */
    async designTimeseries(id: number, bucket: 'hour' | 'day', period: Period) {
      const { rows } = await pool.query<FigureRow & { bucket: Date }>(
        bucket === 'day' ? DESIGN_DAILY_SERIES : DESIGN_HOURLY_SERIES,
        [id, period.from, period.to],
      )
      return rows.map((row) => ({ bucket: row.bucket.toISOString(), ...figures(row) }))
    },
  }
}

/** The analytics store. */
export type AnalyticsStore = ReturnType<typeof createAnalyticsStore>
