import { describe, expect, it } from 'vitest'
import { loadConfig } from '../config/index.ts'
import { queueSettings, queueSettingsFromConfig, RETENTION } from './settings.ts'

describe('queueSettings', () => {
  it('Should retry with exponential back-off and bound what finished jobs keep', () => {
    const settings = queueSettings()
    expect(settings).toMatchObject({
      prefix: 'bull',
      lockDurationMs: 30_000,
      stalledIntervalMs: 30_000,
      addTimeoutMs: 2000,
      defaultJobOptions: {
        attempts: 10,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: RETENTION.completed,
        removeOnFail: RETENTION.failed,
      },
    })
  })

  it('Should take the environment: prefix, attempts, back-off and lock timings', () => {
    const config = loadConfig({
      QUEUE_PREFIX: 'staging',
      QUEUE_ATTEMPTS: '3',
      QUEUE_BACKOFF_DELAY_MS: '250',
      QUEUE_LOCK_DURATION_MS: '5000',
      QUEUE_STALLED_INTERVAL_MS: '2500',
      QUEUE_ADD_TIMEOUT_MS: '500',
    })
    expect(queueSettingsFromConfig(config)).toMatchObject({
      prefix: 'staging',
      lockDurationMs: 5000,
      stalledIntervalMs: 2500,
      addTimeoutMs: 500,
      defaultJobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 250 } },
    })
  })

  it('Should refuse a bad prefix or metrics store URL naming the variable', () => {
    expect(() => loadConfig({ QUEUE_PREFIX: 'has space' })).toThrow(/QUEUE_PREFIX/)
    expect(() => loadConfig({ METRICS_STORE_URL: 'mysql://x' })).toThrow(/METRICS_STORE_URL/)
    expect(loadConfig({ METRICS_STORE_URL: 'sqlite:.data/metrics.db' }).METRICS_STORE_URL).toBe(
      'sqlite:.data/metrics.db',
    )
  })

  it('Should refuse non-positive timings when built', () => {
    expect(() => queueSettings({ stalledIntervalMs: 0 })).toThrow(/greater than 0/)
  })
})
