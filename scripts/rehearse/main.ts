/**
 * @module
 * `npm run rehearse`: the Helm chart's workloads run from the built image as
 * a kubelet would run them (see plan.ts and podman-args.ts), against this
 * machine's PostgreSQL (a schema of its own) and Redis (a key prefix of its
 * own), then checked end to end: migrations, probes, a signal to its row, a
 * mock-up made by one of two GPU workers and served by core, every
 * `/metrics`, and every container draining on SIGTERM within the pod's
 * grace period. Ends with `rehearsal: <held>/<total> checks hold`; exits 1
 * unless all hold.
 *
 * Usage: npm run rehearse [-- --no-build] [--image NAME] [--keep] [-f VALUES.yaml]...
 *   --no-build  use the image as it is (default: `npm run image` first, cached)
 *   --keep      leave the containers, schema and keys for a look afterwards
 *   -f          more values files, after scripts/rehearse/values.yaml
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) and REDIS_URL
 * (default redis://127.0.0.1:6379) name the servers the containers use.
 */
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { stringify } from 'yaml'
import { deployTools, helmTemplate, REPO_ROOT } from '../deploy/helm.ts'
import { Checklist } from './checks.ts'
import { mockupsAcrossWorkers, signalReachesRow } from './end-to-end.ts'
import { podman, podmanOk, tailLogs } from './engine.ts'
import { checkGpuRequired, withChartGpuValues } from './gpu-required.ts'
import { type PlacedContainer, placeWorkloads } from './placement.ts'
import { planWorkloads } from './plan.ts'
import { checkMetrics, drain, waitLiveness, waitProbes } from './pod-checks.ts'
import { podmanRunArgs } from './podman-args.ts'
import { createScratch } from './scratch.ts'

const { values: opts } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    image: { type: 'string', default: 'localhost/mockup-platform:dev' },
    keep: { type: 'boolean', default: false },
    values: { type: 'string', short: 'f', multiple: true, default: [] },
  },
})

const started = performance.now()
const checks = new Checklist()
const runId = `rh${Date.now().toString(36)}${randomBytes(2).toString('hex')}`
const say = (text: string) => console.log(`\n== ${text}`)

if (!opts['no-build']) {
  say('image (npm run image)')
  const build = spawnSync(
    'bash',
    [join(REPO_ROOT, 'scripts/image/build.sh'), '--tag', opts.image],
    {
      stdio: 'inherit',
    },
  )
  if (build.status !== 0) {
    console.error('rehearse: the image did not build')
    process.exit(1)
  }
}

const found = deployTools()
if ('skip' in found) {
  console.error(`rehearse: ${found.skip}`)
  process.exit(1)
}

