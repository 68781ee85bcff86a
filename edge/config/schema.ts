/**
 * @module
 * The environment of the edge app where it does not run on Node (Deno, workerd):
 * one zod schema, portable (no `process`, no `node:`). The Node host reads the
 * core schema instead (`core/platform/config`).
 */
import { z } from 'zod'
import { checkEdgeAppFields, coreUrl, edgeAppFields } from './fields.ts'

/** Log levels, as pino names them; `silent` writes nothing. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const

/** The validated edge environment. */
export const edgeConfigSchema = z
  .object({
    ...edgeAppFields,
    // No default here: a Worker or Deno Deploy never runs beside core.
    CORE_URL: coreUrl.optional(),
    // ioredis and pg are Node clients: only `npm run edge` (core/edge-host) offers them.
    EDGE_CACHE: z
      .enum(['upstash', 'memory'], {
        error: 'expected upstash or memory (ioredis runs only on Node: npm run edge)',
      })
      .default('upstash'),
    EDGE_DB: z
      .enum(['neon'], { error: 'expected neon (pg runs only on Node: npm run edge)' })
      .default('neon'),
    LOG_LEVEL: z
      .enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` })
      .default('info'),
  })
  .superRefine((config, ctx) => {
    checkEdgeAppFields(config, ctx)
    const require = (name: keyof typeof config, because: string) => {
      if (config[name] === undefined) {
        ctx.addIssue({ code: 'custom', path: [name], message: `required ${because}` })
      }
    }
    if (config.EDGE_CACHE === 'upstash') {
      require('UPSTASH_REDIS_REST_URL', 'when EDGE_CACHE is upstash')
      require('UPSTASH_REDIS_REST_TOKEN', 'when EDGE_CACHE is upstash')
    }
    require('NEON_DATABASE_URL', 'when EDGE_DB is neon')
    require('CORE_URL', "on Workers and Deno (core's public URL, which the gateway calls)")
    require('EDGE_SERVICE_KEY', 'on Workers and Deno (the credential the edge presents to core)')
  })

/** The edge configuration. */
export type EdgeConfig = z.infer<typeof edgeConfigSchema>

/** A log level name. */
export type LogLevel = (typeof LOG_LEVELS)[number]
