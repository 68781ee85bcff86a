/**
 * @module
 * What a kubelet would run, read from the rendered chart: each Deployment's
 * pods as containers with their command, working directory, environment (the
 * ConfigMaps and Secrets resolved as the kubelet resolves them, refusing a
 * missing required key as it would), user, read-only root, volumes, ports,
 * probes, preStop hook and grace period. Pure: the rehearsal turns a plan
 * into podman commands (podman-args.ts).
 */
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment'
import type { IContainer } from 'kubernetes-models/v1/Container'
import type { IProbe } from 'kubernetes-models/v1/Probe'
import type { IVolume } from 'kubernetes-models/v1/Volume'
import type { Manifest } from '../deploy/helm.ts'

/** An httpGet probe with its port resolved to a number. */
export interface ProbePlan {
  path: string
  port: number
  initialDelaySeconds: number
  periodSeconds: number
  timeoutSeconds: number
  failureThreshold: number
}

/** A mount: an emptyDir (writable, private to the pod) or a volume shared between pods. */
export interface MountPlan {
  volume: string
  path: string
  readOnly: boolean
  kind: 'emptyDir' | 'shared'
}

/** One container of a pod, ready to run. */
export interface ContainerPlan {
  name: string
  image: string
  /** command followed by args. */
  argv: string[]
  workingDir: string | undefined
  env: Record<string, string>
  runAsUser: number | undefined
  runAsGroup: number | undefined
  fsGroup: number | undefined
  readOnlyRootFilesystem: boolean
  dropAllCapabilities: boolean
  noNewPrivileges: boolean
  mounts: MountPlan[]
  /** Port name → containerPort. */
  ports: Record<string, number>
  liveness: ProbePlan | undefined
  readiness: ProbePlan | undefined
  preStop: string[] | undefined
}

/** One Deployment: its init containers, then its containers, `replicas` times. */
export interface WorkloadPlan {
  name: string
  component: string
  replicas: number
  terminationGracePeriodSeconds: number
  initContainers: ContainerPlan[]
  containers: ContainerPlan[]
}

type Data = Record<string, string>

/** Thrown for what a kubelet would refuse (CreateContainerConfigError and the like). */
export class PlanError extends Error {
  override readonly name = 'PlanError'
}

const asDeployment = (m: Manifest) => m as unknown as IDeployment

function dataOf(manifests: readonly Manifest[], kind: 'ConfigMap' | 'Secret'): Map<string, Data> {
  const out = new Map<string, Data>()
  for (const m of manifests) {
    if (m.kind !== kind) continue
    const data: Data = {}
    const record = m as Manifest & { data?: Data; stringData?: Data }
    for (const [k, v] of Object.entries(record.data ?? {})) {
      data[k] = kind === 'Secret' ? Buffer.from(v, 'base64').toString('utf8') : v
    }
    Object.assign(data, record.stringData ?? {})
    out.set(m.metadata.name, data)
  }
  return out
}

function lookup(
  sources: Map<string, Data>,
  what: string,
  ref: { name?: string; key: string; optional?: boolean },
): string | undefined {
  const value = sources.get(ref.name ?? '')?.[ref.key]
  if (value === undefined && !ref.optional)
    throw new PlanError(`${what} ${ref.name}: key ${ref.key} not found (and not optional)`)
  return value
}

/** The environment as the kubelet builds it: envFrom first, then env, later entries winning. */
function resolveEnv(
  c: IContainer,
  configMaps: Map<string, Data>,
  secrets: Map<string, Data>,
): Data {
  const env: Data = {}
  for (const from of c.envFrom ?? []) {
    const [sources, ref, what] = from.configMapRef
      ? [configMaps, from.configMapRef, 'ConfigMap']
      : [secrets, from.secretRef, 'Secret']
    const data = sources.get(ref?.name ?? '')
    if (!data) {
      if (ref?.optional) continue
      throw new PlanError(`envFrom: ${what} ${ref?.name} not found`)
    }
    for (const [k, v] of Object.entries(data)) env[`${from.prefix ?? ''}${k}`] = v
  }
  for (const e of c.env ?? []) {
    let value: string | undefined = e.value ?? ''
    if (e.valueFrom?.configMapKeyRef)
      value = lookup(configMaps, 'ConfigMap', e.valueFrom.configMapKeyRef)
    else if (e.valueFrom?.secretKeyRef) value = lookup(secrets, 'Secret', e.valueFrom.secretKeyRef)
    else if (e.valueFrom)
      throw new PlanError(`env ${e.name}: only configMapKeyRef and secretKeyRef are rehearsed`)
    if (value !== undefined) env[e.name] = value
  }
  return env
}

