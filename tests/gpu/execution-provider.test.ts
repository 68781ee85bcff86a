/**
 * What the GPU worker states it runs on, with the real ONNX Runtime: here
 * (no CUDA libraries) `EXECUTION_PROVIDERS=cuda,cpu` really falls back to the
 * CPU. Under `REQUIRE_GPU=true` `/readyz` fails and says so; otherwise it
 * passes, naming the provider, and the log carries a warning.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Registry } from 'prom-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../core/platform/config/index.ts'
import { createLogger } from '../../core/platform/logger.ts'
import { parsePrometheusText, sampleValue } from '../../core/platform/metrics/exposition.ts'
import { createMetricsApp } from '../../core/platform/metrics/index.ts'
import { reportExecutionProviders } from '../../gpu-worker/execution-provider/index.ts'
import { loadSdPipeline, type SdPipeline, writeTinySdModelSet } from '../../gpu-worker/sd/index.ts'

const silent = createLogger({ service: 'test', level: 'silent' })
let root: string
let pipe: SdPipeline
const config = loadConfig({ EXECUTION_PROVIDERS: 'cuda,cpu' })

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sd-provider-'))
  await writeTinySdModelSet(root, { timestep: 'int64', seed: 1 })
  pipe = await loadSdPipeline(root, { providers: config.EXECUTION_PROVIDERS })
})
afterAll(async () => {
  await pipe?.release()
  await rm(root, { recursive: true, force: true })
})

/** Reports on `pipe` under `REQUIRE_GPU=<requireGpu>`; returns the /readyz answer, log and metrics. */
async function report(requireGpu: string) {
  const { REQUIRE_GPU } = loadConfig({ EXECUTION_PROVIDERS: 'cuda,cpu', REQUIRE_GPU: requireGpu })
  const logged: { level: string; msg: string }[] = []
  const log = (level: string) => (_: object, msg: string) => logged.push({ level, msg })
  const registry = new Registry()
  const { verdict, readiness } = reportExecutionProviders({
    requested: config.EXECUTION_PROVIDERS,
    inUse: pipe.providers,
    requireGpu: REQUIRE_GPU,
    registry,
    logger: { info: log('info'), warn: log('warn'), error: log('error') },
  })
  const app = createMetricsApp({
    metrics: () => registry.metrics(),
    contentType: registry.contentType,
    readiness: [readiness],
    logger: silent,
  })
  const res = await app.request('/readyz')
  return {
    verdict,
    logged,
    status: res.status,
    body: await res.json(),
    families: parsePrometheusText(await registry.metrics()),
  }
}

describe('execution provider on a CPU-only host', () => {
  it('Should fall back from cuda to cpu for every model', () => {
    expect(pipe.providers).toEqual({ textEncoder: 'cpu', unet: 'cpu', vaeDecoder: 'cpu' })
  })

  it('Should fail /readyz under REQUIRE_GPU=true, saying what it runs on', async () => {
    const { status, body, logged, verdict } = await report('true')
    const message = 'running on cpu, REQUIRE_GPU=true wants one of cuda'
    expect(verdict.ok).toBe(false)
    expect(status).toBe(503)
    expect(body).toMatchObject({
      ready: false,
      checks: { 'execution-provider': { ok: false, error: message } },
    })
    expect(logged).toEqual([{ level: 'error', msg: `execution provider: ${message}` }])
  })

  it('Should pass /readyz with REQUIRE_GPU=false, naming the provider, and warn', async () => {
    const { status, body, logged, families } = await report('false')
    const message = 'running on cpu, fell back from cuda'
    expect(status).toBe(200)
    expect(body).toMatchObject({
      ready: true,
      checks: { 'execution-provider': { ok: true, detail: message } },
    })
    expect(logged).toEqual([{ level: 'warn', msg: `execution provider: ${message}` }])
    for (const model of ['text_encoder', 'unet', 'vae_decoder']) {
      const gauge = (provider: string) =>
        sampleValue(families, 'gpu_worker_execution_provider', { model, provider })
      expect(gauge('cpu')).toBe(1)
      expect(gauge('cuda')).toBeUndefined()
    }
  })
})
