/**
 * The rehearsal's reading of the chart (scripts/rehearse): the chart rendered
 * with the rehearsal's values becomes the containers a kubelet would start,
 * with the Secret and ConfigMap resolved, the probes on their ports, and the
 * podman options for the pod's security context and volumes. Also what a
 * kubelet refuses (a missing required Secret key, a probe on a port the
 * container lacks). Skips, saying why, when helm cannot be fetched.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { deployTools, helmTemplate, type Manifest, REPO_ROOT } from '../../scripts/deploy/helm.ts'
import { placeWorkloads } from '../../scripts/rehearse/placement.ts'
import { PlanError, planWorkloads, type WorkloadPlan } from '../../scripts/rehearse/plan.ts'
import { podmanRunArgs } from '../../scripts/rehearse/podman-args.ts'

const found = deployTools()
if ('skip' in found) console.warn(`tests/deploy/rehearse-plan.test.ts skipped: ${found.skip}`)
// The placement makes the pods' volume folders: a folder of this file's own.
const hostDir = mkdtempSync(join(tmpdir(), 'rehearse-plan-'))
afterAll(() => rmSync(hostDir, { recursive: true, force: true }))
const REHEARSAL_VALUES = join(REPO_ROOT, 'scripts/rehearse/values.yaml')
const SECRETS = [
  '--set-string',
  'secrets.data.DATABASE_URL=postgres://db/x,secrets.data.REDIS_URL=redis://r:6379',
]

function render(extra: string[] = []): Manifest[] {
  if (!('tools' in found)) throw new Error('no helm')
  const out = helmTemplate(found.tools.helm, ['-f', REHEARSAL_VALUES, ...SECRETS, ...extra])
  if (!out.ok) throw new Error(out.error)
  return out.manifests
}

const byComponent = (plans: WorkloadPlan[], component: string) => {
  const plan = plans.find((w) => w.component === component)
  if (!plan) throw new Error(`no ${component}`)
  return plan
}

describe.skipIf('skip' in found)('the rehearsal plan of the chart', () => {
  test('core runs the migrations first, with the Secret and ConfigMap resolved', () => {
    const core = byComponent(planWorkloads(render()), 'core')
    expect(core.replicas).toBe(1)
    expect(core.initContainers.map((c) => c.argv)).toEqual([
      ['node', '--import', 'tsx', 'core/platform/db/migrate-cli.ts'],
    ])
    const [migrate] = core.initContainers
    expect(migrate?.env.DATABASE_URL).toBe('postgres://db/x')
    // Of the Secret, the init container reads only DATABASE_URL.
    expect(migrate?.env.REDIS_URL).toBeUndefined()
    const [main] = core.containers
    expect(main?.argv).toEqual(['node', '--import', 'tsx', 'core/main.ts'])
    expect(main?.env).toMatchObject({
      REDIS_URL: 'redis://r:6379',
      PORT: '3000',
      NODE_ENV: 'production',
    })
    expect(main?.readiness).toMatchObject({ path: '/readyz', port: 9464 })
    expect(main?.preStop).toEqual(['sleep', '5'])
    expect(core.terminationGracePeriodSeconds).toBe(35)
  })

  test('podman options: the pod user, a read-only root whose only writable paths are the emptyDirs', () => {
    const plans = planWorkloads(render())
    const { containers } = placeWorkloads(plans, {
      runId: 'rhtest',
      services: ['svc'],
      hostDir,
    })
    const core = containers.find((c) => c.component === 'core')
    if (!core) throw new Error('no core')
    const args = podmanRunArgs(core.plan, core.placement).join(' ')
    expect(args).toContain('--user 1000:1000')
    expect(args).toContain('--read-only --read-only-tmpfs=false')
    expect(args).toContain('--cap-drop all')
    const pod = `${hostDir}/pods/mockup-mockup-platform-core-rhtest-0`
    expect(args).toContain(`${pod}/tmp:/tmp:rw`)
    expect(args).toContain(`${pod}/data:/app/.data:rw`)
    // Core only reads the images the GPU workers write.
    expect(args).toContain(`${hostDir}/mockups:/srv/mockups:ro`)
    expect(args).toContain('--add-host svc:127.0.0.1')
    expect(args).toMatch(
      /--entrypoint \["node"\] localhost\/mockup-platform:dev --import tsx core\/main.ts$/,
    )
  })

  test('a second replica moves its ports, its env and its probes with them', () => {
    const { containers } = placeWorkloads(planWorkloads(render()), {
      runId: 'rhtest',
      services: [],
      hostDir,
    })
    const workers = containers.filter((c) => c.component === 'gpu-worker')
    expect(workers.map((w) => w.hostPort('metrics'))).toEqual([9467, 10467])
    expect(workers.map((w) => w.placement.hostname)).toEqual([
      'mockup-mockup-platform-gpu-worker-rhtest-0',
      'mockup-mockup-platform-gpu-worker-rhtest-1',
    ])
    const second = workers[1]
    if (!second) throw new Error('no second worker')
    expect(podmanRunArgs(second.plan, second.placement)).toContain('METRICS_PORT=10467')
    expect(second.readiness?.port).toBe(10467)
  })

  test('what a kubelet refuses is refused', () => {
    const manifests = render()
    const secret = manifests.find((m) => m.kind === 'Secret') as Manifest & {
      stringData: Record<string, string>
    }
    delete secret.stringData.REDIS_URL
    expect(() => planWorkloads(manifests)).toThrow(PlanError)
    expect(() => planWorkloads(manifests)).toThrow(/key REDIS_URL not found/)

    const badProbe = render(['--set', 'core.ports.metrics=9999'])
    const deployment = badProbe.find(
      (m) => m.kind === 'Deployment' && m.metadata.name.endsWith('-core'),
    ) as unknown as {
      spec: {
        template: { spec: { containers: { readinessProbe: { httpGet: { port: string } } }[] } }
      }
    }
    const probe = deployment.spec.template.spec.containers[0]?.readinessProbe.httpGet
    if (probe) probe.port = 'metrcs'
    expect(() => planWorkloads(badProbe)).toThrow(/port "metrcs" is not a port of the container/)
  })
})
