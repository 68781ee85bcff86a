/**
 * @module
 * The driver's side of the slot identity: the UUIDs of the GPUs this process
 * sees, in CUDA's order. No nvidia-smi, an error or a timeout gives none.
 */
import { type NvidiaSmiRunOptions, runNvidiaSmi } from '../gpu-metrics/nvidia-smi.ts'
import { parseGpuIds, visibleGpuUuids } from './device-identity.ts'

const ARGS = ['--query-gpu=index,uuid', '--format=csv,noheader']

/**
 * Reads the visible GPUs' UUIDs (empty without a GPU).
 * @param cudaVisibleDevices `process.env.CUDA_VISIBLE_DEVICES`
 */
export async function readGpuUuids(
  cudaVisibleDevices: string | undefined,
  options: NvidiaSmiRunOptions = {},
): Promise<string[]> {
  const output = await runNvidiaSmi(ARGS, options)
  return output === undefined ? [] : visibleGpuUuids(parseGpuIds(output), cudaVisibleDevices)
}
