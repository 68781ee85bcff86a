/**
 * The Helm chart, rendered by the real helm (deploy/check.sh's cache) with the
 * default values, the every-option values and the production example:
 * every object validates against its kubernetes-models schema and has no key
 * its interface lacks; the resources line up (selectors, ports, names); and
 * the behaviour issue #11 asks for is there (autoscaling, probes, GPU,
 * secrets). Skips, saying why, when the tools cannot be fetched.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject'
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject'
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor'
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor'
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment'
import { Deployment } from 'kubernetes-models/apps/v1/Deployment'
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler'
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler'
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy'
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy'
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget'
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget'
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap'
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap'
import type { IContainer } from 'kubernetes-models/v1/Container'
import type { ISecret } from 'kubernetes-models/v1/Secret'
import { Secret } from 'kubernetes-models/v1/Secret'
import type { IService } from 'kubernetes-models/v1/Service'
import { Service } from 'kubernetes-models/v1/Service'
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount'
import { beforeAll, describe, expect, test } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { configSchema } from '../../core/platform/config/schema.ts'
import {
  ALL_OPTIONS_VALUES,
  CHART_DIR,
  deployTools,
  helmTemplate,
  type Manifest,
  PRODUCTION_VALUES,
  REPO_ROOT,
  type RenderResult,
} from '../../scripts/deploy/helm.ts'
import { createKnownKeysChecker, type KnownKeysChecker } from './support/known-keys.ts'
import { histogramSeries, metricNames, readDesignMetrics } from './support/promql.ts'

const found = deployTools()
const helm = 'tools' in found ? found.tools.helm : undefined
if ('skip' in found) console.warn(`tests/deploy/chart.test.ts skipped: ${found.skip}`)
const design = readDesignMetrics(REPO_ROOT)
if ('skip' in design) console.warn(`DESIGN.md metric check skipped: ${design.skip}`)

/** Model classes by `apiVersion/kind`: their validate() checks the JSON schema. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
}

/** Ports each service listens on by default (core/main.ts, core/edge-host/main.ts, the issue). */
const DEFAULT_PORTS: Record<string, { http?: number; metrics: number; script: string }> = {
  core: { http: 3000, metrics: 9464, script: 'core' },
  'signal-ingestion': { metrics: 9466, script: 'worker:ingest' },
  'gpu-worker': { metrics: 9467, script: 'worker:gpu' },
  edge: { http: 8787, metrics: 9465, script: 'edge' },
}
const PREFIX = 'mockup-mockup-platform'
const PACKAGE = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>
}
const npmScript = (name: string) => PACKAGE.scripts[name]?.split(' ')
const DRAIN_SECONDS = 25 // core/platform/service.ts shutdownTimeoutMs
const BACKLOG_QUERY =
  'sum(max by (queue, state) (bullmq_queue_length{namespace="mockup", queue="signal-ingestion", state=~"wait|prioritized|delayed"}))'

function render(args: readonly string[] = []): Manifest[] {
  const result = helmTemplate(helm!, args)
  if (!result.ok) throw new Error(`helm template ${args.join(' ')} failed:\n${result.error}`)
  return result.manifests
}

function all<T>(manifests: Manifest[], kind: string): T[] {
  return manifests.filter((m) => m.kind === kind) as unknown as T[]
}

function one<T>(manifests: Manifest[], kind: string, name: string): T {
  const matches = manifests.filter((m) => m.kind === kind && m.metadata.name === name)
  expect(matches, `${kind} ${name}`).toHaveLength(1)
  return matches[0] as unknown as T
}

function container(deployment: IDeployment): IContainer {
  const containers = deployment.spec?.template.spec?.containers ?? []
  expect(containers).toHaveLength(1)
  return containers[0]!
}

const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v)

