/**
 * @module
 * The checks a kubelet and Prometheus make of each running container: the
 * probes on their ports, `/metrics` that parses, and a stop (preStop hook,
 * then SIGTERM) that ends in exit 0 within the pod's grace period.
 */
import { parsePrometheusText } from '../../core/platform/metrics/exposition.ts'
import type { Checklist } from './checks.ts'
import { podman, waitExit } from './engine.ts'
import type { PlacedContainer } from './placement.ts'
import type { ProbePlan } from './plan.ts'

/** How long a container may take to become ready (the GPU workers write a model set first). */
const READY_WITHIN_MS = 240_000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

/** One probe request: its status, or 0 when nothing answered in time. */
async function probe(p: ProbePlan): Promise<{ status: number; body: string }> {
  try {
    const res = await fetch(`http://127.0.0.1:${p.port}${p.path}`, {
      signal: AbortSignal.timeout(p.timeoutSeconds * 1000),
    })
    return { status: res.status, body: await res.text() }
  } catch {
    return { status: 0, body: '' }
  }
}

/** Polls `p` until it answers 2xx; throws with the last answer after `withinMs`. */
async function until2xx(
  p: ProbePlan,
  withinMs: number,
  alive: () => Promise<boolean>,
): Promise<number> {
  const started = performance.now()
  let last = { status: 0, body: '' }
  while (performance.now() - started < withinMs) {
    last = await probe(p)
    if (last.status >= 200 && last.status < 300) return performance.now() - started
    if (!(await alive())) throw new Error(`the container exited (last answer ${last.status})`)
    await sleep(500)
  }
  throw new Error(
    `no 2xx on :${p.port}${p.path} within ${seconds(withinMs)} (last ${last.status} ${last.body.slice(0, 200)})`,
  )
}

const running = (c: PlacedContainer) => async () => {
  const r = await podman(
    ['inspect', '--format', '{{.State.Running}}', c.placement.containerName],
    10_000,
  )
  return r.stdout.trim() === 'true'
}

/**
 * Liveness must pass before the kubelet would restart the container
 * (initialDelay + period x failureThreshold). Returns whether it held.
 */
export async function waitLiveness(checks: Checklist, c: PlacedContainer): Promise<boolean> {
  const { liveness } = c
  if (!liveness) return true
  const patience =
    (liveness.initialDelaySeconds + liveness.periodSeconds * liveness.failureThreshold) * 1000
  return checks.check(
    `${c.label}: liveness ${liveness.path} on :${liveness.port}`,
    async () =>
      `200 after ${seconds(await until2xx(liveness, patience, running(c)))} (kubelet's patience ${seconds(patience)})`,
  )
}

/** Liveness, then readiness within a few minutes (not waited for once liveness failed: the kubelet would restart the container). */
export async function waitProbes(checks: Checklist, c: PlacedContainer): Promise<void> {
  const alive = await waitLiveness(checks, c)
  const { readiness } = c
  if (!readiness) return
  await checks.check(`${c.label}: readiness ${readiness.path} on :${readiness.port}`, async () => {
    if (!alive) throw new Error('not waited for: liveness failed first')
    return `ready after ${seconds(await until2xx(readiness, READY_WITHIN_MS, running(c)))}`
  })
}

/** Reads a container's `/metrics` on its metrics port, parsed. */
export async function readMetrics(c: PlacedContainer) {
  const res = await fetch(`http://127.0.0.1:${c.hostPort('metrics')}/metrics`, {
    signal: AbortSignal.timeout(10_000),
  })
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`)
  return parsePrometheusText(await res.text())
}

/** `/metrics` answers 200 in the text format, with the process's own series. */
export async function checkMetrics(checks: Checklist, c: PlacedContainer): Promise<void> {
  await checks.check(`${c.label}: /metrics parses`, async () => {
    const families = await readMetrics(c)
    if (!families.has('process_cpu_seconds_total'))
      throw new Error('no process_cpu_seconds_total (default metrics missing)')
    return `${families.size} families`
  })
}

/**
 * Stops a container as the kubelet does: its preStop hook, then SIGTERM, then
 * SIGKILL at the end of terminationGracePeriodSeconds (counted from the hook).
 */
export async function drain(checks: Checklist, c: PlacedContainer): Promise<void> {
  const name = c.placement.containerName
  const graceMs = c.terminationGracePeriodSeconds * 1000
  await checks.check(`${c.label}: SIGTERM drains, exit 0`, async () => {
    const started = performance.now()
    if (c.plan.preStop) {
      const hook = await podman(['exec', name, ...c.plan.preStop], graceMs)
      if (hook.code !== 0)
        throw new Error(`preStop ${c.plan.preStop.join(' ')} failed: ${hook.stderr.trim()}`)
    }
    await podman(['kill', '--signal', 'TERM', name], 10_000)
    const left = Math.max(1000, Math.round(graceMs - (performance.now() - started)))
    const code = await waitExit(name, left)
    const took = performance.now() - started
    if (code === undefined) {
      await podman(['kill', '--signal', 'KILL', name], 10_000)
      throw new Error(
        `still running after the ${seconds(graceMs)} grace period (the kubelet would SIGKILL)`,
      )
    }
    if (code !== 0) throw new Error(`exit ${code} after ${seconds(took)}`)
    return `exit 0 after ${seconds(took)} of ${seconds(graceMs)}${c.plan.preStop ? ` (preStop ${c.plan.preStop.join(' ')})` : ''}`
  })
}
