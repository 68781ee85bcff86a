/**
 * @module
 * A progress line for long-running scripts: redrawn in place on a terminal,
 * every 10% otherwise (so CI logs stay short).
 */

/** Reports progress of `total` units under `label`. */
export function progress(
  label: string,
  total: number,
): { tick: (done: number) => void; done: () => void } {
  const tty = process.stderr.isTTY
  let lastDecile = -1
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
    const decile = Math.floor(share * 10)
    if (decile > lastDecile) {
      lastDecile = decile
      process.stderr.write(`${label}: ${done}/${total}\n`)
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
