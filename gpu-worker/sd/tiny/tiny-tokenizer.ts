/**
 * @module
 * A small CLIP-format tokenizer for the tiny model set: the 512 byte symbols
 * every CLIP vocab starts with (so any text encodes), a few dozen merges learnt
 * from a fixed word list, and CLIP's real special tokens, laid out in the order
 * of the real vocab (bytes, bytes + `</w>`, merges, specials).
 */
import { BYTE_SYMBOLS_IN_VOCAB_ORDER, BYTE_TO_UNICODE } from '../tokenizer/bytes-to-unicode.ts'

/** Files of a `tokenizer/` folder, as strings. */
export interface TokenizerFiles {
  'vocab.json': string
  'merges.txt': string
  'tokenizer_config.json': string
  'special_tokens_map.json': string
}

const CORPUS =
  'a photo of the cat and the dog on a shirt design with retro art style ' +
  'print mug poster red blue green white black vintage illustration pattern'
const MERGES = 64
const BOS = '<|startoftext|>'
const EOS = '<|endoftext|>'
const UTF8 = new TextEncoder()

/** The tiny tokenizer: its files and how many ids the text encoder must embed. */
export interface TinyTokenizer {
  files: TokenizerFiles
  vocabSize: number
}

/**
 * Builds the tiny tokenizer.
 * @param padToken SD 1.x pads with the end token; SDXL's second tokenizer with `!`
 * @example
 * const { files, vocabSize } = tinyTokenizer()
 */
export function tinyTokenizer(padToken = EOS): TinyTokenizer {
  const merges = learnMerges(CORPUS.split(' '), MERGES)
  const tokens = [
    ...BYTE_SYMBOLS_IN_VOCAB_ORDER,
    ...BYTE_SYMBOLS_IN_VOCAB_ORDER.map((c) => `${c}</w>`),
    ...merges.map(([a, b]) => a + b),
    BOS,
    EOS,
  ]
  const vocab = Object.fromEntries(tokens.map((t, i) => [t, i]))
  const special = { bos_token: BOS, eos_token: EOS, pad_token: padToken, unk_token: EOS }
  const files: TokenizerFiles = {
    'vocab.json': JSON.stringify(vocab),
    'merges.txt': `${['#version: 0.2', ...merges.map(([a, b]) => `${a} ${b}`)].join('\n')}\n`,
    'tokenizer_config.json': JSON.stringify(
      { ...special, model_max_length: 77, tokenizer_class: 'CLIPTokenizer' },
      null,
      2,
    ),
    'special_tokens_map.json': JSON.stringify(special, null, 2),
  }
  return { files, vocabSize: tokens.length }
}

/** Plain BPE training: repeatedly merge the most frequent adjacent pair (ties: first seen). */
function learnMerges(words: readonly string[], count: number): [string, string][] {
  let split = words.map((w) => {
    const symbols = Array.from(UTF8.encode(w), (b) => BYTE_TO_UNICODE[b]!)
    symbols[symbols.length - 1] += '</w>'
    return symbols
  })
  const merges: [string, string][] = []
  while (merges.length < count) {
    const counts = new Map<string, number>()
    for (const symbols of split) {
      for (let i = 0; i < symbols.length - 1; i++) {
        const key = `${symbols[i]} ${symbols[i + 1]}`
        counts.set(key, (counts.get(key) ?? 0) + 1)
      }
    }
    let best = ''
    let bestCount = 0
    for (const [key, n] of counts) {
      if (n > bestCount) {
        best = key
        bestCount = n
      }
    }
    if (bestCount === 0) break
    const [a = '', b = ''] = best.split(' ')
    merges.push([a, b])
    split = split.map((symbols) => {
      const out: string[] = []
      for (let i = 0; i < symbols.length; i++) {
        if (i < symbols.length - 1 && symbols[i] === a && symbols[i + 1] === b) {
          out.push(a + b)
          i++
        } else out.push(symbols[i]!)
      }
      return out
    })
  }
  return merges
}
