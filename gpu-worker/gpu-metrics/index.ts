/** @module GPU utilisation and temperature from the driver (nvidia-smi). */
export { registerGpuMetrics } from './metrics.ts'
export { type GpuReading, parseNvidiaSmi } from './parse.ts'
export { createNvidiaSmiReader, type NvidiaSmiOptions } from './reader.ts'
