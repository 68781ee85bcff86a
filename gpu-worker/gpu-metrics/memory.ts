/**
 * @module
 * Device memory from `nvidia-smi --query-gpu=index,memory.used,memory.total
 * --format=csv,noheader,nounits` (MiB). No driver, or a field it cannot read,
 * means no reading: absent, never zero.
 */
import { type NvidiaSmiRunOptions, runNvidiaSmi } from './nvidia-smi.ts'

/** One GPU's memory, in MiB. */
export interface GpuMemoryReading {
  gpu: string
  usedMiB: number
  totalMiB: number
}

/** The query {@link readGpuMemory} runs. */
export const MEMORY_QUERY = [
  '--query-gpu=index,memory.used,memory.total',
  '--format=csv,noheader,nounits',
] as const

/** Parses the CSV; lines without three numbers are skipped. */
export function parseGpuMemory(output: string): GpuMemoryReading[] {
  const readings: GpuMemoryReading[] = []
  for (const line of output.split(/\r?\n/)) {
    const [gpu, used, total, ...rest] = line.split(',').map((f) => f.trim())
    if (rest.length > 0 || !gpu || !/^\d+$/.test(gpu)) continue
    const usedMiB = Number(used)
    const totalMiB = Number(total)
    if (used === '' || total === '' || !Number.isFinite(usedMiB) || !Number.isFinite(totalMiB))
      continue
    readings.push({ gpu, usedMiB, totalMiB })
  }
  return readings
}

/**
 * Reads every GPU's memory once; `[]` where there is no driver.
 * @example
 * const [gpu0] = await readGpuMemory()
 */
export async function readGpuMemory(
  options: NvidiaSmiRunOptions = {},
): Promise<GpuMemoryReading[]> {
  const output = await runNvidiaSmi(MEMORY_QUERY, options)
  return output === undefined ? [] : parseGpuMemory(output)
}
