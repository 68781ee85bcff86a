/**
 * @module
 * Which device a worker's GPU slots belong to. Slots bound one physical GPU,
 * so the key must name it: two pods on different GPUs must not share slots,
 * and two pods time-sliced onto one GPU must. Pure; the driver is read by
 * `read-gpu-uuids.ts`.
 *
 * Precedence:
 * 1. `GPU_DEVICE`, when set: the operator's override wins over the driver
 *    (e.g. MIG, where the driver's GPU UUID names the whole card, or to pin
 *    several pods to one slot set on purpose).
 * 2. The UUID of the GPU ONNX Runtime uses (device 0 of what the pod sees).
 * 3. The pod's hostname: a worker without a GPU shares its slots with nobody.
 */

/** Characters a slot key part may hold (the `GPU_DEVICE` charset). */
const KEY_PART = /[^A-Za-z0-9_.-]/g
const KEY_PART_MAX = 64

/** Where the slot device came from. */
export type SlotDeviceSource = 'GPU_DEVICE' | 'gpu-uuid' | 'hostname'

/** The chosen slot device and why. */
export interface SlotDevice {
  device: string
  source: SlotDeviceSource
}

/** What {@link resolveSlotDevice} chooses from. */
export interface SlotDeviceInputs {
  /** UUIDs of the GPUs this process sees, in CUDA's order (see {@link visibleGpuUuids}). */
  gpuUuids: readonly string[]
  /** `GPU_DEVICE`, if set. */
  explicit?: string | undefined
  /** `os.hostname()`: the pod name in Kubernetes. */
  hostname: string
}

/** One GPU as `nvidia-smi --query-gpu=index,uuid` lists it. */
export interface GpuId {
  index: string
  uuid: string
}

/**
 * Makes `raw` usable in a Redis key: anything outside `[A-Za-z0-9_.-]` becomes
 * `_` (legacy MIG UUIDs hold `/`), at most 64 characters.
 */
export function slotKeyPart(raw: string): string {
  return raw.trim().replace(KEY_PART, '_').slice(0, KEY_PART_MAX)
}

/**
 * Picks the slot device: `GPU_DEVICE`, else the first GPU UUID, else the hostname.
 * @throws Error when none of them gives a non-empty key part
 * @example
 * resolveSlotDevice({ gpuUuids: ['GPU-8f3c...'], hostname: 'gpu-worker-7d9f' })
 * // { device: 'GPU-8f3c...', source: 'gpu-uuid' }
 */
export function resolveSlotDevice(inputs: SlotDeviceInputs): SlotDevice {
  const candidates: [string | undefined, SlotDeviceSource][] = [
    [inputs.explicit, 'GPU_DEVICE'],
    [inputs.gpuUuids[0], 'gpu-uuid'],
    [inputs.hostname, 'hostname'],
  ]
  for (const [raw, source] of candidates) {
    const device = raw === undefined ? '' : slotKeyPart(raw)
    if (device) return { device, source }
  }
  throw new Error('no slot device: GPU_DEVICE unset, no GPU UUID and an empty hostname')
}

/** Parses `nvidia-smi --query-gpu=index,uuid --format=csv,noheader`; other lines are skipped. */
export function parseGpuIds(output: string): GpuId[] {
  const ids: GpuId[] = []
  for (const line of output.split(/\r?\n/)) {
    const [index, uuid, ...rest] = line.split(',').map((f) => f.trim())
    if (rest.length === 0 && index && /^\d+$/.test(index) && uuid) ids.push({ index, uuid })
  }
  return ids
}

/**
 * The UUIDs of `gpus` in the order CUDA (and so ORT's device 0) sees them,
 * after `CUDA_VISIBLE_DEVICES`: unset means all, in the driver's order;
 * otherwise each entry is an index or a (prefix of a) `GPU-`/`MIG-` UUID, and
 * like CUDA we stop at the first entry that names nothing. A MIG UUID is kept
 * as given: the driver's list names only whole cards. Indices are read in
 * the driver's (PCI bus) order, CUDA's own only with
 * `CUDA_DEVICE_ORDER=PCI_BUS_ID`; a pod given one GPU has no such question.
 */
export function visibleGpuUuids(
  gpus: readonly GpuId[],
  cudaVisibleDevices: string | undefined,
): string[] {
  if (cudaVisibleDevices === undefined) return gpus.map((g) => g.uuid)
  const uuids: string[] = []
  for (const entry of cudaVisibleDevices.split(',')) {
    const uuid = uuidOf(gpus, entry.trim())
    if (uuid === undefined) break
    uuids.push(uuid)
  }
  return uuids
}

/** The UUID one `CUDA_VISIBLE_DEVICES` entry names, if any. */
function uuidOf(gpus: readonly GpuId[], entry: string): string | undefined {
  if (/^\d+$/.test(entry)) return gpus.find((g) => Number(g.index) === Number(entry))?.uuid
  if (!/^(GPU|MIG)-/.test(entry)) return undefined
  const listed = gpus.find((g) => g.uuid.startsWith(entry))?.uuid
  return listed ?? (entry.startsWith('MIG-') ? entry : undefined)
}
