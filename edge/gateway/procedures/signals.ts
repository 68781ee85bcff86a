/**
 * @module
 * `signals.ingest`: posts a batch of trend signals to core's `POST /signals`
 * with the caller's API key. The batch's size is checked here, against the
 * signal contract; core checks each item and answers which ones are bad (in
 * `data.details`).
 */
import { signalContract } from '../../contracts/signals.ts'
import type { CoreClient } from '../core-client.ts'
import { privateProcedure, router } from '../trpc.ts'

/** The `signals` procedures, calling `core` with the caller's key. */
export function signalsRouter(core: CoreClient) {
  const { batch, accepted } = signalContract
  return router({
    ingest: privateProcedure
      .input(batch)
      .output(accepted)
      .mutation(({ input, ctx }) =>
        core.call(
          {
            method: 'POST',
            path: '/signals',
            body: input,
            authorization: ctx.authorization,
            client: ctx.client,
            signal: ctx.signal,
          },
          accepted,
        ),
      ),
  })
}
