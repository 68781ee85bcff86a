/**
 * @module
 * The documented successes the fuzz tests hold each valid answer to: status
 * and body schema per route (README "HTTP API"), output schema per tRPC
 * procedure. Schemas come from edge/contracts/; the two answers no contract
 * describes yet are mirrored here from their route code.
 */
import { z } from 'zod'
import {
  analyticsContract,
  benchmarkContract,
  experimentContract,
  mockupContract,
  scoreContract,
  signalContract,
} from '../../edge/contracts/index.ts'
import type { Expected } from './arbitraries.ts'

const iso = z.iso.datetime({ offset: true })

/** `GET /analytics/latency` (core/analytics/latency-route.ts; RouteLatency rows). */
const latencyReport = z.object({
  sources: z.number().int().min(1),
  of: z.number().int().min(1),
  routes: z.array(
    z.object({
      service: z.string(),
      route: z.string(),
      count: z.number(),
      p50Ms: z.number(),
      p95Ms: z.number(),
      p99Ms: z.number(),
      maxMs: z.number(),
    }),
  ),
})

/** `GET /signals/jobs/:id` (core/ingestion/routes.ts). */
const signalJob = z.object({
  id: z.string(),
  state: z.string(),
  count: z.number().int().min(0),
  attemptsMade: z.number().int().min(0),
  maxAttempts: z.number().int().min(1),
  failedReason: z.string().nullable(),
  returnvalue: z.object({ received: z.number(), inserted: z.number() }).nullable(),
  createdAt: iso,
  finishedAt: iso.nullable(),
})

/** Core's public read routes. */
export const READ_ROUTES: Expected = {
  kind: 'json',
  routes: [
    [
      'GET',
      /^\/analytics\/designs\/[^/]+\/summary$/,
      { status: 200, schema: analyticsContract.summary },
    ],
    ['GET', /^\/analytics\/top$/, { status: 200, schema: analyticsContract.top }],
    [
      'GET',
      /^\/analytics\/designs\/[^/]+\/timeseries$/,
      { status: 200, schema: analyticsContract.timeseries },
    ],
    ['GET', /^\/analytics\/latency$/, { status: 200, schema: latencyReport }],
  ],
}

/** Core's write and private routes. */
export const WRITE_ROUTES: Expected = {
  kind: 'json',
  routes: [
    ['POST', /^\/signals$/, { status: 202, schema: signalContract.accepted }],
    ['GET', /^\/signals\/jobs\/[^/]+$/, { status: 200, schema: signalJob }],
    [
      'POST',
      /^\/experiments\/[^/]+\/metrics$/,
      { status: 201, schema: experimentContract.recorded },
    ],
    ['GET', /^\/experiments\/[^/]+\/summary$/, { status: 200, schema: experimentContract.summary }],
    ['POST', /^\/mockups$/, { status: 202, schema: mockupContract.accepted }],
    ['GET', /^\/mockups$/, { status: 200, schema: mockupContract.page }],
    ['GET', /^\/mockups\/[^/]+$/, { status: 200, schema: mockupContract.view }],
    ['GET', /^\/mockups\/[^/]+\/image\.png$/, { status: 200, contentType: /^image\/png$/ }],
    ['GET', /^\/mockups\/[^/]+\/image\.webp$/, { status: 200, contentType: /^image\/webp$/ }],
  ],
}

/** The edge's `GET /score`. */
export const SCORE_ROUTE: Expected = {
  kind: 'json',
  routes: [['GET', /^\/score$/, { status: 200, schema: scoreContract.result }]],
}

/** Each tRPC procedure's output. */
export const TRPC_OUTPUTS = {
  'score.get': scoreContract.result,
  'analytics.designSummary': analyticsContract.summary,
  'analytics.topDesigns': analyticsContract.top,
  'analytics.timeseries': analyticsContract.timeseries,
  'benchmarks.history': benchmarkContract.history,
  'mockups.get': mockupContract.view,
  'mockups.list': mockupContract.page,
  'mockups.create': mockupContract.accepted,
  'signals.ingest': signalContract.accepted,
} as const

/** The gateway, its procedures named by {@link TRPC_OUTPUTS}. */
export const TRPC: Expected = { kind: 'trpc', outputs: TRPC_OUTPUTS }
