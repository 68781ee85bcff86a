import { describe, expect, it } from 'vitest'
import { SingleFlight } from './single-flight.ts'
import { TimeoutError, withTimeout } from './timeout.ts'

describe('SingleFlight', () => {
  it('Should run concurrent calls for one key once and share the result', async () => {
    const flights = new SingleFlight<number>()
    let runs = 0
    const work = async () => {
      runs++
      await new Promise((resolve) => setTimeout(resolve, 10))
      return 42
    }
    const results = await Promise.all(Array.from({ length: 50 }, () => flights.run('k', work)))
    expect(results).toEqual(Array(50).fill(42))
    expect(runs).toBe(1)
    expect(flights.size).toBe(0)
  })

  it('Should share a failure and run again afterwards', async () => {
    const flights = new SingleFlight<number>()
    let runs = 0
    const failing = async () => {
      runs++
      throw new Error('down')
    }
    await expect(
      Promise.all([flights.run('k', failing), flights.run('k', failing)]),
    ).rejects.toThrow('down')
    expect(runs).toBe(1)
    expect(await flights.run('k', async () => 7)).toBe(7)
  })

  it('Should keep keys apart', async () => {
    const flights = new SingleFlight<string>()
    expect(
      await Promise.all([flights.run('a', async () => 'A'), flights.run('b', async () => 'B')]),
    ).toEqual(['A', 'B'])
  })
})

describe('withTimeout', () => {
  it('Should reject a promise that misses its deadline', async () => {
    await expect(withTimeout(new Promise(() => {}), 20, 'cache get')).rejects.toThrow(TimeoutError)
    await expect(withTimeout(Promise.resolve(1), 20, 'x')).resolves.toBe(1)
  })
})
