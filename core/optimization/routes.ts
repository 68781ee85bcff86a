/**
 * @module
 * The optimization service's routes (API key): `POST /experiments/:id/metrics`
 * records a batch of samples tagged with the experiment, and
 * `GET /experiments/:id/summary` aggregates one metric per variant (count,
 * sum, avg, min, max, p50, p95) in SQL. A store failure answers 503.
 */
import type { Context } from 'hono'
import {
  EXPERIMENT_ERRORS,
  EXPERIMENT_TAG,
  experimentContract,
  VARIANT_TAG,
  validateMetricBatch,
} from '../../edge/contracts/experiments.ts'
import { DependencyUnavailableError } from '../../edge/errors/index.ts'
import { validate } from '../../edge/validation/index.ts'
import type { CoreRoutes } from '../http/app.ts'
import { batchError } from '../http/batch-error.ts'
import { jsonBody } from '../http/json-body.ts'
import type { MetricsStore } from './store/index.ts'

const BATCH_WORDING = {
  noun: 'metrics',
  max: experimentContract.limits.maxMetricsPerRequest,
  container: 'A request',
  consequence: 'none was recorded',
  codes: EXPERIMENT_ERRORS,
}

/** Options of {@link experimentRoutes}. */
export interface ExperimentRoutesOptions {
  /** Undefined when no store is configured: the routes answer 503. */
  store: MetricsStore | undefined
}

/** Adds the experiment routes to the core app. */
export function experimentRoutes(options: ExperimentRoutesOptions): CoreRoutes {
  // A failing store (MetricsStoreError) is the app's classifier's 503.
  const storeOf = (): MetricsStore => {
    if (!options.store) {
      throw new DependencyUnavailableError('metricsStore', 'The metrics store is not configured')
    }
    return options.store
  }

  return (app, requireKey) => {
    app.post('/experiments/:id/metrics', requireKey, async (c) => {
      // Input first, as every route: a bad request is a 400 even while the store is away.
      const experiment = experimentId(c)
      const checked = validateMetricBatch(await jsonBody(c), experimentContract)
      if (!checked.ok) throw batchError(checked, BATCH_WORDING)
      const store = storeOf()
      await store.recordMany(
        checked.items.map((m) => ({ ...m, tags: { ...m.tags, [EXPERIMENT_TAG]: experiment } })),
      )
      return c.json({ experiment, recorded: checked.items.length }, 201)
    })

    app.get('/experiments/:id/summary', requireKey, async (c) => {
      const experiment = experimentId(c)
      const { name, from, to } = validate(
        experimentContract.summaryQuery,
        c.req.query(),
        EXPERIMENT_ERRORS.invalidQuery,
      )
      const store = storeOf()
      const groups = await store.query(name, from, to, {
        where: { [EXPERIMENT_TAG]: experiment },
        groupBy: VARIANT_TAG,
      })
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
  return validate(experimentContract.idParam, c.req.param(), EXPERIMENT_ERRORS.invalidExperiment).id
}
