/**
 * @module
 * `mockups.*`: core's mock-up API (`/mockups`). Every call needs an API key,
 * which is forwarded to core; answers are private to the caller. Inputs and
 * outputs are the mock-up contract's: a request core would refuse is refused
 * here, and no request reaches core for it.
 */
import { mockupContract } from '../../contracts/mockups.ts'
import type { CoreClient } from '../core-client.ts'
import { privateProcedure, router } from '../trpc.ts'

/** The `mockups` procedures, calling `core` with the caller's key. */
export function mockupsRouter(core: CoreClient) {
  const { view, page, accepted, request, listInput, idParam } = mockupContract
  return router({
    get: privateProcedure
      .input(idParam)
      .output(view)
      .query(({ input, ctx }) =>
        core.call(
          {
            path: `/mockups/${encodeURIComponent(input.id)}`,
            authorization: ctx.authorization,
            client: ctx.client,
            signal: ctx.signal,
          },
          view,
        ),
      ),

    list: privateProcedure
      // An empty input is the first page of the default size.
      .input(listInput.default({ limit: mockupContract.limits.defaultPageSize }))
      .output(page)
      .query(({ input, ctx }) =>
        core.call(
          {
            path: '/mockups',
            query: input,
            authorization: ctx.authorization,
            client: ctx.client,
            signal: ctx.signal,
          },
          page,
        ),
      ),

    create: privateProcedure
      .input(request)
      .output(accepted)
      .mutation(({ input, ctx }) =>
        core.call(
          {
            method: 'POST',
            path: '/mockups',
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
