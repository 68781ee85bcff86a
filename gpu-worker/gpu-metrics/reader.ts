/**
 * @module
 * Reading the GPUs through `nvidia-smi`, with a timeout and a short cache
 * (a scrape every few seconds must not fork a process each time). No binary,
 * an error or a timeout means "no reading": the gauges are then absent.
 */
import { runNvidiaSmi } from './nvidia-smi.ts'
import { type GpuReading, parseNvidiaSmi } from './parse.ts'

/** Options of {@link createNvidiaSmiReader}. */
export interface NvidiaSmiOptions {
  /** @defaultValue `'nvidia-smi'` (from PATH) */
  binary?: string
  /** @defaultValue 2000 */
  timeoutMs?: number
  /** How long a reading is reused. @defaultValue 5000 */
  cacheMs?: number
  onError?: (err: unknown) => void
}

const ARGS = ['--query-gpu=index,utilization.gpu,temperature.gpu', '--format=csv,noheader,nounits']

/** A function returning the current readings (empty when there is no GPU). */
export function createNvidiaSmiReader(options: NvidiaSmiOptions = {}): () => Promise<GpuReading[]> {
  const cacheMs = options.cacheMs ?? 5000
  let cached: { at: number; readings: Promise<GpuReading[]> } | undefined
  const read = async () => parseNvidiaSmi((await runNvidiaSmi(ARGS, options)) ?? '')
  return () => {
    const now = Date.now()
    if (!cached || now - cached.at >= cacheMs) cached = { at: now, readings: read() }
    return cached.readings
  }
}
