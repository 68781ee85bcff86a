/**
 * @module
 * `gpu_worker_execution_provider{model,provider}`: 1 per model session on the
 * provider it runs on, so a dashboard or an alert sees a CPU fallback.
 */
import { Gauge, type Registry } from 'prom-client'
import type { ModelProviders } from './verdict.ts'

/** Registers the gauge with one series per model session. */
export function registerExecutionProviderGauge(registry: Registry, inUse: ModelProviders): void {
  const gauge = new Gauge({
    name: 'gpu_worker_execution_provider',
    help: 'ONNX Runtime execution provider each model session runs on (1 per session)',
    labelNames: ['model', 'provider'] as const,
    registers: [registry],
  })
  for (const [model, provider] of Object.entries(inUse)) gauge.set({ model, provider }, 1)
}
