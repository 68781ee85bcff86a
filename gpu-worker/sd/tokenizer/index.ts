/**
 * @module
 * The CLIP tokenizer: load a tokenizer folder, turn prompts into token ids.
 */
import { ClipTokenizer } from './clip-tokenizer.ts'
import { loadClipTokenizerData } from './load-tokenizer-files.ts'

export { BYTE_SYMBOLS_IN_VOCAB_ORDER, BYTE_TO_UNICODE } from './bytes-to-unicode.ts'
export { ClipTokenizer, type EncodedPrompt } from './clip-tokenizer.ts'
export { type ClipTokenizerData, loadClipTokenizerData } from './load-tokenizer-files.ts'

/**
 * Loads the tokenizer in `dir` (a model set's `tokenizer/` folder).
 * @example
 * const tokenizer = await loadClipTokenizer('models/sd15/tokenizer')
 */
export async function loadClipTokenizer(dir: string): Promise<ClipTokenizer> {
  return new ClipTokenizer(await loadClipTokenizerData(dir))
}
