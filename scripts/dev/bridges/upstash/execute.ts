/**
 * @module
 * Runs validated commands on ioredis with raw Buffer replies (`callBuffer`), so
 * replies keep Redis's shapes and bytes: one command, a pipeline (not atomic)
 * or a MULTI/EXEC transaction.
 */
import type { ChainableCommander, Redis } from 'ioredis'
import type { Command } from './commands.ts'
import { encodeReply, type ReplyValue } from './encoding.ts'
import { replyErrorMessage, upstashError } from './errors.ts'

/** One entry of a `/pipeline` or `/multi-exec` answer. */
export type ReplyEntry = { result: ReplyValue } | { error: string }

/** Runs one command; a Redis error becomes a 400 exception, as Upstash answers it. */
export async function runCommand(
  redis: Redis,
  [name, ...args]: Command,
  base64: boolean,
): Promise<ReplyValue> {
  try {
    return encodeReply(await redis.callBuffer(rawName(name), ...args), base64)
  } catch (error) {
    throw upstashError(400, replyErrorMessage(error))
  }
}

/** Runs the commands in one round trip; each gets its own result or error. */
export function runPipeline(
  redis: Redis,
  commands: Command[],
  base64: boolean,
): Promise<ReplyEntry[]> {
  return execBatch(redis.pipeline(), commands, base64)
}

/**
 * Runs the commands inside MULTI/EXEC. An error while queuing (an unknown
 * command, a wrong argument count) makes Redis discard the whole transaction:
 * that is one 400 `{"error": "EXECABORT ..."}`, as Upstash answers it. Errors
 * while executing (INCR on text) stay per command, as in a pipeline.
 */
export function runTransaction(
  redis: Redis,
  commands: Command[],
  base64: boolean,
): Promise<ReplyEntry[]> {
  return execBatch(redis.multi(), commands, base64)
}

async function execBatch(
  batch: ChainableCommander,
  commands: Command[],
  base64: boolean,
): Promise<ReplyEntry[]> {
  for (const [name, ...args] of commands) batch.callBuffer(rawName(name), ...args)
  let results: Awaited<ReturnType<ChainableCommander['exec']>>
  try {
    results = await batch.exec()
  } catch (error) {
    throw upstashError(400, replyErrorMessage(error))
  }
  // EXEC answers null only when a WATCHed key changed; the deny-list refuses WATCH.
  if (results === null) throw upstashError(400, 'EXECABORT Transaction discarded')
  return results.map(([error, result]) =>
    error ? { error: replyErrorMessage(error) } : { result: encodeReply(result, base64) },
  )
}

/**
 * The command name as ioredis must get it for a raw reply: ioredis reshapes some
 * replies (HGETALL to an object, ZRANGE WITHSCORES to pairs, XREAD) by looking
 * up the name as given, and registers those transformers in lower case only.
 */
const rawName = (name: string): string => name.toUpperCase()
