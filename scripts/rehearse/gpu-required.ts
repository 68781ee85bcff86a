/**
 * @module
 * The GPU worker as the chart's own GPU values run it (`EXECUTION_PROVIDERS`
 * and `REQUIRE_GPU` from values.yaml's gpuWorker.config) on this node, which
 * has no GPU: ONNX Runtime falls back to the CPU, so the pod must stay out of
 * service (readiness failing, naming the provider) rather than serve mock-ups
 * slowly, while liveness holds.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { CHART_DIR } from '../deploy/helm.ts'
import type { Checklist } from './checks.ts'
import type { PlacedContainer } from './placement.ts'
import type { WorkloadPlan } from './plan.ts'
import { readMetrics } from './pod-checks.ts'

/** The chart's default gpuWorker.config, as ConfigMap strings. */
function chartGpuConfig(): Record<string, string> {
  const values = parse(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as {
    gpuWorker: { config: Record<string, string | number | boolean> }
  }
  return Object.fromEntries(Object.entries(values.gpuWorker.config).map(([k, v]) => [k, String(v)]))
}

/** One more GPU worker pod, its env the chart's default GPU config. */
export function withChartGpuValues(worker: WorkloadPlan): WorkloadPlan {
  const config = chartGpuConfig()
  return {
    ...worker,
    replicas: 1,
    containers: worker.containers.map((c) => ({ ...c, env: { ...c.env, ...config } })),
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** `/readyz` fails naming REQUIRE_GPU, and the provider gauge says cpu. */
export async function checkGpuRequired(checks: Checklist, c: PlacedContainer): Promise<void> {
  const settings = `EXECUTION_PROVIDERS=${c.plan.env.EXECUTION_PROVIDERS} REQUIRE_GPU=${c.plan.env.REQUIRE_GPU}`
  await checks.check(`${c.label}: with ${settings} and no GPU, not ready, saying why`, async () => {
    const url = `http://127.0.0.1:${c.hostPort('metrics')}/readyz`
    const deadline = performance.now() + 120_000
    while (performance.now() < deadline) {
      const res = await fetch(url, { signal: AbortSignal.timeout(3000) }).catch(() => undefined)
      const body = res ? await res.text() : ''
      if (res?.status === 200) throw new Error(`ready on the CPU: ${body.slice(0, 300)}`)
      // Not ready for the right reason: the models loaded and the provider was judged.
      if (res?.status === 503 && body.includes('REQUIRE_GPU')) {
        const report = JSON.parse(body) as { checks: Record<string, { error?: string }> }
        const [name, check] =
          Object.entries(report.checks).find(([, r]) => r.error?.includes('REQUIRE_GPU')) ?? []
        return `503, ${name}: ${check?.error}`
      }
      await sleep(500)
    }
    throw new Error('no readiness verdict on the provider within 120 s')
  })
  await checks.check(`${c.label}: gpu_worker_execution_provider says cpu`, async () => {
    const family = (await readMetrics(c)).get('gpu_worker_execution_provider')
    const onCpu = family?.samples.filter((s) => s.labels.provider === 'cpu' && s.value === 1) ?? []
    if (onCpu.length === 0) throw new Error('no series with provider="cpu"')
    return onCpu.map((s) => s.labels.model).join(', ')
  })
}
