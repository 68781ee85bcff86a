/**
 * @module
 * The Upstash-REST-compatible Hono app: what `@upstash/redis` sends, answered
 * from a real Redis. The error bodies are Upstash's `{"error": "..."}`, not the
 * platform's error shape, because the client parses them.
 */

import type { Context } from 'hono'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import type { Redis } from 'ioredis'
import type { Logger } from 'pino'
import { pino } from 'pino'
import type { z } from 'zod'
import { upstashAuth } from './auth.ts'
import { type Command, CommandListSchema, CommandSchema, deniedEntry } from './commands.ts'
import { upstashError } from './errors.ts'
import { runCommand, runPipeline, runTransaction } from './execute.ts'

/** The logger calls the bridges make; a pino logger fits. */
export type BridgeLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>

/** Options of {@link createUpstashBridge}. */
export interface UpstashBridgeOptions {
  /**
   * The Redis connection every request shares. Create it with `protocol: 2`
   * (RESP2 replies are what Upstash returns) and `enableOfflineQueue: false`
   * or a `commandTimeout`, so a Redis outage answers 503 instead of hanging.
   */
  redis: Redis
  /** The bearer token clients must send; never logged. */
  token: string
  /**
   * Largest request body accepted; larger ones get 413.
   * @defaultValue 1 MiB
   */
  maxBodyBytes?: number
  /** Where warnings go. @defaultValue a silent logger */
  logger?: BridgeLogger
}

/** Default {@link UpstashBridgeOptions.maxBodyBytes}: 1 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024

/**
 * Builds the bridge: `POST /` runs one command and answers `{"result": ...}`;
 * `POST /pipeline` and `POST /multi-exec` run a list and answer one
 * `{result}` or `{error}` per command. `Upstash-Encoding: base64` encodes the
 * strings in results.
 *
 * @example
 * const app = createUpstashBridge({ redis: new Redis(url, { protocol: 2 }), token })
 */
export function createUpstashBridge(options: UpstashBridgeOptions): Hono {
  const { redis, token } = options
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const logger = options.logger ?? pino({ enabled: false })
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    throw new Error('maxBodyBytes must be a positive integer')
  }

  const app = new Hono()
  app.use(upstashAuth(token))
  app.use(
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: (c) => c.json({ error: `ERR request body is over ${maxBodyBytes} bytes` }, 413),
    }),
  )

  app.post('/', async (c) => {
    const command = await readCommands(c, CommandSchema)
    refuseDenied([command])
    return c.json({ result: await runCommand(redis, command, wantsBase64(c)) })
  })
  app.post('/pipeline', async (c) => {
    const commands = await readCommands(c, CommandListSchema)
    refuseDenied(commands)
    return c.json(await runPipeline(redis, commands, wantsBase64(c)))
  })
  app.post('/multi-exec', async (c) => {
    const commands = await readCommands(c, CommandListSchema)
    refuseDenied(commands)
    return c.json(await runTransaction(redis, commands, wantsBase64(c)))
  })

  app.notFound((c) => c.json({ error: 'ERR unknown endpoint' }, 404))
  app.onError((error, c) => {
    if (error instanceof HTTPException) {
      if (error.status === 503) logger.warn({ reason: error.message }, 'upstash bridge: Redis down')
      return error.getResponse()
    }
    logger.error({ err: error }, 'upstash bridge: unexpected failure')
    return c.json({ error: 'ERR internal bridge error' }, 500)
  })
  return app
}

const wantsBase64 = (c: Context): boolean =>
  c.req.header('upstash-encoding')?.toLowerCase() === 'base64'

async function readCommands<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  let body: unknown
  try {
    body = await c.req.json()
  } catch {
    throw upstashError(400, 'ERR the request body is not valid JSON')
  }
  const parsed = schema.safeParse(body)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''
  throw upstashError(
    400,
    `ERR the body must be a command as a JSON array of strings and numbers ` +
      `(or an array of them for a pipeline)${where}: ${issue?.message ?? 'invalid'}`,
  )
}

function refuseDenied(commands: Command[]): void {
  for (const command of commands) {
    const entry = deniedEntry(command)
    if (entry) throw upstashError(400, `ERR command '${entry}' is not allowed through this bridge`)
  }
}
