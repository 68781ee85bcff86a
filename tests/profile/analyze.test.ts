/** The profile analysis on a hand-built profile whose answer is known. */
import type { Profiler } from 'node:inspector'
import { describe, expect, test } from 'vitest'
import { analyzeProfile, topFunctions } from '../../scripts/profile/analyze.ts'
import { formatProfileSummary } from '../../scripts/profile/format.ts'

const frame = (functionName: string, url = 'file:///app/main.js', lineNumber = 0) => ({
  functionName,
  scriptId: '1',
  url,
  lineNumber,
  columnNumber: 0,
})

// (root) -> main -> work -> fib -> fib (recursion); main -> log; (root) -> (idle), (garbage collector), (program)
const profile: Profiler.Profile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 6, 7, 8] },
    { id: 2, callFrame: frame('main', 'file:///app/main.js', 10), children: [3, 5] },
    { id: 3, callFrame: frame('work', 'file:///app/main.js', 20), children: [4] },
    { id: 4, callFrame: frame('fib', 'file:///app/fib.js', 1), children: [9] },
    { id: 5, callFrame: frame('', 'file:///app/main.js', 30) },
    { id: 6, callFrame: frame('(idle)', '') },
    { id: 7, callFrame: frame('(garbage collector)', '') },
    { id: 8, callFrame: frame('(program)', '') },
    { id: 9, callFrame: frame('fib', 'file:///app/fib.js', 1) },
  ],
  startTime: 1_000_000,
  endTime: 1_100_000,
  // Sample i lasts until sample i+1: irregular gaps, as under load.
  samples: [4, 9, 9, 3, 5, 6, 7, 8, 2],
  timeDeltas: [0, 10_000, 30_000, 10_000, 5_000, 20_000, 5_000, 10_000, 5_000],
}

describe('analyzeProfile', () => {
  const summary = analyzeProfile(profile)
  const fn = (name: string) => summary.functions.find((f) => f.name === name)

  test('Should weigh each sample by the real time to the next one', () => {
    expect(summary.wallMs).toBe(100)
    // fib: samples 0 (10 ms), 1 (30 ms), 2 (10 ms) at two nodes of one function.
    expect(fn('fib')).toMatchObject({ selfMs: 50, totalMs: 50, line: 2 })
    expect(fn('work')).toMatchObject({ selfMs: 5, totalMs: 55 })
    // The last sample runs until endTime: 1_100_000 - 1_095_000.
    expect(fn('main')).toMatchObject({ selfMs: 5, totalMs: 80 })
    expect(fn('(anonymous)')).toMatchObject({ selfMs: 20, totalMs: 20, line: 31 })
  })

  test('Should count a recursive function once per sample in its total', () => {
    expect(fn('fib')?.totalMs).toBe(50)
  })

  test('Should keep idle, garbage collector and program apart from the functions', () => {
    expect(summary.pseudo).toEqual({ '(idle)': 5, '(garbage collector)': 10, '(program)': 5 })
    expect(summary.functions.map((f) => f.name)).not.toContain('(idle)')
    expect(summary.functions.map((f) => f.name)).not.toContain('(root)')
  })

  test('Should rank by self and by total time', () => {
    expect(topFunctions(summary, 'self').map((f) => f.name)).toEqual([
      'fib',
      '(anonymous)',
      'main',
      'work',
    ])
    expect(topFunctions(summary, 'total', 2).map((f) => f.name)).toEqual(['main', 'work'])
  })

  test('Should refuse a sample naming a node the profile lacks', () => {
    expect(() => analyzeProfile({ ...profile, samples: [42] })).toThrow(/node 42/)
  })

  test('Should format both tables with positions relative to the root', () => {
    const text = formatProfileSummary(summary, '/app', 3)
    expect(text).toContain('(idle) 5.0 ms (5.0%), (garbage collector) 10.0 ms (10.0%)')
    expect(text).toMatch(
      /Top 3 functions by self time\n.*\n\s+50\.0\s+50\.0%\s+50\.0\s+50\.0%\s+fib\s+fib\.js:2:1/,
    )
  })
})
