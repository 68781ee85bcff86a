/**
 * @module
 * The mock-up contract: what a client may ask (`POST /mockups`,
 * `mockups.create`), the limits that protect the GPUs, the job a request
 * becomes, the row it is stored as, and the view the API answers with. Core's
 * routes, the tRPC procedures, the queue payload, the stored record and the
 * GPU worker all read it from here, so a limit changed here changes each one.
 */
import { z } from 'zod'
import { PRODUCTS } from '../score/products.ts'
import { FORBIDDEN_TEXT, oneOf, wholeNumber } from './fields.ts'

/** Limits of a mock-up request. */
export interface MockupLimits {
  maxPromptLength: number
  minSteps: number
  /** Tighter than the pipeline's 150: one request must not hold a GPU for minutes. */
  maxSteps: number
  minSide: number
  maxSide: number
  /** The VAE upsamples by 8: other sides cannot be generated. */
  sideMultiple: number
  maxSeed: number
  /** Largest page of `GET /mockups`. */
  maxPageSize: number
  defaultPageSize: number
}

/** The limits the platform runs with. */
export const MOCKUP_LIMITS: MockupLimits = {
  maxPromptLength: 500,
  minSteps: 1,
  maxSteps: 50,
  minSide: 64,
  maxSide: 1024,
  sideMultiple: 8,
  maxSeed: 2 ** 32 - 1,
  maxPageSize: 100,
  defaultPageSize: 20,
}

/** Default steps and size when a request gives none. */
export const MOCKUP_DEFAULTS = { steps: 20, width: 512, height: 512 } as const

/** Where a mock-up job stands. */
export const MOCKUP_STATUSES = ['queued', 'running', 'completed', 'failed'] as const

/** A mock-up's state. */
export type MockupStatus = (typeof MOCKUP_STATUSES)[number]

/** Error codes of the mock-up API besides the shared ones (`invalid_request`, 503s). */
export const MOCKUP_ERRORS = { notFound: 'not_found' } as const

/**
 * Why a mock-up failed, as clients see it: a code (the row's `error`) and a
 * fixed short message. The raw error stays in the server's logs: driver or
 * database text says nothing useful to a client and may leak internals.
 */
export const MOCKUP_FAILURES = {
  invalid_input: 'The prompt or size cannot be generated.',
  gpu_busy: 'No GPU was free in time; submit it again later.',
  storage_failed: 'The images could not be stored.',
  generation_failed: 'The mock-up could not be generated.',
  job_lost: 'The job was lost before it finished; submit it again.',
} as const

/** A failure code of a mock-up. */
export type MockupFailureCode = keyof typeof MOCKUP_FAILURES

const FAILURE_CODES = Object.keys(MOCKUP_FAILURES) as [MockupFailureCode, ...MockupFailureCode[]]

/** The code a stored `error` stands for; text from before codes existed reads as `generation_failed`. */
export function mockupFailureCode(stored: string): MockupFailureCode {
  return Object.hasOwn(MOCKUP_FAILURES, stored)
    ? (stored as MockupFailureCode)
    : 'generation_failed'
}

// `<ISO time>_<uuid>`: the position after the last row of a page.
const CURSOR = /^[0-9TZ:.+-]{20,40}_[0-9a-f-]{36}$/

/**
 * Builds every mock-up schema from `limits`. The platform uses
 * {@link mockupContract}; tests build one with other limits to see each entry
 * point follow.
 */
