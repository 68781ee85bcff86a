/**
 * @module
 * `score.get`: the `/score` answer through tRPC, from the same cached service.
 * The output schema lists the fields in the order the service builds them, so
 * the serialised answer is `{"result":{"data":<the cached JSON>}}` byte for
 * byte, which is what the validator cache's tag is the hash of.
 */
import { scoreContract } from '../../contracts/score.ts'
import type { ScoreService } from '../../score/service.ts'
import { asTrpcError } from '../errors.ts'
import { publicProcedure, router } from '../trpc.ts'

/** A score, as `score.get` returns it. */
export const scoreOutputSchema = scoreContract.result

/** The `score` procedures over `score`. */
export function scoreRouter(score: ScoreService) {
  return router({
    get: publicProcedure
      .input(scoreContract.query)
      .output(scoreOutputSchema)
      .query(async ({ input }) => {
        try {
          return (await score.get(input)).result
        } catch (err) {
          throw asTrpcError(err)
        }
      }),
  })
}
