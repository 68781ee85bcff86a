/**
 * @module
 * The options of one generation, their defaults and their limits. Bad values
 * throw {@link SdInputError} before any model runs, so a worker can fail the job
 * without retrying it.
 */

/** Thrown for generation options outside their limits (a caller error: do not retry). */
export class SdInputError extends Error {
  override readonly name = 'SdInputError'
}

/** Options of {@link SdPipeline.generate}. */
export interface GenerateOptions {
  prompt: string
  /** What to steer away from (the unconditional half of guidance). @defaultValue `''` */
  negativePrompt?: string
  /** Non-negative safe integer; same seed and options give the same bytes. */
  seed: number
  /** Inference steps, 1-150. @defaultValue the layout's: 25 (4 for LCM, 1 for Turbo) */
  steps?: number
  /**
   * Classifier-free guidance scale, 0-30; at most 1 means no guidance (one UNet batch).
   * @defaultValue the layout's: 7.5 (5 for SDXL, 8.5 for LCM, 0 for Turbo)
   */
  guidanceScale?: number
  /** Image width in pixels, a multiple of 8 from 64 to 1024. @defaultValue 512 */
  width?: number
  /** Image height in pixels, a multiple of 8 from 64 to 1024. @defaultValue 512 */
  height?: number
  /** Called after each UNet evaluation with (done, total). */
  onProgress?: (step: number, totalSteps: number) => void
  /** Aborts between steps. */
  signal?: AbortSignal
}

/** Options after defaults, all checked. */
export interface ResolvedGenerateOptions {
  prompt: string
  negativePrompt: string
  seed: number
  steps: number
  guidanceScale: number
  width: number
  height: number
}

/** Limits of the generation options. */
export const GENERATE_LIMITS = {
  minSteps: 1,
  maxSteps: 150,
  minGuidance: 0,
  maxGuidance: 30,
  minSize: 64,
  maxSize: 1024,
  sizeMultiple: 8,
} as const

/** The model's defaults for the options that depend on it (see layoutDefaults). */
export interface ModelDefaults {
  steps: number
  guidanceScale: number
}

/**
 * Applies defaults and checks limits.
 * @throws SdInputError naming the option, its value and what is allowed
 */
export function resolveGenerateOptions(
  options: GenerateOptions,
  defaults: ModelDefaults,
): ResolvedGenerateOptions {
  const L = GENERATE_LIMITS
  const resolved: ResolvedGenerateOptions = {
    prompt: options.prompt,
    negativePrompt: options.negativePrompt ?? '',
    seed: options.seed,
    steps: options.steps ?? defaults.steps,
    guidanceScale: options.guidanceScale ?? defaults.guidanceScale,
    width: options.width ?? 512,
    height: options.height ?? 512,
  }
  if (typeof resolved.prompt !== 'string') throw new SdInputError('prompt must be a string')
  if (!Number.isSafeInteger(resolved.seed) || resolved.seed < 0) {
    throw new SdInputError(`seed must be a non-negative integer, got ${resolved.seed}`)
  }
  const { steps, guidanceScale } = resolved
  if (!Number.isInteger(steps) || steps < L.minSteps || steps > L.maxSteps) {
    throw new SdInputError(
      `steps must be an integer from ${L.minSteps} to ${L.maxSteps}, got ${steps}`,
    )
  }
  if (
    !Number.isFinite(guidanceScale) ||
    guidanceScale < L.minGuidance ||
    guidanceScale > L.maxGuidance
  ) {
    throw new SdInputError(
      `guidanceScale must be a number from ${L.minGuidance} to ${L.maxGuidance}, got ${guidanceScale}`,
    )
  }
  for (const key of ['width', 'height'] as const) {
    const v = resolved[key]
    if (!Number.isInteger(v) || v < L.minSize || v > L.maxSize || v % L.sizeMultiple !== 0) {
      throw new SdInputError(
        `${key} must be a multiple of ${L.sizeMultiple} from ${L.minSize} to ${L.maxSize}, got ${v}`,
      )
    }
  }
  return resolved
}
