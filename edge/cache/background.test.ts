import { describe, expect, it } from 'vitest'
import { BackgroundTasks } from './background.ts'
import { TimeoutError } from './timeout.ts'

describe('BackgroundTasks', () => {
  it('Should run one task per key at a time and hand each to waitUntil', async () => {
    const errors: unknown[] = []
    const tasks = new BackgroundTasks({ timeoutMs: 1_000, onError: (err) => errors.push(err) })
    const kept: Promise<unknown>[] = []
    let runs = 0
    let release = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const task = async () => {
      runs++
      await gate
    }
    for (let i = 0; i < 5; i++) tasks.start('k', task, (p) => kept.push(p))
    tasks.start(
      'other',
      async () => {},
      (p) => kept.push(p),
    )
    expect(tasks.size).toBe(2)
    expect(kept).toHaveLength(2)
    release()
    await tasks.settled()
    expect(runs).toBe(1)
    expect(tasks.size).toBe(0)
    expect(errors).toEqual([])
  })

  it('Should report a failure, thrown or past the deadline, and never throw it', async () => {
    const errors: unknown[] = []
    const tasks = new BackgroundTasks({ timeoutMs: 20, onError: (err) => errors.push(err) })
    tasks.start('throws', () => {
      throw new Error('down')
    })
    tasks.start('hangs', () => new Promise(() => {}))
    await tasks.settled()
    expect(errors).toHaveLength(2)
    expect(errors.map((e) => (e as Error).message)).toContain('down')
    expect(errors.some((e) => e instanceof TimeoutError)).toBe(true)
    // The key is free again.
    let ran = false
    tasks.start('throws', async () => {
      ran = true
    })
    await tasks.settled()
    expect(ran).toBe(true)
  })
})
