/**
 * @module
 * Where service logs go: stdout or a file. With a line per request, a
 * syscall per line and sonic-boom's per-write bookkeeping (it measures each
 * chunk, and re-encodes a string chunk after writing it to learn what is
 * left) cost more than the rest of the profiling. Here lines are held for at
 * most {@link FLUSH_INTERVAL_MS} or {@link MAX_PENDING_CHARS}, then joined,
 * encoded once into a reused buffer and written synchronously in one
 * syscall: the kernel's cost per line falls as writes grow (measured: 200 ns
 * a line at 20 lines a write, 70 ns at 500). Whatever is pending is written
 * when the process exits, including on an uncaught exception; only a
 * SIGKILL can lose the last few milliseconds of lines.
 */
import { fstatSync, openSync, writeSync } from 'node:fs'
import type { DestinationStream } from 'pino'

/** Pending lines beyond this are written at once. */
const MAX_PENDING_CHARS = 64 * 1024

/** How long a line may wait for others to share its write. */
export const FLUSH_INTERVAL_MS = 10

/** UTF-8 takes at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 for 2). */
const MAX_BYTES_PER_CHAR = 3

/** How long to wait for a full non-blocking pipe (stdout under Kubernetes) to drain. */
const FULL_PIPE_WAIT_MS = 1

/**
 * Linux's PIPE_BUF: a pipe write of at most this many bytes is atomic, all or
 * nothing, never interleaved with another process's write.
 */
const PIPE_BUF = 4096

/** The ASCII line feed ending every line. */
const LF = 0x0a

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
  const fd = typeof dest === 'number' ? dest : openSync(dest, 'a')
  // Processes sharing a pipe (cluster workers on the primary's stdout) must write whole
  // lines atomically; a file opened for appending takes each write whole at its end.
  const write = isPipe(fd) ? writeLines : writeFully
  // Sized for a full turn; a larger turn (one huge line) gets a buffer of its own.
  const buffer = Buffer.allocUnsafeSlow(
    (MAX_PENDING_CHARS + MAX_PENDING_CHARS / 4) * MAX_BYTES_PER_CHAR,
  )
  let pending: string[] = []
  let pendingChars = 0
  let reported = false
  let timer: NodeJS.Timeout | undefined

  const destination: LogDestination = {
    write(line: string): boolean {
      pending.push(line)
      pendingChars += line.length
      if (pendingChars >= MAX_PENDING_CHARS) destination.flushSync()
      else if (!unflushed.has(destination)) {
        unflushed.add(destination)
        // Unreferenced: pending lines never keep a process alive; exit writes them.
        timer = setTimeout(destination.flushSync, FLUSH_INTERVAL_MS).unref()
      }
      return true
    },
    flushSync(): void {
      unflushed.delete(destination)
      clearTimeout(timer)
      if (pending.length === 0) return
      const joined = pending.length === 1 ? (pending[0] as string) : pending.join('')
      const bytes =
        pendingChars * MAX_BYTES_PER_CHAR <= buffer.length
          ? buffer
          : Buffer.allocUnsafe(pendingChars * MAX_BYTES_PER_CHAR)
      pending = []
      pendingChars = 0
      try {
        write(fd, bytes, bytes.write(joined))
      } catch (error) {
        // A log that cannot be written (stdout closed, disk full) must not take the service down.
        if (!reported) reportFailure(dest, error)
        reported = true
      }
    },
  }
  return destination
}

/** Writes `length` bytes of `bytes` to `fd`, waiting while a non-blocking pipe is full. */
function writeFully(fd: number, bytes: Buffer, length: number, from = 0): void {
  let offset = from
  while (offset < length) {
    try {
      offset += writeSync(fd, bytes, offset, length - offset)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error
      Atomics.wait(sleeper, 0, 0, FULL_PIPE_WAIT_MS)
    }
  }
}

/**
 * Writes whole lines to a pipe in writes of at most {@link PIPE_BUF} bytes,
 * each atomic, so no other writer's bytes land inside a line. A line longer
 * than that cannot be written atomically and goes on its own.
 */
function writeLines(fd: number, bytes: Buffer, length: number): void {
  let offset = 0
  while (offset < length) {
    const limit = Math.min(offset + PIPE_BUF, length)
    let end = limit === length ? length : bytes.lastIndexOf(LF, limit - 1) + 1
    if (end <= offset) {
      // One line longer than PIPE_BUF: to its end.
      const lineEnd = bytes.indexOf(LF, offset)
      end = lineEnd < 0 || lineEnd >= length ? length : lineEnd + 1
    }
    writeFully(fd, bytes, end, offset)
    offset = end
  }
}

function isPipe(fd: number): boolean {
  try {
    const stat = fstatSync(fd)
    return stat.isFIFO() || stat.isSocket()
  } catch {
    return false
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4))

function reportFailure(dest: number | string, error: unknown): void {
  try {
    writeSync(2, `log destination ${dest} failed, its lines are dropped: ${String(error)}\n`)
  } catch {
    // Nowhere left to say it.
  }
}