describe.skipIf(!helm)('helm chart mockup-platform', () => {
  let keys: KnownKeysChecker
  const renders: Record<string, Manifest[]> = {}

  beforeAll(() => {
    keys = createKnownKeysChecker()
    renders.defaults = render()
    renders.allOptions = render(['-f', ALL_OPTIONS_VALUES])
    renders.production = render(['-f', PRODUCTION_VALUES])
  }, 60_000)

  test('every rendered object passes its kubernetes-models schema and has no unknown key', () => {
    for (const [name, manifests] of Object.entries(renders)) {
      expect(manifests.length, name).toBeGreaterThan(10)
      for (const manifest of manifests) {
        const kind = `${manifest.apiVersion}/${manifest.kind}`
        const where = `${name}: ${kind} ${manifest.metadata.name}`
        const Model = MODELS[kind]
        expect(Model, `${where}: a kind the test does not know`).toBeDefined()
        expect(() => new Model!(manifest as never).validate(), where).not.toThrow()
        expect(keys.unknownKeys(manifest), where).toEqual([])
      }
    }
  })

  test('the unknown-key check finds a misspelt field that validate() lets through', () => {
    const deployment = structuredClone(
      one<IDeployment>(renders.defaults!, 'Deployment', `${PREFIX}-core`),
    )
    const bad = container(deployment) as IContainer & { imagePullPolcy?: string }
    bad.imagePullPolcy = 'Always'
    expect(() => new Deployment(deployment).validate()).not.toThrow()
    expect(keys.unknownKeys(deployment as unknown as Manifest)).toEqual([
      'spec.template.spec.containers[0].imagePullPolcy',
    ])
  })

  test('selectors, ports and names line up', () => {
    for (const [name, manifests] of Object.entries(renders)) {
      const deployments = all<IDeployment>(manifests, 'Deployment')
      const podLabels = deployments.map((d) => d.spec?.template.metadata?.labels ?? {})
      for (const d of deployments) {
        expect(
          matches(d.spec!.selector.matchLabels!, d.spec!.template.metadata!.labels),
          `${name}: ${d.metadata?.name} selects its own pods`,
        ).toBe(true)
        const c = container(d)
        const cmRefs = (c.envFrom ?? []).map((e) => e.configMapRef?.name)
        for (const ref of cmRefs) one<IConfigMap>(manifests, 'ConfigMap', ref!)
      }
      for (const svc of all<IService>(manifests, 'Service')) {
        const selected = deployments.filter((d) =>
          matches(svc.spec!.selector!, d.spec?.template.metadata?.labels),
        )
        expect(
          selected,
          `${name}: Service ${svc.metadata?.name} selects one Deployment`,
        ).toHaveLength(1)
        const portNames = (container(selected[0]!).ports ?? []).map((p) => p.name)
        for (const port of svc.spec!.ports!) expect(portNames).toContain(port.targetPort)
        expect(svc.spec!.ports!.map((p) => p.name)).toContain('metrics')
      }
      for (const d of deployments) {
        // The API server refuses a volume with two sources; the models do not.
        for (const volume of d.spec?.template.spec?.volumes ?? []) {
          const { name: volumeName, ...source } = volume
          expect(Object.keys(source), `${name}: volume ${volumeName}`).toHaveLength(1)
        }
      }
      for (const pdb of all<IPodDisruptionBudget>(manifests, 'PodDisruptionBudget')) {
        const selector = pdb.spec!.selector!.matchLabels!
        expect(podLabels.filter((labels) => matches(selector, labels))).toHaveLength(1)
      }
      // One NetworkPolicy per Deployment, whose ports are ports its pods listen on.
      const policies = all<INetworkPolicy>(manifests, 'NetworkPolicy')
      expect(policies, `${name}: NetworkPolicies`).toHaveLength(deployments.length)
      for (const policy of policies) {
        const selected = deployments.filter((d) =>
          matches(policy.spec!.podSelector.matchLabels!, d.spec?.template.metadata?.labels),
        )
        expect(selected, `${name}: NetworkPolicy ${policy.metadata?.name}`).toHaveLength(1)
        const ports = (container(selected[0]!).ports ?? []).map((p) => p.containerPort)
        for (const rule of policy.spec!.ingress ?? []) {
          for (const port of rule.ports ?? []) expect(ports).toContain(port.port)
        }
      }
      const [monitor] = all<IServiceMonitor>(manifests, 'ServiceMonitor')
      const services = all<IService>(manifests, 'Service')
      expect(
        services.every((s) => matches(monitor!.spec.selector.matchLabels!, s.metadata?.labels)),
        `${name}: the ServiceMonitor selects every Service`,
      ).toBe(true)
      expect(monitor!.spec.namespaceSelector?.matchNames).toEqual(['mockup'])
      expect(monitor!.spec.endpoints).toEqual([
        expect.objectContaining({ port: 'metrics', path: '/metrics', honorLabels: true }),
      ])
      expect(monitor!.spec.jobLabel).toBe('app.kubernetes.io/component')
      const targets = [
        ...all<IHorizontalPodAutoscaler>(manifests, 'HorizontalPodAutoscaler').map(
          (h) => h.spec!.scaleTargetRef.name,
        ),
        ...all<IScaledObject>(manifests, 'ScaledObject').map((s) => s.spec.scaleTargetRef.name),
      ]
      for (const target of targets) one<IDeployment>(manifests, 'Deployment', target)
    }
  })

  test('each service runs its npm script command with its default ports, probes and shutdown grace', () => {
    const manifests = renders.defaults!
    const names = all<IDeployment>(manifests, 'Deployment').map((d) => d.metadata?.name)
    expect(names.sort()).toEqual(
      [`${PREFIX}-core`, `${PREFIX}-gpu-worker`, `${PREFIX}-signal-ingestion`].sort(),
    )
    const withEdge = render(['--set', 'edge.enabled=true'])
    for (const [component, want] of Object.entries(DEFAULT_PORTS)) {
      const d = one<IDeployment>(withEdge, 'Deployment', `${PREFIX}-${component}`)
      const c = container(d)
      expect(c.name).toBe(component)
      // The npm script's own command, without npm in between (see values.yaml).
      expect(c.command).toEqual(npmScript(want.script))
      const ports = Object.fromEntries((c.ports ?? []).map((p) => [p.name, p.containerPort]))
      expect(ports).toEqual(
        want.http ? { http: want.http, metrics: want.metrics } : { metrics: want.metrics },
      )
      const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]))
      expect(env.METRICS_PORT).toBe(String(want.metrics))
      expect(env.PORT).toBe(want.http ? String(want.http) : undefined)
      expect(c.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'metrics' })
      expect(c.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'metrics' })
      const preStop = Number(c.lifecycle?.preStop?.exec?.command?.[1] ?? 0)
      const grace = d.spec!.template.spec!.terminationGracePeriodSeconds!
      expect(grace).toBeGreaterThanOrEqual(preStop + DRAIN_SECONDS + 1)
      expect(grace).toBeLessThanOrEqual(preStop + DRAIN_SECONDS + 10)
      const svc = one<IService>(withEdge, 'Service', `${PREFIX}-${component}`)
      expect(svc.spec!.ports!.find((p) => p.name === 'metrics')?.port).toBe(want.metrics)
    }
    const edgeConfig = one<IConfigMap>(withEdge, 'ConfigMap', `${PREFIX}-edge`)
    expect(edgeConfig.data?.CORE_URL).toBe(`http://${PREFIX}-core:3000`)
  })

  test('core and gpu-worker scale 2 to 5 on cpu and memory with an HPA', () => {
    for (const manifests of [renders.defaults!, renders.production!]) {
      const hpas = all<IHorizontalPodAutoscaler>(manifests, 'HorizontalPodAutoscaler')
      expect(hpas.map((h) => h.spec!.scaleTargetRef.name).sort()).toEqual([
        `${PREFIX}-core`,
        `${PREFIX}-gpu-worker`,
      ])
      for (const hpa of hpas) {
        expect(hpa.spec).toMatchObject({
          minReplicas: 2,
          maxReplicas: 5,
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment' },
        })
        const resources = hpa.spec!.metrics!.map((m) => [
          m.type,
          m.resource?.name,
          m.resource?.target.type,
        ])
        expect(resources).toEqual([
          ['Resource', 'cpu', 'Utilization'],
          ['Resource', 'memory', 'Utilization'],
        ])
        // The autoscaler owns the replica count: an upgrade must not reset it.
        const d = one<IDeployment>(manifests, 'Deployment', hpa.spec!.scaleTargetRef.name)
        expect(d.spec?.replicas).toBeUndefined()
        const requests = container(d).resources?.requests ?? {}
        expect(Object.keys(requests)).toEqual(expect.arrayContaining(['cpu', 'memory']))
      }
    }
  })

  test('signal-ingestion scales through KEDA on cpu, memory and the de-duplicated backlog, without an HPA of ours', () => {
    const manifests = renders.defaults!
    const name = `${PREFIX}-signal-ingestion`
    const hpaTargets = all<IHorizontalPodAutoscaler>(manifests, 'HorizontalPodAutoscaler').map(
      (h) => h.spec!.scaleTargetRef.name,
    )
    expect(hpaTargets).not.toContain(name)
    const so = one<IScaledObject>(manifests, 'ScaledObject', name)
    expect(so.spec).toMatchObject({
      scaleTargetRef: { name },
      minReplicaCount: 2,
      maxReplicaCount: 5,
    })
    const [cpu, memory, backlog, ...rest] = so.spec.triggers
    expect(rest).toEqual([])
    expect(cpu).toMatchObject({ type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } })
    expect(memory).toMatchObject({
      type: 'memory',
      metricType: 'Utilization',
      metadata: { value: '80' },
    })
    expect(backlog).toMatchObject({ type: 'prometheus', metricType: 'AverageValue' })
    expect(backlog!.metadata).toEqual({
      serverAddress: 'http://prometheus-operated.monitoring.svc:9090',
      query: BACKLOG_QUERY,
      threshold: '30',
    })
    expect(one<IDeployment>(manifests, 'Deployment', name).spec?.replicas).toBeUndefined()

    // The desired backlog per replica is a value; the namespace scope can go.
    const tuned = render(['-f', ALL_OPTIONS_VALUES])
    const tunedSo = one<IScaledObject>(tuned, 'ScaledObject', 'mockup-mockups-signal-ingestion')
    expect(tunedSo.spec.triggers[2]!.metadata).toMatchObject({
      threshold: '50',
      query:
        'sum(max by (queue, state) (bullmq_queue_length{queue="signal-ingestion", state=~"wait|prioritized|delayed"}))',
    })

    // Autoscaling off: a fixed replica count, and nothing scales it.
    const fixed = render(['--set', 'signalIngestion.autoscaling.enabled=false'])
    expect(all(fixed, 'ScaledObject')).toEqual([])
    expect(one<IDeployment>(fixed, 'Deployment', name).spec?.replicas).toBe(2)
  })

  test('the gpu-worker asks for a GPU, lands on GPU nodes and reads the model from a volume', () => {
    const manifests = renders.defaults!
    const d = one<IDeployment>(manifests, 'Deployment', `${PREFIX}-gpu-worker`)
    const c = container(d)
    expect(c.resources?.limits?.['nvidia.com/gpu']).toBe(1)
    expect(c.resources?.requests?.['nvidia.com/gpu']).toBe(1)
    const pod = d.spec!.template.spec!
    expect(pod.nodeSelector).toEqual({ 'nvidia.com/gpu.present': 'true' })
    expect(pod.tolerations).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
    ])
    expect(d.spec?.strategy?.rollingUpdate).toEqual({ maxSurge: 0, maxUnavailable: 1 })
    const config = one<IConfigMap>(manifests, 'ConfigMap', `${PREFIX}-gpu-worker`).data ?? {}
    expect(config).toMatchObject({
      GPU_SLOTS: '1',
      EXECUTION_PROVIDERS: 'cuda,cpu',
      MODEL_DIR: '/models/stable-diffusion-v1-5',
    })
    expect(c.volumeMounts).toContainEqual({ name: 'model', mountPath: '/models', readOnly: true })
    expect(pod.volumes).toContainEqual({
      name: 'model',
      persistentVolumeClaim: { claimName: 'sd-models', readOnly: true },
    })
    // No core or worker pod other than this one asks for a GPU.
    for (const other of all<IDeployment>(manifests, 'Deployment')) {
      if (other === d) continue
      expect(JSON.stringify(other)).not.toContain('nvidia.com/gpu')
    }
    // Another volume source replaces the claim rather than joining it.
    const hostPath = render(['--set-json', 'gpuWorker.model.volume={"hostPath":{"path":"/m"}}'])
    const hostPod = one<IDeployment>(hostPath, 'Deployment', `${PREFIX}-gpu-worker`).spec!.template
      .spec!
    expect(hostPod.volumes).toContainEqual({ name: 'model', hostPath: { path: '/m' } })
    // No model volume: MODEL_DIR unset (the tiny generated set), nothing mounted.
    const bare = render(['--set', 'gpuWorker.model.claimName='])
    expect(
      one<IConfigMap>(bare, 'ConfigMap', `${PREFIX}-gpu-worker`).data?.MODEL_DIR,
    ).toBeUndefined()
    const bareContainer = container(one<IDeployment>(bare, 'Deployment', `${PREFIX}-gpu-worker`))
    expect(bareContainer.volumeMounts?.map((m) => m.name)).toEqual(['data', 'tmp', 'mockups'])
  })

  test('secrets reach the pods only through secretKeyRef, from an existing Secret or the chart-made one', () => {
    for (const [name, manifests, secretName] of [
      ['defaults', renders.defaults!, PREFIX],
      ['allOptions', renders.allOptions!, 'mockup-platform-env'],
    ] as const) {
      for (const d of all<IDeployment>(manifests, 'Deployment')) {
        const env = container(d).env ?? []
        for (const variable of ['DATABASE_URL', 'REDIS_URL']) {
          const entry = env.find((e) => e.name === variable)
          expect(entry?.value, `${name}: ${variable} is never a plain value`).toBeUndefined()
          expect(entry?.valueFrom?.secretKeyRef).toEqual({ name: secretName, key: variable })
        }
      }
    }
    expect(all(renders.defaults!, 'Secret')).toEqual([])
    const secret = one<ISecret>(renders.allOptions!, 'Secret', 'mockup-platform-env')
    const values = parseYaml(readFileSync(ALL_OPTIONS_VALUES, 'utf8')) as {
      secrets: { data: Record<string, string> }
    }
    expect(secret.stringData).toEqual(values.secrets.data)
    // No secret value leaks into a ConfigMap, an env value or an annotation.
    const elsewhere = JSON.stringify(renders.allOptions!.filter((m) => m.kind !== 'Secret'))
    for (const value of Object.values(values.secrets.data)) expect(elsewhere).not.toContain(value)
    // Optional keys are optional: a Secret without API_KEYS still starts core.
    const core = container(one<IDeployment>(renders.defaults!, 'Deployment', `${PREFIX}-core`))
    expect(core.env?.find((e) => e.name === 'API_KEYS')?.valueFrom?.secretKeyRef?.optional).toBe(
      true,
    )
  })

  test('core and the gpu-worker share one volume for mock-up images, and MOCKUP_STORAGE_DIR is on it', () => {
    for (const [manifests, mountPath, source] of [
      [
        renders.defaults!,
        '/srv/mockups',
        { persistentVolumeClaim: { claimName: 'mockup-images' } },
      ],
      [
        renders.allOptions!,
        '/srv/mockup-images',
        { nfs: { server: 'nfs.example.internal', path: '/exports/mockups' } },
      ],
    ] as const) {
      // The every-option values rename the release: find components by suffix.
      const named = <T>(kind: string, component: string) =>
        manifests.find((m) => m.kind === kind && m.metadata.name.endsWith(`-${component}`)) as T
      for (const component of ['core', 'gpu-worker']) {
        const d = named<IDeployment>('Deployment', component)
        // Core only serves the images: it mounts them read-only.
        const mount = component === 'core' ? { readOnly: true } : {}
        expect(container(d).volumeMounts).toContainEqual({ name: 'mockups', mountPath, ...mount })
        expect(d.spec!.template.spec!.volumes).toContainEqual({ name: 'mockups', ...source })
        expect(named<IConfigMap>('ConfigMap', component).data?.MOCKUP_STORAGE_DIR).toBe(mountPath)
      }
      for (const component of ['edge', 'signal-ingestion']) {
        const d = named<IDeployment | undefined>('Deployment', component)
        const volumes = d?.spec?.template.spec?.volumes?.map((v) => v.name) ?? []
        expect(volumes).not.toContain('mockups')
      }
    }
    // No shared volume: nothing mounted, and the services keep their default directory.
    const bare = render(['--set', 'mockupStorage.claimName='])
    for (const component of ['core', 'gpu-worker']) {
      const d = one<IDeployment>(bare, 'Deployment', `${PREFIX}-${component}`)
      expect(container(d).volumeMounts?.map((m) => m.name)).not.toContain('mockups')
      expect(
        one<IConfigMap>(bare, 'ConfigMap', `${PREFIX}-${component}`).data?.MOCKUP_STORAGE_DIR,
      ).toBeUndefined()
    }
  })

  test('pods run as non-root on a read-only root filesystem, writing only to emptyDirs and (the gpu-worker) the image volume', () => {
    for (const d of all<IDeployment>(renders.defaults!, 'Deployment')) {
      const pod = d.spec!.template.spec!
      expect(pod.securityContext?.runAsNonRoot).toBe(true)
      expect(pod.automountServiceAccountToken).toBe(false)
      const writesImages = d.metadata?.name === `${PREFIX}-gpu-worker`
      for (const c of [...(pod.initContainers ?? []), container(d)]) {
        expect(c.securityContext).toMatchObject({
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        })
        expect(c.workingDir).toBe('/app')
        const writable = (c.volumeMounts ?? []).filter((m) => !m.readOnly).map((m) => m.mountPath)
        const images = writesImages && c.name !== 'migrate' ? ['/srv/mockups'] : []
        expect(writable, `${d.metadata?.name} ${c.name}`).toEqual(['/app/.data', '/tmp', ...images])
      }
      for (const name of ['data', 'tmp']) {
        expect(pod.volumes?.find((v) => v.name === name)?.emptyDir).toBeDefined()
      }
    }
  })

  test('the ConfigMaps and the values schema name only variables the services read', () => {
    const known = new Set(Object.keys(configSchema.shape))
    for (const manifests of Object.values(renders)) {
      for (const cm of all<IConfigMap>(manifests, 'ConfigMap')) {
        for (const key of Object.keys(cm.data ?? {}))
          expect(known, `${cm.metadata?.name}: ${key}`).toContain(key)
      }
    }
    const schema = JSON.parse(readFileSync(join(CHART_DIR, 'values.schema.json'), 'utf8')) as {
      definitions: { config: { properties: Record<string, unknown> } }
      properties: { secrets: { properties: { data: { properties: Record<string, unknown> } } } }
    }
    for (const key of Object.keys(schema.definitions.config.properties))
      expect(known).toContain(key)
    for (const key of Object.keys(schema.properties.secrets.properties.data.properties)) {
      expect(known).toContain(key)
    }
  })

  test('core migrates the database in an initContainer that shares its image, config, secret and mounts', () => {
    const d = one<IDeployment>(renders.defaults!, 'Deployment', `${PREFIX}-core`)
    const pod = d.spec!.template.spec!
    const main = container(d)
    expect(pod.initContainers?.map((c) => c.name)).toEqual(['migrate'])
    const migrate = pod.initContainers![0]!
    expect(migrate.command).toEqual(npmScript('migrate'))
    for (const field of [
      'image',
      'imagePullPolicy',
      'workingDir',
      'envFrom',
      'securityContext',
      'resources',
    ] as const) {
      expect(migrate[field], field).toEqual(main[field])
    }
    expect(migrate.volumeMounts).toEqual(
      main.volumeMounts?.filter((m) => m.name === 'data' || m.name === 'tmp'),
    )
    // The main container's env less its ports and the Secret keys migrations do not need.
    const env = Object.fromEntries((migrate.env ?? []).map((e) => [e.name, e]))
    expect(Object.keys(env)).toEqual([
      'HOME',
      'NPM_CONFIG_CACHE',
      'NPM_CONFIG_UPDATE_NOTIFIER',
      'DATABASE_URL',
    ])
    for (const entry of Object.values(env)) expect(main.env).toContainEqual(entry)
    expect(env.DATABASE_URL?.valueFrom?.secretKeyRef).toEqual({ name: PREFIX, key: 'DATABASE_URL' })
    // Only core migrates.
    for (const other of all<IDeployment>(renders.allOptions!, 'Deployment')) {
      const initContainers = other.spec!.template.spec!.initContainers?.map((c) => c.name)
      const isCore = other.metadata?.name?.endsWith('-core')
      expect(initContainers, other.metadata?.name).toEqual(isCore ? ['migrate'] : undefined)
    }
    // The command and the component's extra env follow the values; it can be turned off.
    const tuned = one<IDeployment>(renders.allOptions!, 'Deployment', 'mockup-mockups-core')
    const tunedMigrate = tuned.spec!.template.spec!.initContainers![0]!
    expect(tunedMigrate.command).toEqual(['npm', 'run', 'migrate', '--silent'])
    expect(tunedMigrate.workingDir).toBe('/srv/app')
    expect(tunedMigrate.env).toContainEqual({ name: 'UV_THREADPOOL_SIZE', value: '8' })
    const off = render(['--set', 'core.migrate.enabled=false'])
    expect(
      one<IDeployment>(off, 'Deployment', `${PREFIX}-core`).spec!.template.spec!.initContainers,
    ).toBeUndefined()
  })

  test('NetworkPolicies open metrics ports to the monitoring namespace and core to the edge and the ingress controller only', () => {
    const monitoring = { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }
    const ingress = { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }
    const edgePods = {
      podSelector: {
        matchLabels: {
          'app.kubernetes.io/name': 'mockup-platform',
          'app.kubernetes.io/instance': 'mockup',
          'app.kubernetes.io/component': 'edge',
        },
      },
    }
    const metricsRule = (port: number) => ({
      from: [{ namespaceSelector: monitoring }],
      ports: [{ port, protocol: 'TCP' }],
    })
    const policy = (manifests: Manifest[], component: string) =>
      one<INetworkPolicy>(manifests, 'NetworkPolicy', `${PREFIX}-${component}`).spec!
    const withEdge = render(['--set', 'edge.enabled=true'])
    for (const manifests of [renders.defaults!, withEdge]) {
      for (const component of ['signal-ingestion', 'gpu-worker']) {
        expect(policy(manifests, component)).toMatchObject({ policyTypes: ['Ingress'] })
        expect(policy(manifests, component).ingress).toEqual([
          metricsRule(DEFAULT_PORTS[component]!.metrics),
        ])
      }
    }
    // Edge off: core's HTTP port from the ingress controller's namespace only.
    expect(policy(renders.defaults!, 'core').ingress).toEqual([
      metricsRule(9464),
      { from: [{ namespaceSelector: ingress }], ports: [{ port: 3000, protocol: 'TCP' }] },
    ])
    // Edge on: from this release's edge pods too; the edge's own HTTP port is public.
    expect(policy(withEdge, 'core').ingress).toEqual([
      metricsRule(9464),
      {
        from: [edgePods, { namespaceSelector: ingress }],
        ports: [{ port: 3000, protocol: 'TCP' }],
      },
    ])
    const edgeLabels = one<IDeployment>(withEdge, 'Deployment', `${PREFIX}-edge`).spec!.template
      .metadata!.labels
    expect(matches(edgePods.podSelector.matchLabels, edgeLabels)).toBe(true)
    expect(policy(withEdge, 'edge').ingress).toEqual([
      metricsRule(9465),
      { ports: [{ port: 8787, protocol: 'TCP' }] },
    ])
    // The selectors are values; a nulled default label leaves no empty matchLabels behind.
    const tuned = one<INetworkPolicy>(renders.allOptions!, 'NetworkPolicy', 'mockup-mockups-core')
    expect(tuned.spec!.ingress![0]!.from).toEqual([
      {
        namespaceSelector: {
          matchExpressions: [
            {
              key: 'kubernetes.io/metadata.name',
              operator: 'In',
              values: ['monitoring', 'observability'],
            },
          ],
        },
      },
    ])
    expect(tuned.spec!.ingress![1]!.from![1]).toEqual({
      namespaceSelector: { matchLabels: { 'ingress.example.com/controller': 'true' } },
    })
    expect(all(render(['--set', 'networkPolicy.enabled=false']), 'NetworkPolicy')).toEqual([])
  })

  test('the gpu-worker requires its GPU and leaves GPU_DEVICE to the worker; the edge settings reach the ConfigMaps', () => {
    const gpuConfig = one<IConfigMap>(renders.defaults!, 'ConfigMap', `${PREFIX}-gpu-worker`).data
    expect(gpuConfig?.REQUIRE_GPU).toBe('true')
    for (const manifests of Object.values(renders)) {
      for (const m of manifests) expect(JSON.stringify(m)).not.toContain('GPU_DEVICE')
    }
    const tuned = all<IConfigMap>(renders.allOptions!, 'ConfigMap')
    for (const cm of tuned) {
      expect(cm.data).toMatchObject({
        RATE_LIMIT_PER_MINUTE: '1200',
        CORS_ORIGINS: 'https://console.example.com, http://localhost:5173',
      })
    }
    expect(
      tuned.find((cm) => cm.metadata?.name === 'mockup-mockups-gpu-worker')?.data,
    ).toMatchObject({ REQUIRE_GPU: 'false' })
  })

  test.skipIf('skip' in design)('the KEDA query names metrics from DESIGN.md', () => {
    if ('skip' in design) return
    const allowed = new Set([...design.names].flatMap(histogramSeries))
    expect(metricNames(BACKLOG_QUERY)).toEqual(['bullmq_queue_length'])
    for (const name of metricNames(BACKLOG_QUERY)) expect(allowed).toContain(name)
  })

  test.each([
    [
      'a misspelt key',
      ['--set', 'core.replica=3'],
      'core: Additional property replica is not allowed',
    ],
    [
      'a misspelt variable',
      ['--set', 'config.DB_POOL_SZE=5'],
      'config: Additional property DB_POOL_SZE is not allowed',
    ],
    [
      'a threshold of the wrong type',
      ['--set', 'signalIngestion.autoscaling.queue.targetBacklogPerReplica=thirty'],
      'targetBacklogPerReplica: Invalid type. Expected: integer, given: string',
    ],
    [
      'a pool size out of range',
      ['--set', 'config.DB_POOL_SIZE=0'],
      'DB_POOL_SIZE: Must be greater than or equal to 1',
    ],
    [
      'a secret in the ConfigMap',
      ['--set', 'config.DATABASE_URL=postgres://x@y/z'],
      'Additional property DATABASE_URL is not allowed',
    ],
    [
      'a chart-made Secret without DATABASE_URL',
      ['--set', 'secrets.create=true', '--set', 'secrets.data.REDIS_URL=redis://r:6379'],
      'DATABASE_URL is required',
    ],
    [
      'a negative rate limit',
      ['--set', 'config.RATE_LIMIT_PER_MINUTE=-1'],
      'RATE_LIMIT_PER_MINUTE: Must be greater than or equal to 0',
    ],
    [
      'a CORS origin with a path',
      ['--set', 'config.CORS_ORIGINS=https://console.example.com/app'],
      'CORS_ORIGINS: Does not match pattern',
    ],
    [
      'a CORS wildcard',
      ['--set-string', 'core.config.CORS_ORIGINS=*'],
      'CORS_ORIGINS: Does not match pattern',
    ],
    [
      'a REQUIRE_GPU other than true or false',
      ['--set-string', 'gpuWorker.config.REQUIRE_GPU=yes'],
      'REQUIRE_GPU: Must validate at least one schema',
    ],
    [
      'GPU_DEVICE in the ConfigMap',
      ['--set', 'gpuWorker.config.GPU_DEVICE=0'],
      'Additional property GPU_DEVICE is not allowed',
    ],
    [
      'an empty namespace selector (every namespace)',
      ['--set-json', 'networkPolicy.ingressNamespaceSelector={"matchLabels":null}'],
      'networkPolicy.ingressNamespaceSelector: Must validate at least one schema',
    ],
    [
      'minReplicas above maxReplicas',
      ['--set', 'gpuWorker.autoscaling.minReplicas=6'],
      'gpuWorker.autoscaling: minReplicas (6) is above maxReplicas (5)',
    ],
  ])('the chart refuses %s', (_, args, message) => {
    const result: RenderResult = helmTemplate(helm!, args)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error).toContain(message)
  })
})
