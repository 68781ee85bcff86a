/**
 * @module
 * `signals.ingest`: posts a batch of trend signals to core's `POST /signals`
 * with the caller's API key. Shapes and sizes are checked here; core checks
 * each item's meaning and answers which ones are bad (in `data.details`).
 */
import { z } from 'zod'
import { PRODUCTS } from '../../score/products.ts'
import type { CoreClient } from '../core-client.ts'
import { privateProcedure, router } from '../trpc.ts'

/** Most signals in one batch (core's `MAX_SIGNALS_PER_JOB`: one queue job). */
export const MAX_SIGNALS_PER_BATCH = 1000

/** One signal, as core's `POST /signals` takes it. */
export const signalInput = z.object({
  id: z.string().max(128).optional(),
  topic: z.string().max(400),
  product: z.enum(PRODUCTS).nullable().optional(),
  source: z.string().max(64),
  metric: z.string().max(64),
  value: z.number(),
  observedAt: z.string().max(64),
})

/** `signals.ingest` output: the queued job. */
export const signalsAcceptedSchema = z.object({ jobId: z.string(), count: z.number() })

/** The `signals` procedures, calling `core` with the caller's key. */
export function signalsRouter(core: CoreClient) {
  return router({
    ingest: privateProcedure
      .input(z.object({ signals: z.array(signalInput).min(1).max(MAX_SIGNALS_PER_BATCH) }))
      .output(signalsAcceptedSchema)
      .mutation(({ input, ctx }) =>
        core.call(
          {
            method: 'POST',
            path: '/signals',
            body: input,
            authorization: ctx.authorization,
            signal: ctx.signal,
          },
          signalsAcceptedSchema,
        ),
      ),
  })
}
