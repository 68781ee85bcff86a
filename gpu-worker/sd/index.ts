/**
 * @module
 * Stable Diffusion on ONNX Runtime: the GPU worker's image generator.
 *
 * @example
 * import { loadSdPipeline } from './sd/index.ts'
 * const pipe = await loadSdPipeline(modelDir, { providers: ['webgpu', 'cpu'], logger })
 * const image = await pipe.generate({ prompt: 'shirt design', seed: 1, onProgress })
 * // image.data: RGB bytes, image.timings: per-stage milliseconds
 */

export { SeededRandom } from '../../core/platform/random.ts'
export {
  createOnnxNodeBackend,
  type InferenceBackend,
  type ModelSession,
  type OnnxNodeOptions,
  onnxNodeBackend,
  openSession,
  type SdLogger,
  type Tensor,
  type TensorInfo,
} from './backend/index.ts'
export { SdModelError } from './files.ts'
export {
  GENERATE_LIMITS,
  type GenerateOptions,
  resolveGenerateOptions,
  SdInputError,
} from './generate-options.ts'
export { bindSdSessions, type SdBindings, type TimestepFormat } from './model-bindings.ts'
export { DEFAULT_VAE_SCALING_FACTOR, readSdModelFiles, type SdModelFiles } from './model-files.ts'
export {
  type GeneratedImage,
  loadSdPipeline,
  SdPipeline,
  type SdPipelineOptions,
  type SdProviders,
  type StageTimings,
} from './pipeline.ts'
export { createScheduler, type Scheduler, type SchedulerKind } from './schedulers/index.ts'
export {
  ensureTinySdModelSet,
  resolveModelDir,
  TINY_MODEL_DIR,
  type TinySdOptions,
  type TinyTimestep,
  writeTinySdModelSet,
} from './tiny/index.ts'
export { type ClipTokenizer, loadClipTokenizer } from './tokenizer/index.ts'
