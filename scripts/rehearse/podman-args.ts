/**
 * @module
 * A planned container as a `podman run` command line, as close to the
 * kubelet as one host allows: the host network (Services resolve to
 * 127.0.0.1, so replicas after the first move their ports), the pod's user
 * and groups, a read-only root with the emptyDirs as the only writable paths
 * (podman's own /tmp, /run and /var/tmp tmpfs turned off), capabilities
 * dropped, no privilege escalation. Every volume is a host folder: an
 * emptyDir one per pod (shared by its init and main containers, group-owned
 * by fsGroup, as the kubelet makes it), a shared volume one per run. (Podman
 * 4's tmpfs mounts ignore their mode and stay root's 0755, which no emptyDir
 * is.)
 */
import type { ContainerPlan, ProbePlan } from './plan.ts'

/** Where one replica's container runs. */
export interface RunPlacement {
  containerName: string
  /** The pod's name, which the kubelet makes the hostname. */
  hostname: string
  /** containerPort → host port, for the ports this replica moves. */
  portMap: ReadonlyMap<number, number>
  /** A volume's name → the host folder standing in for it. */
  volumeDirs: Readonly<Record<string, string>>
  /** Names that resolve to this host (the chart's Services). */
  hosts: readonly string[]
  labels: Readonly<Record<string, string>>
}

const moved = (port: number, map: ReadonlyMap<number, number>) => map.get(port) ?? port

/** The probe of a replica, on its moved port. */
export function placedProbe(probe: ProbePlan | undefined, map: ReadonlyMap<number, number>) {
  return probe && { ...probe, port: moved(probe.port, map) }
}

/**
 * The environment of a replica: a variable named `*PORT` whose value is one
 * of the container's ports follows the port (the chart passes PORT and
 * METRICS_PORT that way).
 */
export function placedEnv(
  c: ContainerPlan,
  map: ReadonlyMap<number, number>,
): Record<string, string> {
  const ports = new Set(Object.values(c.ports))
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(c.env)) {
    const n = Number(v)
    env[k] = k.endsWith('PORT') && ports.has(n) ? String(moved(n, map)) : v
  }
  return env
}

/** The options of `podman run` (after `run`, up to the command) for one container of one replica. */
export function podmanRunArgs(c: ContainerPlan, placement: RunPlacement): string[] {
  const args = ['--name', placement.containerName, '--hostname', placement.hostname]
  args.push('--network', 'host')
  for (const host of placement.hosts) args.push('--add-host', `${host}:127.0.0.1`)
  for (const [k, v] of Object.entries(placement.labels)) args.push('--label', `${k}=${v}`)
  if (c.runAsUser !== undefined) {
    args.push(
      '--user',
      c.runAsGroup === undefined ? `${c.runAsUser}` : `${c.runAsUser}:${c.runAsGroup}`,
    )
  }
  if (c.fsGroup !== undefined) args.push('--group-add', String(c.fsGroup))
  if (c.readOnlyRootFilesystem) args.push('--read-only', '--read-only-tmpfs=false')
  if (c.dropAllCapabilities) args.push('--cap-drop', 'all')
  if (c.noNewPrivileges) args.push('--security-opt', 'no-new-privileges')
  if (c.workingDir) args.push('--workdir', c.workingDir)
  for (const m of c.mounts) {
    const dir = placement.volumeDirs[m.volume]
    if (!dir) throw new Error(`no host folder for the volume ${m.volume}`)
    args.push('--volume', `${dir}:${m.path}:${m.readOnly ? 'ro' : 'rw'}`)
  }
  for (const [k, v] of Object.entries(placedEnv(c, placement.portMap)))
    args.push('--env', `${k}=${v}`)
  // The chart's command replaces the image's entrypoint and command.
  const [entrypoint, ...rest] = c.argv
  args.push('--entrypoint', JSON.stringify([entrypoint]), c.image, ...rest)
  return args
}
