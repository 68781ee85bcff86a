/**
 * @module
 * A V8 CPU profile (`.cpuprofile`, as `Profiler.stop` returns it) reduced to
 * time per function: self time (the function was on top of the stack) and
 * total time (it was anywhere on the stack, counted once per sample even when
 * recursive). Each sample lasts until the next one, from the real
 * `timeDeltas`, not `hitCount` × the nominal interval: V8 misses ticks under
 * load. The pseudo-frames `(idle)`, `(garbage collector)` and `(program)` are
 * kept apart from the functions.
 */
import type { Profiler } from 'node:inspector'

/** The pseudo-frames V8 reports for time outside JavaScript functions. */
export const PSEUDO_FRAMES = ['(idle)', '(garbage collector)', '(program)'] as const

/** A pseudo-frame's name. */
export type PseudoFrame = (typeof PSEUDO_FRAMES)[number]

/** One function's time over the profile. */
export interface FunctionTime {
  /** Its name, `(anonymous)` when it has none. */
  name: string
  /** Script URL (empty for natives and builtins). */
  url: string
  /** 1-based line and column (0 when V8 does not know). */
  line: number
  column: number
  selfMs: number
  totalMs: number
}

/** What {@link analyzeProfile} returns. */
export interface ProfileSummary {
  /** From the profile's start to its end. */
  wallMs: number
  /** Time in each pseudo-frame. */
  pseudo: Record<PseudoFrame, number>
  /** Every function that was sampled, in no particular order. */
  functions: FunctionTime[]
}

const isPseudo = (name: string): name is PseudoFrame =>
  (PSEUDO_FRAMES as readonly string[]).includes(name)

/** Duration of each sample in µs: until the next sample, the last one until `endTime`. */
function sampleDurations(profile: Profiler.Profile): number[] {
  const deltas = profile.timeDeltas ?? []
  const times: number[] = []
  let t = profile.startTime
  for (const delta of deltas) {
    t += delta
    times.push(t)
  }
  // V8 may emit a slightly out-of-order timestamp; such a sample gets 0, not negative time.
  return times.map((at, i) => Math.max(0, (times[i + 1] ?? profile.endTime) - at))
}

/** Reduces `profile` to time per function and per pseudo-frame. */
export function analyzeProfile(profile: Profiler.Profile): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id)

  const functions = new Map<string, FunctionTime>()
  const functionOf = (node: Profiler.ProfileNode): FunctionTime => {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame
    // One function may sit at many nodes (one per call path): key by its source position.
    const key = `${functionName}\u0000${url}\u0000${lineNumber}\u0000${columnNumber}`
    let entry = functions.get(key)
    if (!entry) {
      entry = {
        name: functionName || '(anonymous)',
        url,
        line: lineNumber + 1,
        column: columnNumber + 1,
        selfMs: 0,
        totalMs: 0,
      }
      functions.set(key, entry)
    }
    return entry
  }

  const pseudo: Record<PseudoFrame, number> = {
    '(idle)': 0,
    '(garbage collector)': 0,
    '(program)': 0,
  }
  const durations = sampleDurations(profile)
  for (const [i, id] of (profile.samples ?? []).entries()) {
    const ms = durations[i]! / 1000
    const leaf = nodes.get(id)
    if (!leaf) throw new Error(`sample ${i} names node ${id}, which the profile does not have`)
    const leafName = leaf.callFrame.functionName
    if (isPseudo(leafName)) {
      pseudo[leafName] += ms
      continue
    }
    functionOf(leaf).selfMs += ms
    const onStack = new Set<FunctionTime>()
    for (let node: Profiler.ProfileNode | undefined = leaf; node; ) {
      if (node.callFrame.functionName !== '(root)') onStack.add(functionOf(node))
      const up = parent.get(node.id)
      node = up === undefined ? undefined : nodes.get(up)
    }
    for (const fn of onStack) fn.totalMs += ms
  }
  return {
    wallMs: (profile.endTime - profile.startTime) / 1000,
    pseudo,
    functions: [...functions.values()],
  }
}

/** The `n` functions with the most `self` or `total` time, most first. */
export function topFunctions(
  summary: ProfileSummary,
  by: 'self' | 'total',
  n = 20,
): FunctionTime[] {
  const time = by === 'self' ? (f: FunctionTime) => f.selfMs : (f: FunctionTime) => f.totalMs
  return summary.functions
    .filter((f) => time(f) > 0)
    .sort((a, b) => time(b) - time(a) || a.name.localeCompare(b.name))
    .slice(0, n)
}
