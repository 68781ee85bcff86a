/**
 * @module
 * States what the loaded pipeline runs on: the verdict in the log, the gauge,
 * and the `execution-provider` readiness check (its detail or its error says
 * which provider is active).
 */
import type { Registry } from 'prom-client'
import { type HealthCheck, HealthDetail } from '../../core/platform/health.ts'
import type { SdProviders } from '../sd/pipeline.ts'
import { registerExecutionProviderGauge } from './metrics.ts'
import { judgeExecutionProviders, type ModelProviders, type ProviderVerdict } from './verdict.ts'

/** The log calls this needs (pino's `(obj, msg)` signature). */
export interface ProviderLogger {
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

/** Options of {@link reportExecutionProviders}. */
export interface ReportOptions {
  requested: readonly string[]
  /** `pipeline.providers`. */
  inUse: SdProviders
  requireGpu: boolean
  registry: Registry
  logger: ProviderLogger
}

/** The verdict and the readiness check that carries it. */
export interface ProviderReport {
  verdict: ProviderVerdict
  readiness: HealthCheck
}

/** The pipeline's providers under the model names its sessions log (`text_encoder`). */
export function modelProviders(providers: SdProviders): ModelProviders {
  return {
    text_encoder: providers.textEncoder,
    unet: providers.unet,
    vae_decoder: providers.vaeDecoder,
  }
}

/**
 * Logs the verdict (an error when it fails, a warning on a tolerated CPU
 * fallback), registers the gauge, and returns the readiness check.
 */
export function reportExecutionProviders(options: ReportOptions): ProviderReport {
  const inUse = modelProviders(options.inUse)
  const verdict = judgeExecutionProviders({
    requested: options.requested,
    inUse,
    requireGpu: options.requireGpu,
  })
  registerExecutionProviderGauge(options.registry, inUse)
  const fields = { providers: inUse, requested: options.requested.join(',') }
  const level = !verdict.ok ? 'error' : verdict.fellBack ? 'warn' : 'info'
  options.logger[level](fields, `execution provider: ${verdict.message}`)
  const readiness: HealthCheck = {
    name: 'execution-provider',
    check: async () => {
      if (!verdict.ok) throw new Error(verdict.message)
      return new HealthDetail(verdict.message)
    },
  }
  return { verdict, readiness }
}
