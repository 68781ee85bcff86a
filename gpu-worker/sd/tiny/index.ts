/**
 * @module
 * The tiny SD model set: same layout, tensor names and dtypes as a real export,
 * seeded random weights, generated in milliseconds (no downloads, no Python).
 */
export { ensureTinySdModelSet, resolveModelDir, TINY_MODEL_DIR } from './ensure-tiny-set.ts'
export {
  TINY_DIMS,
  type TinyEncoderOptions,
  type TinyTimestep,
  type TinyUnetOptions,
  tinyTextEncoder,
  tinyUnet,
  tinyVaeDecoder,
} from './tiny-models.ts'
export { type TinyTokenizer, type TokenizerFiles, tinyTokenizer } from './tiny-tokenizer.ts'
export { type TinySdOptions, writeTinySdModelSet } from './write-tiny-set.ts'
