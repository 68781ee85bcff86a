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
  DEVICE_PROVIDERS,
  type Feed,
  type HeldTensor,
  type InferenceBackend,
  type ModelSession,
  type OnnxNodeOptions,
  onnxNodeBackend,
  openSession,
  type SdLogger,
  type SessionOpenOptions,
  type Tensor,
  type TensorInfo,
} from './backend/index.ts'
export { SdModelError } from './files.ts'
export {
  GENERATE_LIMITS,
  type GenerateOptions,
  type ModelDefaults,
  resolveGenerateOptions,
  SdInputError,
} from './generate-options.ts'
export {
  detectLayout,
  type LayoutEvidence,
  layoutDefaults,
  PIPELINE_FAMILIES,
  type SdFamily,
  type SdLayout,
  type SdVariant,
} from './layout.ts'
export {
  bindSdSessions,
  type EncoderBinding,
  type SdBindings,
  type SdSessions,
  type TimestepFormat,
} from './model-bindings.ts'
export {
  DEFAULT_VAE_SCALING_FACTOR,
  readSdModelFiles,
  SDXL_VAE_SCALING_FACTOR,
  type SdModelFiles,
  type SecondEncoderFiles,
} from './model-files.ts'
export {
  type DeviceStepsMode,
  type GeneratedImage,
  loadSdPipeline,
  outsideSessionMs,
  type SdModelLabels,
  SdPipeline,
  type SdPipelineOptions,
  type SdProviders,
  type StageTimings,
  type StepPath,
} from './pipeline.ts'
export {
  float16ToFloat32,
  float32ToFloat16,
  fromFloat16Bits,
  type Precision,
  toFloat16Bits,
} from './precision/index.ts'
export { createScheduler, type Scheduler, type SchedulerKind } from './schedulers/index.ts'
export { openStepGraph, STEP_PORTS, type StepGraphTypes, stepGraph } from './step-graph/index.ts'
export {
  ensureTinySdModelSet,
  resolveModelDir,
  TINY_MODEL_DIR,
  type TinySdOptions,
  type TinyTimestep,
  writeTinySdModelSet,
} from './tiny/index.ts'
export { type ClipTokenizer, loadClipTokenizer } from './tokenizer/index.ts'
