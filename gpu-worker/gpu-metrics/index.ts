/** @module The driver (nvidia-smi): one guarded run, and GPU utilisation and temperature. */

export { registerGpuMetrics } from './metrics.ts'
export { type NvidiaSmiRunOptions, runNvidiaSmi } from './nvidia-smi.ts'
export { type GpuReading, parseNvidiaSmi } from './parse.ts'
export { createNvidiaSmiReader, type NvidiaSmiOptions } from './reader.ts'