const scratch = await createScratch(runId, {
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
})
const hostDir = mkdtempSync(join(tmpdir(), `${runId}-`))
const placed: PlacedContainer[] = []
try {
  say(`render the chart (run ${runId}: schema ${scratch.schema}, key prefix ${runId})`)
  const [repository, tag] = splitImage(opts.image)
  const apiKey = randomBytes(24).toString('hex')
  const runValues = join(hostDir, 'run-values.yaml')
  writeFileSync(
    runValues,
    stringify({
      image: { repository, tag },
      config: { QUEUE_PREFIX: `${runId}:bull`, SCORE_CACHE_PREFIX: `${runId}:` },
      secrets: {
        data: {
          DATABASE_URL: scratch.databaseUrl,
          REDIS_URL: scratch.redisUrl,
          API_KEYS: `${runId}:${apiKey}`,
        },
      },
    }),
  )
  const files = [join(REPO_ROOT, 'scripts/rehearse/values.yaml'), ...opts.values, runValues]
  const rendered = helmTemplate(
    found.tools.helm,
    files.flatMap((f) => ['-f', f]),
  )
  if (!rendered.ok) throw new Error(`helm template: ${rendered.error}`)
  const workloads = planWorkloads(rendered.manifests)
  const services = rendered.manifests
    .filter((m) => m.kind === 'Service')
    .map((m) => m.metadata.name)
  const layout = placeWorkloads(workloads, { runId, services, hostDir })
  // One more GPU worker with the chart's own GPU values: on this node it must not become ready.
  const gpuPlan = workloads.find((w) => w.component === 'gpu-worker')
  const gpuRequired = gpuPlan
    ? placeWorkloads([withChartGpuValues(gpuPlan)], {
        runId,
        services,
        hostDir,
        firstReplica: gpuPlan.replicas,
      }).containers
    : []
  console.log(
    workloads
      .map((w) => `${w.component} x${w.replicas} (grace ${w.terminationGracePeriodSeconds} s)`)
      .join(', '),
  )

  say('init containers, as the kubelet runs them before the pod starts')
  for (const init of layout.init) {
    await checks.check(`${init.label}: exits 0`, async () => {
      const r = await podman(['run', '--rm', ...podmanRunArgs(init.plan, init.placement)], 180_000)
      if (r.code !== 0) throw new Error(`exit ${r.code}: ${lastLines(`${r.stdout}${r.stderr}`)}`)
      return `${init.plan.argv.join(' ')}`
    })
  }
  await checks.check(
    'the migrations reached the schema',
    async () => `${await scratch.migrationCount()} applied`,
  )

  say('containers')
  for (const c of [...layout.containers, ...gpuRequired]) {
    const ok = await checks.check(`${c.label}: starts`, async () => {
      await podmanOk(['run', '--detach', ...podmanRunArgs(c.plan, c.placement)])
      return c.plan.argv.join(' ')
    })
    if (ok) placed.push(c)
  }

  say('probes (liveness /healthz, readiness /readyz)')
  const serving = placed.filter((c) => !gpuRequired.includes(c))
  await Promise.all([
    ...serving.map((c) => waitProbes(checks, c)),
    ...placed
      .filter((c) => gpuRequired.includes(c))
      .map(async (c) => {
        if (await waitLiveness(checks, c)) await checkGpuRequired(checks, c)
      }),
  ])

  say('end to end through the containers')
  const core = placed.find((c) => c.component === 'core' && c.replica === 0)
  const gpuWorkers = serving.filter((c) => c.component === 'gpu-worker')
  if (!core) throw new Error('no core container is running')
  const coreUrl = `http://127.0.0.1:${core.hostPort('http')}`
  await signalReachesRow(checks, { coreUrl, apiKey, scratch, runId })
  await mockupsAcrossWorkers(checks, {
    coreUrl,
    apiKey,
    gpuWorkers,
    idleWorkers: placed.filter((c) => gpuRequired.includes(c)),
    redis: scratch.redis,
  })

  say('metrics')
  await Promise.all(placed.map((c) => checkMetrics(checks, c)))

  say('SIGTERM: preStop, then drain and exit 0 within terminationGracePeriodSeconds')
  await Promise.all(placed.map((c) => drain(checks, c)))
} catch (err) {
  await checks.check('the rehearsal ran to its end', () => {
    throw err
  })
} finally {
  for (const c of placed) {
    if (checks.failures.some((name) => name.startsWith(c.label)))
      console.log(`\n-- ${c.label} (last lines)\n${await tailLogs(c.placement.containerName)}`)
  }
  if (!opts.keep) {
    // Every container of the run carries its label: init containers and any that failed to start too.
    await podman(['rm', '--force', '--time', '0', '--filter', `label=rehearsal=${runId}`], 60_000)
    rmSync(hostDir, { recursive: true, force: true })
    await scratch.drop()
  } else {
    console.log(
      `\nkept: containers labelled rehearsal=${runId}, schema ${scratch.schema}, keys ${runId}*`,
    )
  }
  await scratch.close()
}

console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s)`)
console.log(checks.summary())
process.exit(checks.allHeld ? 0 : 1)

function splitImage(image: string): [string, string] {
  const at = image.lastIndexOf(':')
  return at > image.lastIndexOf('/') ? [image.slice(0, at), image.slice(at + 1)] : [image, 'latest']
}

function lastLines(text: string, n = 8): string {
  return text.trim().split('\n').slice(-n).join('\n')
}
