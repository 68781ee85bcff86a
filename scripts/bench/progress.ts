/**
 * @module
 * A progress line for long-running scripts: redrawn in place on a terminal,
 * otherwise a line at most every 5 s (so logs of short runs stay short).
 */

/** Reports progress of `total` units under `label`. */
export function progress(
  label: string,
  total: number,
): { tick: (done: number) => void; done: () => void } {
  const tty = process.stderr.isTTY
  const started = performance.now()
  let lastLine = performance.now()
  const draw = (done: number) => {
    const share = total > 0 ? done / total : 1
    if (tty) {
      const width = 30
      const filled = Math.round(share * width)
      process.stderr.write(
        `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`,
      )
      return
    }
    if (
      performance.now() - lastLine >= 5000 ||
      (done === total && performance.now() - started >= 5000)
    ) {
      lastLine = performance.now()
      process.stderr.write(`${label}: ${done}/${total} (${Math.round(share * 100)}%)\n`)
    }
  }
  return {
    tick: draw,
    done: () => {
      draw(total)
      if (tty) process.stderr.write('\n')
    },
  }
}
