/**
 * @module
 * Where service logs go: pino's sonic-boom on stdout or a file, writing
 * synchronously as pino does by default, with the lines of one event-loop
 * turn joined into one write. With a line per request, sonic-boom's own
 * per-line bookkeeping (it measures its pending chunk on every write) and a
 * syscall per line cost more than the rest of the profiling; one write per
 * turn pays them once. Lines are written before the next turn's I/O, and at
 * exit whatever is pending is written first.
 */
import { type DestinationStream, pino } from 'pino'

/** Joined lines beyond this are written at once rather than at the end of the turn. */
const MAX_PENDING_CHARS = 64 * 1024

/** A destination that can be flushed synchronously. */
export interface LogDestination extends DestinationStream {
  flushSync(): void
}

/** Destinations holding lines not yet written, flushed if the process exits first. */
const unflushed = new Set<LogDestination>()
process.once('exit', () => {
  for (const destination of unflushed) destination.flushSync()
})

/**
 * Creates a {@link LogDestination} on a file descriptor (1: stdout) or a file
 * path (appended to).
 */
export function logDestination(dest: number | string = 1): LogDestination {
  const sonic = pino.destination({ dest, sync: true })
  let pending: string[] = []
  let pendingChars = 0

  const destination: LogDestination = {
    write(line: string): boolean {
      pending.push(line)
      pendingChars += line.length
      if (pendingChars >= MAX_PENDING_CHARS) destination.flushSync()
      else if (!unflushed.has(destination)) {
        unflushed.add(destination)
        setImmediate(destination.flushSync)
      }
      return true
    },
    flushSync(): void {
      unflushed.delete(destination)
      if (pending.length === 0) return
      const joined = pending.length === 1 ? (pending[0] as string) : pending.join('')
      pending = []
      pendingChars = 0
      sonic.write(joined)
    },
  }
  return destination
}