export function createMockupContract(limits: MockupLimits = MOCKUP_LIMITS) {
  const L = limits
  const sideError = `must be a multiple of ${L.sideMultiple} from ${L.minSide} to ${L.maxSide}`
  const side = z
    .number({ error: sideError })
    .int({ error: sideError })
    .min(L.minSide, { error: sideError })
    .max(L.maxSide, { error: sideError })
    .refine((n) => n % L.sideMultiple === 0, { error: sideError })

  /** `POST /mockups` body and `mockups.create` input. */
  const request = z.object({
    prompt: z
      .string({ error: 'prompt is required' })
      .transform((p) => p.trim().replace(/\s+/g, ' '))
      .pipe(
        z
          .string()
          .min(1, { error: 'prompt must not be empty' })
          .max(L.maxPromptLength, {
            error: `prompt must be at most ${L.maxPromptLength} characters`,
          })
          .refine((p) => !FORBIDDEN_TEXT.test(p), {
            error: 'prompt must be text without control characters',
          }),
      ),
    product: oneOf(PRODUCTS),
    seed: wholeNumber(0, L.maxSeed).optional(),
    steps: wholeNumber(L.minSteps, L.maxSteps).optional(),
    width: side.optional(),
    height: side.optional(),
  })

  /**
   * A `mockups` job: the request with every default resolved, so the job and
   * its row (id `mockupId`, also the job id) say exactly what is generated.
   */
  const job = request.required().extend({ mockupId: z.uuid() })

  /**
   * A stored mock-up. Numbers are not bounded here: a row written under
   * older limits must still be shown.
   */
  const record = z.object({
    id: z.string(),
    status: z.enum(MOCKUP_STATUSES),
    prompt: z.string(),
    product: z.enum(PRODUCTS),
    seed: z.number(),
    steps: z.number(),
    width: z.number(),
    height: z.number(),
    provider: z.string().nullable(),
    timings: z.record(z.string(), z.number()).nullable(),
    pngKey: z.string().nullable(),
    webpKey: z.string().nullable(),
    error: z.string().nullable(),
    attempts: z.number(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })

  /**
   * A mock-up as the API shows it: storage keys become image URLs, a failure
   * its code and fixed message.
   */
  const view = record.omit({ pngKey: true, webpKey: true }).extend({
    error: z.string().nullable(),
    errorCode: z.enum(FAILURE_CODES).nullable(),
    progress: z.number(),
    images: z.object({ png: z.string(), webp: z.string() }).nullable(),
  })

  const listOf = (coerce: boolean) =>
    z.object({
      limit: wholeNumber(1, L.maxPageSize, { coerce }).default(L.defaultPageSize),
      cursor: z.string().regex(CURSOR, { error: 'is not a cursor this API returned' }).optional(),
    })

  return {
    limits: L,
    defaults: MOCKUP_DEFAULTS,
    request,
    job,
    record,
    view,
    /** `GET /mockups` answer: newest first, a page at a time. */
    page: z.object({ items: z.array(view), nextCursor: z.string().nullable() }),
    /** `POST /mockups` answer (202). */
    accepted: z.object({
      id: z.string(),
      status: z.enum(MOCKUP_STATUSES),
      seed: z.number().optional(),
      steps: z.number().optional(),
    }),
    /** `GET /mockups` query: strings coerced, as a URL carries them. */
    listQuery: listOf(true),
    /** `mockups.list` input: the same bounds, typed for clients. */
    listInput: listOf(false),
    /** `GET /mockups/:id` param. */
    idParam: z.object({ id: z.uuid({ error: 'must be a mock-up id (a UUID)' }) }),
  }
}

/** The schemas of one mock-up contract. */
export type MockupContract = ReturnType<typeof createMockupContract>

/** The contract the platform runs with. */
export const mockupContract: MockupContract = createMockupContract()

/** A validated `POST /mockups` body. */
export type MockupRequest = z.output<MockupContract['request']>
/** A `mockups` job payload. */
export type MockupJob = z.output<MockupContract['job']>
/** A stored mock-up. */
export type MockupRecord = z.output<MockupContract['record']>
/** A mock-up as the API answers it. */
export type MockupView = z.output<MockupContract['view']>

/** The URLs of a completed mock-up's images (core serves them; the edge proxies them). */
export function mockupImageUrls(id: string) {
  return { png: `/mockups/${id}/image.png`, webp: `/mockups/${id}/image.webp` }
}

/**
 * The API's view of a stored mock-up; a completed one is at 100% with its
 * image URLs, a failed one shows only its code and fixed message.
 */
export function toMockupView(record: MockupRecord, progress: number): MockupView {
  const { pngKey: _png, webpKey: _webp, ...rest } = record
  const done = record.status === 'completed'
  const errorCode = record.error === null ? null : mockupFailureCode(record.error)
  return {
    ...rest,
    error: errorCode && MOCKUP_FAILURES[errorCode],
    errorCode,
    progress: done ? 100 : progress,
    images: done ? mockupImageUrls(record.id) : null,
  }
}
