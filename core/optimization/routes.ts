/**
 * @module
 * The optimization service's routes (API key): `POST /experiments/:id/metrics`
 * records a batch of samples tagged with the experiment, and
 * `GET /experiments/:id/summary` aggregates one metric per variant (count,
 * sum, avg, min, max, p50, p95) in SQL. A store failure answers 503.
 */
import type { Context } from 'hono'
import { ApiError } from '../../edge/errors/index.ts'
import type { CoreRoutes } from '../http/app.ts'
import { batchError } from '../http/batch-error.ts'
import { jsonBody } from '../http/json-body.ts'
import { type MetricsStore, MetricsStoreError } from './store/index.ts'
import {
  EXPERIMENT_TAG,
  experimentIdSchema,
  MAX_METRICS_PER_REQUEST,
  summaryQuerySchema,
  VARIANT_TAG,
  validateMetricBatch,
} from './validate.ts'

const BATCH_WORDING = {
  noun: 'metrics',
  max: MAX_METRICS_PER_REQUEST,
  container: 'A request',
  consequence: 'none was recorded',
}

/** Options of {@link experimentRoutes}. */
export interface ExperimentRoutesOptions {
  /** Undefined when no store is configured: the routes answer 503. */
  store: MetricsStore | undefined
  /** Seconds a client should wait after a 503. @defaultValue 5 */
  retryAfterSeconds?: number
}

/** Adds the experiment routes to the core app. */
export function experimentRoutes(options: ExperimentRoutesOptions): CoreRoutes {
  const retryAfter = String(options.retryAfterSeconds ?? 5)
  const unavailable = (message: string) =>
    new ApiError(503, 'metrics_store_unavailable', message, undefined, {
      'Retry-After': retryAfter,
    })
  const storeOf = (): MetricsStore => {
    if (!options.store) throw unavailable('The metrics store is not configured')
    return options.store
  }
  const guarded = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run()
    } catch (err) {
      if (err instanceof MetricsStoreError) throw unavailable('The metrics store is unavailable')
      throw err
    }
  }

  return (app, requireKey) => {
    app.post('/experiments/:id/metrics', requireKey, async (c) => {
      const store = storeOf()
      const experiment = experimentId(c)
      const checked = validateMetricBatch(await jsonBody(c))
      if (!checked.ok) throw batchError(checked, BATCH_WORDING)
      await guarded(() =>
        store.recordMany(
          checked.metrics.map((m) => ({ ...m, tags: { ...m.tags, [EXPERIMENT_TAG]: experiment } })),
        ),
      )
      return c.json({ experiment, recorded: checked.metrics.length }, 201)
    })

    app.get('/experiments/:id/summary', requireKey, async (c) => {
      const store = storeOf()
      const experiment = experimentId(c)
      const parsed = summaryQuerySchema.safeParse(c.req.query())
      if (!parsed.success) {
        throw new ApiError(400, 'invalid_query', parsed.error.issues[0]?.message ?? 'bad query', {
          issues: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
        })
      }
      const { name, from, to } = parsed.data
      const groups = await guarded(() =>
        store.query(name, from, to, {
          where: { [EXPERIMENT_TAG]: experiment },
          groupBy: VARIANT_TAG,
        }),
      )
      return c.json({
        experiment,
        name,
        from: from.toISOString(),
        to: to.toISOString(),
        variants: groups.map(({ group, ...stats }) => ({ variant: group, ...stats })),
      })
    })
  }
}

function experimentId(c: Context): string {
  const parsed = experimentIdSchema.safeParse(c.req.param('id'))
  if (!parsed.success) {
    throw new ApiError(400, 'invalid_experiment', parsed.error.issues[0]?.message ?? 'bad id')
  }
  return parsed.data
}
