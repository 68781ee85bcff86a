import { describe, expect, it } from 'vitest'
import { createExperimentContract, EXPERIMENT_LIMITS } from './experiments.ts'
import { createSignalContract, SIGNAL_LIMITS } from './signals.ts'
import { isStorableText, MAX_ABS_VALUE, toStorableText } from './storable.ts'

const NOW = Date.parse('2026-06-01T12:00:00Z')
const signals = createSignalContract(SIGNAL_LIMITS, () => NOW)
const experiments = createExperimentContract(EXPERIMENT_LIMITS, () => NOW)
const skew = SIGNAL_LIMITS.maxFutureSkewMs
const signal = {
  topic: 'cats',
  source: 'etsy',
  metric: 'sales',
  value: 1,
  observedAt: '2026-06-01T00:00:00Z',
}

/** The paths of the fields `schema` refuses in `input`. */
function refused(
  schema: typeof signals.input | typeof experiments.metric,
  input: object,
): string[] {
  const result = schema.safeParse(input)
  return result.success ? [] : result.error.issues.map((i) => i.path.join('.'))
}

describe('storable signals and samples', () => {
  it('Should take times from 2000-01-01 to the skew after the injected now', () => {
    const at = (t: number | string) => ({ ...signal, observedAt: new Date(t).toISOString() })
    expect(refused(signals.input, at('2000-01-01T00:00:00Z'))).toEqual([])
    expect(refused(signals.input, at(NOW + skew))).toEqual([])
    expect(refused(signals.input, at('1999-12-31T23:59:59.999Z'))).toEqual(['observedAt'])
    expect(refused(signals.input, at(NOW + skew + 1))).toEqual(['observedAt'])
    expect(refused(signals.input, { ...signal, observedAt: '0000-01-01T00:00:00Z' })).toEqual([
      'observedAt',
    ])
    expect(
      refused(experiments.metric, { name: 'ctr', value: 1, at: '0000-01-01T00:00:00Z' }),
    ).toEqual(['at'])
  })

  it('Should take values within ±MAX_ABS_VALUE only', () => {
    for (const value of [MAX_ABS_VALUE, -MAX_ABS_VALUE, 0, 0.5]) {
      expect(refused(signals.input, { ...signal, value })).toEqual([])
      expect(refused(experiments.metric, { name: 'ctr', value })).toEqual([])
    }
    for (const value of [1e308, -1e308, MAX_ABS_VALUE * 1.000001, Number.NaN, Infinity]) {
      expect(refused(signals.input, { ...signal, value })).toEqual(['value'])
      expect(refused(experiments.metric, { name: 'ctr', value })).toEqual(['value'])
    }
  })

  it('Should refuse tag values jsonb cannot hold', () => {
    expect(
      refused(experiments.metric, { name: 'ctr', value: 1, tags: { variant: 'a\u0000' } }),
    ).toEqual(['tags.variant'])
    expect(
      refused(experiments.metric, { name: 'ctr', value: 1, tags: { variant: '\ud800' } }),
    ).toEqual(['tags.variant'])
    expect(
      refused(experiments.metric, { name: 'ctr', value: 1, tags: { variant: 'ok 😀' } }),
    ).toEqual([])
  })

  it('Should replace what PostgreSQL cannot hold, and only that', () => {
    expect(isStorableText('ok 😀')).toBe(true)
    expect(isStorableText('\ud83d')).toBe(false)
    expect(toStorableText('a\u0000b\ud800😀')).toBe('a\uFFFDb\uFFFD😀')
  })
})
