/**
 * GPU metrics through a real `nvidia-smi` process: stand-in executables print
 * recorded outputs, fail, or hang, as the driver's tool does on real hosts.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Registry } from 'prom-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parsePrometheusText, sampleValue } from '../../core/platform/metrics/exposition.ts'
import { createNvidiaSmiReader, registerGpuMetrics } from '../../gpu-worker/gpu-metrics/index.ts'

let dir: string
async function tool(name: string, body: string): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, `#!/bin/sh\n${body}\n`)
  await chmod(path, 0o755)
  return path
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nvidia-smi-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

async function scrape(read: ReturnType<typeof createNvidiaSmiReader>) {
  const registry = new Registry()
  registerGpuMetrics(registry, read)
  return parsePrometheusText(await registry.metrics())
}

describe('GPU metrics', () => {
  it('Should export utilisation and temperature per GPU', async () => {
    const binary = await tool('ok', 'printf "0, 87, 71\\n1, [N/A], 38\\n"')
    const families = await scrape(createNvidiaSmiReader({ binary }))
    expect(sampleValue(families, 'gpu_utilization_percent', { gpu: '0' })).toBe(87)
    expect(sampleValue(families, 'gpu_temperature_celsius', { gpu: '1' })).toBe(38)
    expect(sampleValue(families, 'gpu_utilization_percent', { gpu: '1' })).toBeUndefined()
  })

  it.each([['no nvidia-smi at all', '/nonexistent/nvidia-smi']])(
    'Should export no GPU series with %s',
    async (_, binary) => {
      const errors: unknown[] = []
      const families = await scrape(
        createNvidiaSmiReader({ binary, onError: (e) => errors.push(e) }),
      )
      expect(families.get('gpu_utilization_percent')?.samples ?? []).toEqual([])
      expect(errors).toHaveLength(1)
    },
  )

  it('Should export no GPU series when the driver fails or hangs', async () => {
    const failing = await tool('fail', 'echo "NVIDIA-SMI has failed" >&2; exit 9')
    const hanging = await tool('hang', 'sleep 30')
    for (const binary of [failing, hanging]) {
      const families = await scrape(createNvidiaSmiReader({ binary, timeoutMs: 300 }))
      expect(families.get('gpu_temperature_celsius')?.samples ?? []).toEqual([])
    }
  })

  it('Should reuse a reading within the cache window', async () => {
    const counter = join(dir, 'calls')
    const binary = await tool('counting', `echo x >> ${counter}; printf "0, 1, 2\\n"`)
    const read = createNvidiaSmiReader({ binary, cacheMs: 60_000 })
    await Promise.all([read(), read(), read()])
    expect((await readFile(counter, 'utf8')).trim().split('\n')).toHaveLength(1)
  })
})
