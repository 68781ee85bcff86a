/**
 * @module
 * What a request body may hold: one Redis command as a JSON array
 * (`["SET","k","v","EX",60]`), or an array of them for `/pipeline` and
 * `/multi-exec`, and the commands the bridge refuses to run.
 */
import { z } from 'zod'

/** One command: its name, then string or number arguments, as @upstash/redis sends them. */
export const CommandSchema = z.tuple([z.string().min(1)], z.union([z.string(), z.number()]))

/** A `/pipeline` or `/multi-exec` body: at least one command. */
export const CommandListSchema = z.array(CommandSchema).min(1)

/** One validated command. */
export type Command = z.infer<typeof CommandSchema>

/**
 * Commands refused with 400, by name or as `NAME SUBCOMMAND`. They either harm
 * the shared server (flushes, config, shutdown, replication, modules, ACL,
 * persistence), or would break the one connection every request shares:
 * pub/sub and MONITOR switch its mode, SELECT/SWAPDB/HELLO/RESET/QUIT change or
 * end its state, MULTI/EXEC/WATCH outside `/multi-exec` would wrap other
 * requests' commands, and blocking pops would stall every request behind them.
 */
export const DENIED_COMMANDS: ReadonlySet<string> = new Set([
  'FLUSHALL',
  'FLUSHDB',
  'CONFIG',
  'SHUTDOWN',
  'DEBUG',
  'MONITOR',
  'SUBSCRIBE',
  'PSUBSCRIBE',
  'SSUBSCRIBE',
  'UNSUBSCRIBE',
  'PUNSUBSCRIBE',
  'SUNSUBSCRIBE',
  'SYNC',
  'PSYNC',
  'REPLICAOF',
  'SLAVEOF',
  'FAILOVER',
  'CLUSTER',
  'MODULE',
  'ACL',
  'SAVE',
  'BGSAVE',
  'BGREWRITEAOF',
  'MIGRATE',
  'SELECT',
  'SWAPDB',
  'HELLO',
  'RESET',
  'QUIT',
  'MULTI',
  'EXEC',
  'DISCARD',
  'WATCH',
  'UNWATCH',
  'WAIT',
  'WAITAOF',
  'BLPOP',
  'BRPOP',
  'BRPOPLPUSH',
  'BLMOVE',
  'BLMPOP',
  'BZPOPMIN',
  'BZPOPMAX',
  'BZMPOP',
  'SCRIPT KILL',
  'SCRIPT FLUSH',
  'FUNCTION KILL',
  'FUNCTION FLUSH',
  'FUNCTION RESTORE',
  'CLIENT KILL',
  'CLIENT PAUSE',
  'CLIENT REPLY',
  'CLIENT SETNAME',
  'CLIENT TRACKING',
  'CLIENT NO-EVICT',
])

/** The deny-list entry that refuses `command`, or undefined when it may run. */
export function deniedEntry(command: Command): string | undefined {
  const name = command[0].toUpperCase()
  if (DENIED_COMMANDS.has(name)) return name
  const sub = command[1]
  if (typeof sub !== 'string') return undefined
  const pair = `${name} ${sub.toUpperCase()}`
  return DENIED_COMMANDS.has(pair) ? pair : undefined
}
