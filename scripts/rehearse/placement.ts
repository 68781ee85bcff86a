/**
 * @module
 * Where each replica's containers run on one host: names, the pod's hostname,
 * ports (replica 0 keeps the chart's ports, which the Services name; replica
 * n moves each port by n x 1000), host folders for the volumes (an emptyDir
 * per pod, a shared volume per run), and the Services' names resolving to
 * this host.
 */
import { chmodSync, chownSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { ContainerPlan, ProbePlan, WorkloadPlan } from './plan.ts'
import { placedProbe, type RunPlacement } from './podman-args.ts'

const REPLICA_PORT_STEP = 1000

/** A host folder anyone in the pod may write, group-owned by fsGroup (setgid), like an emptyDir. */
function volumeDir(path: string, fsGroup: number | undefined): string {
  mkdirSync(path, { recursive: true })
  if (fsGroup !== undefined) chownSync(path, -1, fsGroup)
  chmodSync(path, 0o2777)
  return path
}

/** One container of one replica, placed. */
export interface PlacedContainer {
  /** `component[replica]/container`, as the checks name it. */
  label: string
  component: string
  replica: number
  plan: ContainerPlan
  placement: RunPlacement
  terminationGracePeriodSeconds: number
  liveness: ProbePlan | undefined
  readiness: ProbePlan | undefined
  /** The host port of a named container port. */
  hostPort: (name: string) => number
}

/** Every init container and container of every replica, placed. */
export function placeWorkloads(
  workloads: readonly WorkloadPlan[],
  options: {
    runId: string
    services: readonly string[]
    hostDir: string
    /** The first replica's number (an extra replica placed later goes after the others). */
    firstReplica?: number
  },
): { init: PlacedContainer[]; containers: PlacedContainer[] } {
  const sharedDirs: Record<string, string> = {}
  const init: PlacedContainer[] = []
  const containers: PlacedContainer[] = []
  for (const w of workloads) {
    const first = options.firstReplica ?? 0
    for (let replica = first; replica < first + w.replicas; replica++) {
      const pod = `${w.name}-${options.runId}-${replica}`
      const podDirs: Record<string, string> = {}
      const place = (plan: ContainerPlan, isInit: boolean): PlacedContainer => {
        for (const m of plan.mounts) {
          if (m.kind === 'shared') {
            sharedDirs[m.volume] ??= volumeDir(join(options.hostDir, m.volume), plan.fsGroup)
            podDirs[m.volume] = sharedDirs[m.volume] as string
          } else {
            podDirs[m.volume] ??= volumeDir(
              join(options.hostDir, 'pods', pod, m.volume),
              plan.fsGroup,
            )
          }
        }
        const portMap = new Map(
          Object.values(plan.ports).map((p) => [p, p + replica * REPLICA_PORT_STEP] as const),
        )
        const placement: RunPlacement = {
          containerName: `${options.runId}-${w.component}-${replica}${isInit ? `-${plan.name}` : ''}`,
          hostname: pod,
          portMap,
          volumeDirs: podDirs,
          hosts: options.services,
          labels: { rehearsal: options.runId, component: w.component },
        }
        return {
          label: `${w.component}[${replica}]${isInit ? `/${plan.name}` : ''}`,
          component: w.component,
          replica,
          plan,
          placement,
          terminationGracePeriodSeconds: w.terminationGracePeriodSeconds,
          liveness: placedProbe(plan.liveness, portMap),
          readiness: placedProbe(plan.readiness, portMap),
          hostPort: (name) => {
            const port = plan.ports[name]
            if (port === undefined) throw new Error(`${w.component} has no port named ${name}`)
            return portMap.get(port) ?? port
          },
        }
      }
      for (const c of w.initContainers) init.push(place(c, true))
      for (const c of w.containers) containers.push(place(c, false))
    }
  }
  return { init, containers }
}
