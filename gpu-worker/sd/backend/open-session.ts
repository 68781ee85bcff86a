/**
 * @module
 * Execution-provider fallback. ORT does not fall back by itself (asking for an
 * unavailable provider throws), so each provider in the caller's order is tried
 * in turn; every failure is logged and the first that loads the model wins.
 */
import type { InferenceBackend, ModelSession, SdLogger, SessionOpenOptions } from './types.ts'

/** A session and the provider it runs on. */
export interface OpenedSession {
  session: ModelSession
  provider: string
}

/**
 * Opens `modelPath` on the first provider of `providers` that works.
 * @param model a short name for logs and errors (`unet`)
 * @throws Error listing every provider's failure when none works
 * @example
 * const { session, provider } = await openSession(onnxNodeBackend, path, ['webgpu', 'cpu'], 'unet')
 */
export async function openSession(
  backend: InferenceBackend,
  modelPath: string,
  providers: readonly string[],
  model: string,
  logger?: SdLogger,
  options?: SessionOpenOptions,
): Promise<OpenedSession> {
  if (providers.length === 0)
    throw new Error('No execution providers given (expected e.g. ["cpu"])')
  const failures: string[] = []
  for (const provider of providers) {
    try {
      const session = await backend.createSession(modelPath, provider, options)
      logger?.info({ model, provider, backend: backend.name }, 'ONNX session ready')
      return { session, provider }
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err)
      failures.push(`${provider}: ${reason}`)
      logger?.warn({ model, provider, err: reason }, 'Execution provider failed; trying the next')
    }
  }
  throw new Error(`Could not open ${modelPath} (${model}) on any provider: ${failures.join('; ')}`)
}
