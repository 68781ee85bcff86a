/** @module The driver (nvidia-smi): one guarded run; GPU utilisation, temperature and memory. */

export {
  type GpuMemoryReading,
  MEMORY_QUERY,
  parseGpuMemory,
  readGpuMemory,
} from './memory.ts'
export { registerGpuMetrics } from './metrics.ts'
export { type NvidiaSmiRunOptions, runNvidiaSmi } from './nvidia-smi.ts'
export { type GpuReading, parseNvidiaSmi } from './parse.ts'
export { createNvidiaSmiReader, type NvidiaSmiOptions } from './reader.ts'
