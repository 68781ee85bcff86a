/**
 * @module
 * `mockups.*`: core's mock-up API (`/mockups`). Every call needs an API key,
 * which is forwarded to core; answers are private to the caller.
 */
import { z } from 'zod'
import { PRODUCTS } from '../../score/products.ts'
import type { CoreClient } from '../core-client.ts'
import { privateProcedure, router } from '../trpc.ts'

/** A mock-up job and, once completed, its images. */
export const mockupSchema = z.object({
  id: z.string(),
  status: z.enum(['queued', 'running', 'completed', 'failed']),
  progress: z.number(),
  prompt: z.string(),
  product: z.enum(PRODUCTS),
  seed: z.number(),
  steps: z.number(),
  width: z.number().optional(),
  height: z.number().optional(),
  provider: z.string().nullable(),
  timings: z.record(z.string(), z.number()).nullable(),
  images: z.object({ png: z.string(), webp: z.string() }).nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
})

/** `mockups.list` output: newest first, a page at a time. */
export const mockupPageSchema = z.object({
  items: z.array(mockupSchema),
  nextCursor: z.string().nullable(),
})

/** `mockups.create` output: the job was accepted (core answered 202). */
export const mockupAcceptedSchema = z.object({
  id: z.string(),
  status: z.enum(['queued', 'running', 'completed', 'failed']),
})

// Bounds as core's (MOCKUP_LIMITS): refused here, no request reaches core for them.
const side = z.number().int().min(64).max(1024).multipleOf(8)

/** `mockups.create` input. */
export const mockupCreateInput = z.object({
  prompt: z.string().min(1).max(500),
  product: z.enum(PRODUCTS),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .optional(),
  steps: z.number().int().min(1).max(50).optional(),
  width: side.optional(),
  height: side.optional(),
})

/** The `mockups` procedures, calling `core` with the caller's key. */
export function mockupsRouter(core: CoreClient) {
  return router({
    get: privateProcedure
      .input(z.object({ id: z.uuid() }))
      .output(mockupSchema)
      .query(({ input, ctx }) =>
        core.call(
          {
            path: `/mockups/${encodeURIComponent(input.id)}`,
            authorization: ctx.authorization,
            signal: ctx.signal,
          },
          mockupSchema,
        ),
      ),

    list: privateProcedure
      .input(
        z
          .object({
            limit: z.number().int().min(1).max(100).optional(),
            cursor: z.string().max(200).optional(),
          })
          .default({}),
      )
      .output(mockupPageSchema)
      .query(({ input, ctx }) =>
        core.call(
          {
            path: '/mockups',
            query: input,
            authorization: ctx.authorization,
            signal: ctx.signal,
          },
          mockupPageSchema,
        ),
      ),

    create: privateProcedure
      .input(mockupCreateInput)
      .output(mockupAcceptedSchema)
      .mutation(({ input, ctx }) =>
        core.call(
          {
            method: 'POST',
            path: '/mockups',
            body: input,
            authorization: ctx.authorization,
            signal: ctx.signal,
          },
          mockupAcceptedSchema,
        ),
      ),
  })
}
