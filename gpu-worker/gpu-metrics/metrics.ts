/**
 * @module
 * `gpu_utilization_percent{gpu}` and `gpu_temperature_celsius{gpu}`, set at
 * scrape time from the driver. A GPU (or a field) without a reading has no
 * series: absent, not zero.
 */
import { Gauge, type Registry } from 'prom-client'
import type { GpuReading } from './parse.ts'

/** Registers the GPU gauges, reading through `read` on each scrape. */
export function registerGpuMetrics(registry: Registry, read: () => Promise<GpuReading[]>): void {
  const gauge = (name: string, help: string, pick: (r: GpuReading) => number | undefined) =>
    new Gauge({
      name,
      help,
      labelNames: ['gpu'] as const,
      registers: [registry],
      // Every worker on a node reads the same GPU: the cluster view is the max.
      aggregator: 'max',
      async collect() {
        this.reset()
        for (const reading of await read()) {
          const value = pick(reading)
          if (value !== undefined) this.set({ gpu: reading.gpu }, value)
        }
      },
    })
  gauge('gpu_utilization_percent', 'GPU utilisation, from nvidia-smi', (r) => r.utilizationPercent)
  gauge('gpu_temperature_celsius', 'GPU temperature, from nvidia-smi', (r) => r.temperatureCelsius)
}