function probePlan(probe: IProbe | undefined, ports: Record<string, number>, what: string) {
  if (!probe) return undefined
  const get = probe.httpGet
  if (!get) throw new PlanError(`${what}: only httpGet probes are rehearsed`)
  const port = typeof get.port === 'number' ? get.port : ports[get.port]
  if (port === undefined)
    throw new PlanError(`${what}: port "${get.port}" is not a port of the container`)
  return {
    path: get.path ?? '/',
    port,
    initialDelaySeconds: probe.initialDelaySeconds ?? 0,
    periodSeconds: probe.periodSeconds ?? 10,
    timeoutSeconds: probe.timeoutSeconds ?? 1,
    failureThreshold: probe.failureThreshold ?? 3,
  }
}

function mountsOf(c: IContainer, volumes: readonly IVolume[], where: string): MountPlan[] {
  return (c.volumeMounts ?? []).map((m) => {
    const volume = volumes.find((v) => v.name === m.name)
    if (!volume) throw new PlanError(`${where}: volumeMount ${m.name} has no volume`)
    return {
      volume: m.name,
      path: m.mountPath,
      readOnly: m.readOnly ?? false,
      kind: volume.emptyDir ? 'emptyDir' : 'shared',
    }
  })
}

/** Every Deployment of `manifests` as the containers a kubelet would start. */
export function planWorkloads(manifests: readonly Manifest[]): WorkloadPlan[] {
  const configMaps = dataOf(manifests, 'ConfigMap')
  const secrets = dataOf(manifests, 'Secret')
  return manifests
    .filter((m) => m.kind === 'Deployment')
    .map((m) => {
      const d = asDeployment(m)
      const name = d.metadata?.name ?? ''
      const pod = d.spec?.template.spec
      if (!pod) throw new PlanError(`${name}: no pod template`)
      const podSecurity = pod.securityContext ?? {}
      const container = (c: IContainer): ContainerPlan => {
        const where = `${name}/${c.name}`
        const security = c.securityContext ?? {}
        const ports = Object.fromEntries(
          (c.ports ?? []).map((p) => [p.name ?? String(p.containerPort), p.containerPort]),
        )
        const argv = [...(c.command ?? []), ...(c.args ?? [])]
        if (argv.length === 0)
          throw new PlanError(`${where}: no command (the image's own is not rehearsed)`)
        return {
          name: c.name,
          image: c.image ?? '',
          argv,
          workingDir: c.workingDir,
          env: resolveEnv(c, configMaps, secrets),
          runAsUser: security.runAsUser ?? podSecurity.runAsUser,
          runAsGroup: security.runAsGroup ?? podSecurity.runAsGroup,
          fsGroup: podSecurity.fsGroup,
          readOnlyRootFilesystem: security.readOnlyRootFilesystem ?? false,
          dropAllCapabilities: security.capabilities?.drop?.includes('ALL') ?? false,
          noNewPrivileges: security.allowPrivilegeEscalation === false,
          mounts: mountsOf(c, pod.volumes ?? [], where),
          ports,
          liveness: probePlan(c.livenessProbe, ports, `${where} liveness`),
          readiness: probePlan(c.readinessProbe, ports, `${where} readiness`),
          preStop: c.lifecycle?.preStop?.exec?.command,
        }
      }
      return {
        name,
        component: d.metadata?.labels?.['app.kubernetes.io/component'] ?? name,
        replicas: d.spec?.replicas ?? 1,
        terminationGracePeriodSeconds: pod.terminationGracePeriodSeconds ?? 30,
        initContainers: (pod.initContainers ?? []).map(container),
        containers: pod.containers.map(container),
      }
    })
}
