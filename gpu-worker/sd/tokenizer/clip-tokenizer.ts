/**
 * @module
 * CLIP's byte-level BPE tokenizer, as Stable Diffusion's text encoder expects it:
 * the clean-up and split of `CLIPTokenizerFast` (NFC, whitespace collapsed,
 * lower-cased, CLIP's split pattern), bytes mapped to unicode stand-ins, `</w>`
 * on each word's last symbol, merges applied by rank, then bos + ids + eos,
 * truncated and padded to the encoder's 77 positions.
 */
import { BYTE_TO_UNICODE } from './bytes-to-unicode.ts'
import type { ClipTokenizerData } from './load-tokenizer-files.ts'

// CLIP's split pattern. The `i` flag matches the Python regex's IGNORECASE, `u` makes \p{..} work.
const SPLIT_PATTERN =
  /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+/giu
const END_OF_WORD = '</w>'
// A worker sees endless distinct prompts; bound the word cache so it cannot grow without end.
const MAX_CACHED_WORDS = 20_000
const UTF8 = new TextEncoder()

/** A prompt as the text encoder takes it. */
export interface EncodedPrompt {
  /** `maxLength` ids: bos, tokens, eos, then padding. */
  ids: Int32Array
  /** How many of `ids` are not padding (bos and eos included). */
  length: number
  /** Whether the prompt was longer than `maxLength` and lost tokens. */
  truncated: boolean
}

/**
 * Tokenizes text for CLIP text encoders.
 * @example
 * const tokenizer = new ClipTokenizer(await loadClipTokenizerData(dir))
 * tokenizer.tokenize('a photo of a cat') // [49406, 320, 1125, 539, 320, 2368, 49407]
 */
export class ClipTokenizer {
  /** Id of `<|startoftext|>` (or the configured bos token). */
  readonly bosId: number
  /** Id of `<|endoftext|>` (or the configured eos token). */
  readonly eosId: number
  /** Id used to pad to {@link maxLength}: eos for SD 1.x, `!` (0) for SD 2. */
  readonly padId: number
  /** Positions the text encoder takes, bos and eos included. */
  readonly maxLength: number
  private readonly unkId: number
  private readonly vocab: Map<string, number>
  private readonly ranks: Map<string, number>
  private readonly specialIds: Map<string, number>
  private readonly cache = new Map<string, readonly number[]>()

  constructor(data: ClipTokenizerData) {
    this.vocab = new Map(Object.entries(data.vocab))
    this.ranks = new Map(data.merges.map(([a, b], rank) => [pairKey(a, b), rank]))
    const id = (token: string): number => {
      const value = this.vocab.get(token)
      if (value === undefined) throw new Error(`Tokenizer: token ${token} is not in the vocab`)
      return value
    }
    this.bosId = id(data.bosToken)
    this.eosId = id(data.eosToken)
    this.padId = id(data.padToken)
    this.unkId = id(data.unkToken)
    this.maxLength = data.maxLength
    this.specialIds = new Map([
      [data.bosToken, this.bosId],
      [data.eosToken, this.eosId],
    ])
  }

  /** Token ids of `text` with bos and eos, neither truncated nor padded. */
  tokenize(text: string): number[] {
    const ids = [this.bosId]
    for (const match of clean(text).matchAll(SPLIT_PATTERN)) {
      const special = this.specialIds.get(match[0])
      if (special !== undefined) ids.push(special)
      else for (const id of this.wordIds(match[0])) ids.push(id)
    }
    ids.push(this.eosId)
    return ids
  }

  /** Ids for the text encoder: truncated to {@link maxLength} with eos kept last, then padded. */
  encode(text: string): EncodedPrompt {
    const all = this.tokenize(text)
    const truncated = all.length > this.maxLength
    const kept = truncated ? [...all.slice(0, this.maxLength - 1), this.eosId] : all
    const ids = new Int32Array(this.maxLength).fill(this.padId)
    ids.set(kept)
    return { ids, length: kept.length, truncated }
  }

  private wordIds(word: string): readonly number[] {
    const cached = this.cache.get(word)
    if (cached) return cached
    const ids = this.bpe(toByteSymbols(word)).map((piece) => this.vocab.get(piece) ?? this.unkId)
    if (this.cache.size >= MAX_CACHED_WORDS) this.cache.clear()
    this.cache.set(word, ids)
    return ids
  }

  /** Merges adjacent symbols, lowest rank first, until no known pair is left. */
  private bpe(symbols: string[]): string[] {
    let word = symbols
    while (word.length > 1) {
      let best = -1
      let bestRank = Number.POSITIVE_INFINITY
      for (let i = 0; i < word.length - 1; i++) {
        const rank = this.ranks.get(pairKey(word[i]!, word[i + 1]!))
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank
          best = i
        }
      }
      if (best < 0) break
      const first = word[best]!
      const second = word[best + 1]!
      // Merge every occurrence of the pair, left to right, as CLIP's bpe() does.
      const merged: string[] = []
      for (let i = 0; i < word.length; i++) {
        if (i < word.length - 1 && word[i] === first && word[i + 1] === second) {
          merged.push(first + second)
          i++
        } else {
          merged.push(word[i]!)
        }
      }
      word = merged
    }
    return word
  }
}

/** The fast tokenizer's normalizer: NFC, runs of whitespace to one space, lower case. */
function clean(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim().toLowerCase()
}

/** A word's UTF-8 bytes as unicode stand-ins, `</w>` appended to the last. */
function toByteSymbols(word: string): string[] {
  const symbols = Array.from(UTF8.encode(word), (b) => BYTE_TO_UNICODE[b]!)
  symbols[symbols.length - 1] += END_OF_WORD
  return symbols
}

function pairKey(first: string, second: string): string {
  // A space never occurs inside a symbol (bytes map to non-space stand-ins), so it separates safely.
  return `${first} ${second}`
}
