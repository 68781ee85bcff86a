/**
 * @module
 * fast-check generators of hostile requests, and the check every answer must
 * pass: a 4xx JSON error or a valid success, never a 5xx, never a hang.
 */
import fc from 'fast-check'
import type { Hono } from 'hono'
import { expect } from 'vitest'
import { z } from 'zod'
import { withTimeout } from '../../edge/cache/timeout.ts'

/** One generated request, relative to an app. */
export interface FuzzRequest {
  method: string
  path: string
  headers: Record<string, string>
  body?: string | Uint8Array
}

/** Percent-encodes what can be encoded; lone surrogates go raw (a malformed URL is a case too). */
export function encode(text: string): string {
  try {
    return encodeURIComponent(text)
  } catch {
    return text.replace(/[^A-Za-z0-9]/g, (ch) => `%${(ch.charCodeAt(0) & 0xff).toString(16)}`)
  }
}

/** Strings that break parsers: escapes, numbers at their limits, control and non-UTF-8 bytes. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '%',
    '%zz',
    '%FF%FE',
    '%C0%AE',
    '..',
    '../../etc/passwd',
    'NaN',
    'Infinity',
    '-0',
    '1e309',
    '9007199254740993',
    '-9223372036854775809',
    '0x10',
    '2026-13-45T99:99:99Z',
    '1970-01-01T00:00:00Z',
    '275760-09-13T00:00:01Z',
    'null',
    'true',
    '[]',
    '{}',
    "' OR 1=1 --",
    '\u202e\ud800',
    'a'.repeat(5000),
  ),
  fc.integer().map(String),
  fc.double().map(String),
  fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString())),
)

/** A query string over `names` (known keys) and random ones, sometimes left raw. */
export function queryString(names: readonly string[]): fc.Arbitrary<string> {
  const pair = fc.tuple(fc.oneof(fc.constantFrom(...names), nastyString), nastyString)
  return fc.oneof(
    fc
      .array(pair, { maxLength: 6 })
      .map((pairs) => pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')),
    fc.array(pair, { maxLength: 4 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&')),
    fc.constantFrom('&&&', '=', '==&=', 'a[b]=1&a[c]=2', `x=${'%'.repeat(100)}`),
  )
}

const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/
/** A header value Headers accepts: any byte but NUL, CR and LF (non-UTF-8 bytes included). */
const headerValue = fc
  .oneof(
    fc.string({ unit: 'binary-ascii', maxLength: 60 }),
    fc
      .uint8Array({ minLength: 1, maxLength: 40 })
      .map((bytes) => String.fromCharCode(...bytes.filter((b) => b > 0x1f && b !== 0x7f))),
    fc.constantFrom('x'.repeat(16 * 1024), 'é'.repeat(3000)),
  )
  .map((v) => (HEADER_VALUE.test(v) ? v.trim() : 'x'))

/** Hostile headers, optionally with a valid key. */
export function headers(validAuthorization: string): fc.Arbitrary<Record<string, string>> {
  return fc.record(
    {
      'Content-Type': fc.constantFrom(
        'application/json',
        'application/json; charset=latin1',
        'text/plain',
        'multipart/form-data; boundary=xyz',
        'application/x-www-form-urlencoded',
        'application/octet-stream',
        '*/*',
        'garbage',
      ),
      Authorization: fc.oneof(
        fc.constant(validAuthorization),
        fc.constantFrom('Bearer', 'Bearer ', 'Basic !!!', 'Basic Og==', 'Bearer a b c'),
        headerValue.map((v) => `Bearer ${v}`),
        headerValue,
      ),
      'If-None-Match': fc.oneof(headerValue, fc.constantFrom('*', 'W/"x"', '"a", W/"b"')),
      'trpc-accept': fc.constantFrom('application/jsonl', 'garbage'),
      'Content-Encoding': fc.constantFrom('gzip', 'br', 'identity'),
      'X-Forwarded-For': headerValue,
      Accept: headerValue,
      'X-Huge': fc.constant('h'.repeat(32 * 1024)),
    },
    { requiredKeys: [] },
  )
}

/** Deeply nested JSON: `[[[...]]]` or `{"a":{"a":...}}`. */
const deepJson = fc
  .tuple(fc.integer({ min: 100, max: 50_000 }), fc.boolean())
  .map(([depth, array]) =>
    array ? '['.repeat(depth) + ']'.repeat(depth) : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
  )

/** Bodies: `valid` (mostly valid shapes, for the success paths) mixed with hostile ones. */
export function body(valid: fc.Arbitrary<unknown>): fc.Arbitrary<string | Uint8Array> {
  return fc.oneof(
    { weight: 3, arbitrary: valid.map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
    { weight: 1, arbitrary: nastyString },
    { weight: 1, arbitrary: deepJson },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{"a":',
        '{"__proto__":{"x":1}}',
        '\ufeff{}',
        `"${'x'.repeat(1_100_000)}"`,
      ),
    },
  )
}

/** A record whose fields are each either a valid value or a nasty one. */
export function mixed<T extends Record<string, fc.Arbitrary<unknown>>>(fields: T) {
  const entries = Object.fromEntries(
    Object.entries(fields).map(([k, arb]) => [
      k,
      fc.oneof(
        { weight: 4, arbitrary: arb },
        { weight: 1, arbitrary: fc.oneof(nastyString, fc.jsonValue({ maxDepth: 2 })) },
      ),
    ]),
  )
  return fc.record(entries, { requiredKeys: [] })
}

/** A documented success: its status and its body's schema, or the type of a body that is not JSON. */
export type Success =
  | { status: number; schema: z.ZodType }
  | { status: number; contentType: RegExp }

/** One documented route: method, path pattern (the whole pathname) and its success. */
export type Route = readonly [method: string, path: RegExp, success: Success]

/**
 * What a fuzzed app promises: `json` routes answer a documented {@link Route}
 * success or the ApiError shape; `trpc` answers tRPC envelopes whose results
 * match each procedure's output schema.
 */
export type Expected =
  | { kind: 'json'; routes: readonly Route[] }
  | { kind: 'trpc'; outputs: Readonly<Record<string, z.ZodType>> }

/** The body of every 4xx on the HTTP routes (edge/errors `ErrorBody`, edge/validation `InvalidDetails`). */
const apiError = z.object({
  error: z.object({
    code: z.string().min(1),
    message: z.string().min(1),
    details: z
      .object({
        field: z.string().min(1).optional(),
        issues: z
          .array(z.object({ field: z.string(), message: z.string() }))
          .min(2)
          .optional(),
      })
      .optional(),
  }),
})

/** A tRPC error envelope (its JSON-RPC code is a number; ours, from middleware, a string). */
const trpcError = z.object({
  error: z.object({
    message: z.string(),
    code: z.union([z.number(), z.string()]),
    data: z.object({ code: z.string(), httpStatus: z.number() }).optional(),
  }),
})

/** Fails with `where` and the issues unless `value` matches `schema`. */
function expectShape(schema: z.ZodType, value: unknown, where: string): void {
  const result = schema.safeParse(value)
  expect(result.error ? z.prettifyError(result.error) : '', where).toBe('')
}

/** The pathname `req` reaches (`..` and `%2e%2e` resolved, as the URL parser does). */
function pathnameOf(req: FuzzRequest): string {
  return new URL(req.path, 'http://localhost').pathname
}

/** `decodeURIComponent`, or the text as it is when it is malformed. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** Checks a JSON route's answer: a documented success, or the ApiError shape (a 400 with `details.field`). */
function checkJson(
  res: Response,
  text: string,
  req: FuzzRequest,
  routes: readonly Route[],
  where: string,
) {
  const type = res.headers.get('Content-Type') ?? ''
  if (res.status >= 400) {
    expect(type, where).toMatch(/json/)
    const body = JSON.parse(text) as z.infer<typeof apiError>
    expectShape(apiError, body, where)
    if (res.status === 400) expect(typeof body.error.details?.field, where).toBe('string')
    return
  }
  const path = pathnameOf(req)
  const route = routes.find(([method, pattern]) => method === req.method && pattern.test(path))
  expect(route && `${route[0]} ${route[1]}`, `${where}: a success no route documents`).toBeTruthy()
  const success = (route as Route)[2]
  expect(res.status, where).toBe(success.status)
  if ('contentType' in success) expect(type, where).toMatch(success.contentType)
  else {
    expect(type, where).toMatch(/json/)
    expectShape(success.schema, JSON.parse(text), where)
  }
}

/** Checks a tRPC answer: each envelope an error or its procedure's output, in tRPC's result shape. */
function checkTrpc(
  res: Response,
  text: string,
  req: FuzzRequest,
  outputs: Readonly<Record<string, z.ZodType>>,
  where: string,
) {
  const type = res.headers.get('Content-Type') ?? ''
  // A success of another kind: the console's HTML page at a path like /trpc/.. = /.
  if (res.status < 400 && !type.includes('json')) {
    expect(pathnameOf(req).startsWith('/trpc/'), where).toBe(false)
    return
  }
  expect(type, where).toMatch(/json/)
  if (req.headers['trpc-accept'] === 'application/jsonl' && res.status < 400) {
    // A streamed batch: one JSON document per line.
    for (const line of text.split('\n')) if (line.trim()) JSON.parse(line)
    return
  }
  const parsed = JSON.parse(text) as unknown
  const url = new URL(req.path, 'http://localhost')
  const batch = url.searchParams.get('batch') === '1'
  const procedures = safeDecode(url.pathname.slice('/trpc/'.length)).split(',')
  if (res.status >= 400 && !batch) {
    expectShape(z.union([trpcError, apiError]), parsed, where)
    return
  }
  if (!batch) {
    expect(res.status, where).toBe(200)
    const output = outputs[procedures[0] ?? '']
    expect(output, `${where}: a success of no known procedure`).toBeDefined()
    expectShape(z.object({ result: z.object({ data: output as z.ZodType }) }), parsed, where)
    return
  }
  if (!Array.isArray(parsed)) {
    // Refused as a whole (middleware or a malformed batch).
    expect(res.status, where).toBeGreaterThanOrEqual(400)
    expectShape(z.union([trpcError, apiError]), parsed, where)
    return
  }
  expect(parsed.length, where).toBe(procedures.length)
  const failed = parsed.filter((envelope) => 'error' in (envelope ?? {})).length
  // All results: 200; some errors: 207; all errors: their common status (or 207 when they differ).
  if (failed === 0) expect(res.status, where).toBe(200)
  else if (failed < parsed.length) expect(res.status, where).toBe(207)
  parsed.forEach((envelope, i) => {
    const output = outputs[procedures[i] ?? '']
    const result = output ? z.object({ result: z.object({ data: output }) }) : z.never()
    expectShape(z.union([trpcError, result]), envelope, `${where} [${i}] ${procedures[i]}`)
  })
}

/** Sends `req` to `app` with a deadline; fails the property on a hang, a 5xx or a bad shape. */
export async function checkAnswer(
  app: Hono,
  req: FuzzRequest,
  expected: Expected,
  timeoutMs = 10_000,
): Promise<Response> {
  const res = await withTimeout(
    Promise.resolve(
      app.request(req.path, {
        method: req.method,
        headers: req.headers,
        body: req.method === 'GET' || req.method === 'HEAD' ? undefined : req.body,
      }),
    ),
    timeoutMs,
    `${req.method} ${req.path.slice(0, 200)}`,
  )
  const text = await res.text()
  const where = `${req.method} ${req.path.slice(0, 200)} -> ${res.status} ${text.slice(0, 300)}`
  expect(res.status, where).toBeLessThan(500)
  if (res.status === 304) {
    expect(text, where).toBe('')
    return res
  }
  if (req.method === 'HEAD') return res
  if (expected.kind === 'json') checkJson(res, text, req, expected.routes, where)
  else checkTrpc(res, text, req, expected.outputs, where)
  return res
}

/** `numRuns` every property runs with (the issue asks for at least 1,000). */
export const RUNS = { numRuns: 1000 } as const

/** Runs {@link RUNS} generated requests against `app`, each checked by {@link checkAnswer}. */
export async function fuzz(
  app: Hono,
  requests: fc.Arbitrary<FuzzRequest>,
  expected: Expected,
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(requests, async (req) => {
      await checkAnswer(app, req, expected)
    }),
    RUNS,
  )
  // Still serving after everything it was sent.
  expect((await app.request('/healthz')).status).toBe(200)
}

/** A path segment: valid samples, or anything. */
export function segment(...valid: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...valid) },
    { weight: 1, arbitrary: nastyString.map(encode) },
    { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '..', '%2e%2e', '%00', '%F0%9F') },
  )
}

/** A request to `path` (its own query appended) with the given method, headers and body. */
export function request(
  method: fc.Arbitrary<string>,
  path: fc.Arbitrary<string>,
  query: fc.Arbitrary<string>,
  validAuthorization: string,
  validBody: fc.Arbitrary<unknown> = fc.constant({}),
): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      method,
      path,
      query,
      // A quarter are well formed, so valid inputs reach the success paths and their checks.
      headers: fc.oneof(
        { weight: 3, arbitrary: headers(validAuthorization) },
        {
          weight: 1,
          arbitrary: fc.constant({
            'Content-Type': 'application/json',
            Authorization: validAuthorization,
          }),
        },
      ),
      body: body(validBody),
    })
    .map(({ method, path, query, headers, body }) => ({
      method,
      path: query ? `${path}?${query}` : path,
      headers,
      body,
    }))
}
