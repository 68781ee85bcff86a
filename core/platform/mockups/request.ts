/**
 * @module
 * What a client may ask of the mock-up API, and the limits that protect the
 * GPUs: prompt length, steps, and image pixels.
 */
import { z } from 'zod'
import { PRODUCTS } from '../../../edge/score/products.ts'

/** Limits of a mock-up request. */
export const MOCKUP_LIMITS = {
  maxPromptLength: 500,
  minSteps: 1,
  /** Tighter than the pipeline's 150: one request must not hold a GPU for minutes. */
  maxSteps: 50,
  minSide: 64,
  maxSide: 1024,
  sideMultiple: 8,
  maxSeed: 2 ** 32 - 1,
} as const

/** Default steps and size when a request gives none. */
export const MOCKUP_DEFAULTS = { steps: 20, width: 512, height: 512 } as const

const L = MOCKUP_LIMITS
const side = z
  .number({ error: `must be a whole number from ${L.minSide} to ${L.maxSide}` })
  .int({ error: `must be a whole number from ${L.minSide} to ${L.maxSide}` })
  .min(L.minSide, { error: `must be at least ${L.minSide}` })
  .max(L.maxSide, { error: `must be at most ${L.maxSide}` })
  .refine((n) => n % L.sideMultiple === 0, { error: `must be a multiple of ${L.sideMultiple}` })

/** `POST /mockups` body. */
export const mockupRequestSchema = z.object({
  prompt: z
    .string({ error: 'prompt is required' })
    .transform((p) => p.trim().replace(/\s+/g, ' '))
    .pipe(
      z
        .string()
        .min(1, { error: 'prompt must not be empty' })
        .max(L.maxPromptLength, { error: `prompt must be at most ${L.maxPromptLength} characters` })
        .refine((p) => !/[\p{Cc}\uFFFD]/u.test(p), {
          error: 'prompt must be text without control characters',
        }),
    ),
  product: z.enum(PRODUCTS, { error: `product must be one of ${PRODUCTS.join(', ')}` }),
  seed: z
    .number({ error: `must be a whole number from 0 to ${L.maxSeed}` })
    .int({ error: `must be a whole number from 0 to ${L.maxSeed}` })
    .min(0, { error: `must be a whole number from 0 to ${L.maxSeed}` })
    .max(L.maxSeed, { error: `must be a whole number from 0 to ${L.maxSeed}` })
    .optional(),
  steps: z
    .number({ error: `must be a whole number from ${L.minSteps} to ${L.maxSteps}` })
    .int({ error: `must be a whole number from ${L.minSteps} to ${L.maxSteps}` })
    .min(L.minSteps, { error: `must be a whole number from ${L.minSteps} to ${L.maxSteps}` })
    .max(L.maxSteps, { error: `must be a whole number from ${L.minSteps} to ${L.maxSteps}` })
    .optional(),
  width: side.optional(),
  height: side.optional(),
})

/** A validated request. */
export type MockupRequest = z.infer<typeof mockupRequestSchema>
