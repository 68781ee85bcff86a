/**
 * The chart's Ingress and the S3 storage mode, rendered by the real helm
 * (deploy/check.sh's cache) with ci/s3-ingress-values.yaml: core's public API
 * behind TLS, routing exactly the prefixes of core's public routes (read from
 * core's source, so a new route family is not forgotten) and never /admin or
 * /metrics; with a bucket, no shared image volume and the MOCKUP_STORAGE_*
 * settings instead. Skips, saying why, when the tools cannot be fetched.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment'
import { type IIngress, Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress'
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap'
import type { IService } from 'kubernetes-models/v1/Service'
import { beforeAll, describe, expect, test } from 'vitest'
import {
  CHART_DIR,
  deployTools,
  helmTemplate,
  type Manifest,
  REPO_ROOT,
} from '../../scripts/deploy/helm.ts'
import { createKnownKeysChecker } from './support/known-keys.ts'

const found = deployTools()
const helm = 'tools' in found ? found.tools.helm : undefined
if ('skip' in found) console.warn(`tests/deploy/ingress.test.ts skipped: ${found.skip}`)

const S3_INGRESS_VALUES = join(CHART_DIR, 'ci/s3-ingress-values.yaml')
const CORE = 'mockup-mockup-platform-core'
/** Route families that stay inside the cluster. */
const PRIVATE = ['/admin', '/healthz']

/** The first path segment of every route core's HTTP app mounts (`app.get('/signals/...')`). */
function coreRoutePrefixes(): Set<string> {
  const prefixes = new Set<string>()
  const route = /\bapp\.(?:get|post|put|patch|delete|all|route|use)\(\s*'(\/[^/':*]*)/g
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) visit(path)
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        for (const m of readFileSync(path, 'utf8').matchAll(route)) prefixes.add(m[1]!)
      }
    }
  }
  // Not core's HTTP app: platform/ (the metrics server, on another port) and
  // edge-host/ (the edge on Node).
  for (const entry of readdirSync(join(REPO_ROOT, 'core'), { withFileTypes: true })) {
    if (entry.isDirectory() && !['platform', 'edge-host'].includes(entry.name)) {
      visit(join(REPO_ROOT, 'core', entry.name))
    }
  }
  prefixes.delete('/*')
  prefixes.delete('/')
  return prefixes
}

function render(args: readonly string[]): Manifest[] {
  const result = helmTemplate(helm!, args)
  if (!result.ok) throw new Error(`helm template ${args.join(' ')} failed:\n${result.error}`)
  return result.manifests
}

const one = <T>(manifests: Manifest[], kind: string, name: string): T => {
  const matches = manifests.filter((m) => m.kind === kind && m.metadata.name === name)
  expect(matches, `${kind} ${name}`).toHaveLength(1)
  return matches[0] as unknown as T
}

describe.skipIf(!helm)('the chart Ingress and S3 image storage', () => {
  let manifests: Manifest[]
  beforeAll(() => {
    manifests = render(['-f', S3_INGRESS_VALUES])
  }, 60_000)

  test('no Ingress by default', () => {
    expect(render([]).filter((m) => m.kind === 'Ingress')).toEqual([])
  })

  test('an enabled Ingress without a host is refused', () => {
    const result = helmTemplate(helm!, ['--set', 'ingress.enabled=true'])
    expect(result.ok).toBe(false)
    expect(!result.ok && result.error).toContain('ingress.host')
  })

  test('the Ingress is valid, TLS for its host, and routes to core’s http port', () => {
    const ingress = one<IIngress>(manifests, 'Ingress', CORE)
    expect(() => new Ingress(ingress).validate()).not.toThrow()
    expect(createKnownKeysChecker().unknownKeys(ingress as unknown as Manifest)).toEqual([])
    expect(ingress.spec?.ingressClassName).toBe('nginx')
    expect(ingress.spec?.tls).toEqual([{ hosts: ['core.example.com'], secretName: `${CORE}-tls` }])
    expect(ingress.spec?.rules?.map((r) => r.host)).toEqual(['core.example.com'])
    const service = one<IService>(manifests, 'Service', CORE)
    const backends = ingress.spec!.rules![0]!.http!.paths.map((p) => p.backend.service)
    for (const backend of backends) expect(backend).toEqual({ name: CORE, port: { name: 'http' } })
    expect(service.spec?.ports?.map((p) => p.name)).toContain('http')
  })

  test('it routes exactly core’s public route prefixes, never /admin or /metrics', () => {
    const ingress = one<IIngress>(manifests, 'Ingress', CORE)
    const paths = ingress.spec!.rules![0]!.http!.paths
    for (const p of paths) expect(p.pathType).toBe('Prefix')
    const routed = paths.map((p) => p.path!)
    const core = coreRoutePrefixes()
    // The scan sees the private families, so leaving them out below is a real check.
    for (const prefix of PRIVATE) expect(core).toContain(prefix)
    expect(new Set(routed)).toEqual(new Set([...core].filter((p) => !PRIVATE.includes(p))))
    for (const p of routed) expect(p).not.toMatch(/^\/(admin|metrics)/)
  })

  test('core trusts the one proxy in front of it (TRUST_PROXY)', () => {
    expect(one<IConfigMap>(manifests, 'ConfigMap', CORE).data?.TRUST_PROXY).toBe('1')
    expect(one<IConfigMap>(render([]), 'ConfigMap', CORE).data?.TRUST_PROXY).toBeUndefined()
  })

  test('with a bucket, core and the gpu-worker get MOCKUP_STORAGE_* and no shared volume', () => {
    for (const component of ['core', 'gpu-worker']) {
      const name = `mockup-mockup-platform-${component}`
      const d = one<IDeployment>(manifests, 'Deployment', name)
      const pod = d.spec!.template.spec!
      expect(pod.volumes?.map((v) => v.name)).not.toContain('mockups')
      const container = pod.containers[0]!
      expect(container.volumeMounts?.map((m) => m.name)).not.toContain('mockups')
      expect(one<IConfigMap>(manifests, 'ConfigMap', name).data).toMatchObject({
        MOCKUP_STORAGE_URL: 's3://mockup-images/prod',
        MOCKUP_STORAGE_ENDPOINT: 'https://0123456789abcdef.r2.cloudflarestorage.com',
        MOCKUP_STORAGE_REGION: 'auto',
        MOCKUP_PUBLIC_BASE_URL: 'https://cdn.example.com',
        MOCKUP_URL_TTL_SECONDS: '3600',
      })
      expect(one<IConfigMap>(manifests, 'ConfigMap', name).data?.MOCKUP_STORAGE_DIR).toBeUndefined()
      for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) {
        expect(container.env?.find((e) => e.name === key)?.valueFrom?.secretKeyRef).toEqual({
          name: 'mockup-mockup-platform',
          key,
          optional: true,
        })
      }
    }
  })

  test('core reads EDGE_SERVICE_KEY from the Secret', () => {
    const core = one<IDeployment>(manifests, 'Deployment', CORE).spec!.template.spec!.containers[0]!
    expect(core.env?.find((e) => e.name === 'EDGE_SERVICE_KEY')?.valueFrom?.secretKeyRef).toEqual({
      name: 'mockup-mockup-platform',
      key: 'EDGE_SERVICE_KEY',
      optional: true,
    })
  })
})
