/**
 * @module
 * Reads a Hugging Face CLIP tokenizer folder (`vocab.json`, `merges.txt`, and the
 * optional `tokenizer_config.json` / `special_tokens_map.json`) into plain data.
 * Which tokens are bos/eos/pad differs between SD 1.x and SD 2, so it comes from
 * these files, never from constants.
 */
import { join } from 'node:path'
import { z } from 'zod'
import { readJsonFile, readOptionalJsonFile, readTextFile, SdModelError } from '../files.ts'

/** Everything {@link ClipTokenizer} needs, as read from a tokenizer folder. */
export interface ClipTokenizerData {
  vocab: Record<string, number>
  /** Merge rules in rank order, each `[first, second]`. */
  merges: [string, string][]
  bosToken: string
  eosToken: string
  padToken: string
  unkToken: string
  /** Sequence length the text encoder takes (77 for every SD release). */
  maxLength: number
}

const DEFAULT_MAX_LENGTH = 77
// Some configs carry a huge sentinel (1e30) meaning "no limit"; the text encoder still takes 77.
const LONGEST_SENSIBLE_MAX_LENGTH = 1024

const tokenField = z.union([z.string(), z.object({ content: z.string() })]).optional()
const configSchema = z
  .object({
    bos_token: tokenField,
    eos_token: tokenField,
    pad_token: tokenField,
    unk_token: tokenField,
    model_max_length: z.number().optional(),
  })
  .loose()

const vocabSchema = z.record(z.string(), z.number().int().nonnegative())

/**
 * Loads the tokenizer files in `dir`.
 * @throws SdModelError naming the missing or malformed file.
 */
export async function loadClipTokenizerData(dir: string): Promise<ClipTokenizerData> {
  const vocab = await readJsonFile(join(dir, 'vocab.json'), 'tokenizer vocab', vocabSchema)
  const merges = parseMerges(
    await readTextFile(join(dir, 'merges.txt'), 'tokenizer merges'),
    join(dir, 'merges.txt'),
  )
  const config =
    (await readOptionalJsonFile(
      join(dir, 'tokenizer_config.json'),
      'tokenizer config',
      configSchema,
    )) ?? {}
  const special =
    (await readOptionalJsonFile(
      join(dir, 'special_tokens_map.json'),
      'tokenizer special tokens',
      configSchema,
    )) ?? {}
  // special_tokens_map.json wins over tokenizer_config.json, as in transformers.
  const pick = (key: 'bos_token' | 'eos_token' | 'pad_token' | 'unk_token'): string | undefined =>
    tokenText(special[key]) ?? tokenText(config[key])

  const eosToken = pick('eos_token') ?? '<|endoftext|>'
  const maxLength = config.model_max_length
  const data: ClipTokenizerData = {
    vocab,
    merges,
    bosToken: pick('bos_token') ?? '<|startoftext|>',
    eosToken,
    // openai CLIP and SD 1.x pad with the end token when no pad token is named.
    padToken: pick('pad_token') ?? eosToken,
    unkToken: pick('unk_token') ?? eosToken,
    maxLength:
      maxLength !== undefined &&
      Number.isInteger(maxLength) &&
      maxLength <= LONGEST_SENSIBLE_MAX_LENGTH
        ? maxLength
        : DEFAULT_MAX_LENGTH,
  }
  for (const key of ['bosToken', 'eosToken', 'padToken', 'unkToken'] as const) {
    if (vocab[data[key]] === undefined) {
      throw new SdModelError(
        `${join(dir, 'vocab.json')}: special token ${data[key]} (${key}) is not in the vocab`,
      )
    }
  }
  return data
}

function tokenText(value: string | { content: string } | undefined): string | undefined {
  if (value === undefined) return undefined
  return typeof value === 'string' ? value : value.content
}

/** merges.txt: an optional `#version` header, then one `first second` pair per line. */
function parseMerges(text: string, file: string): [string, string][] {
  const merges: [string, string][] = []
  const lines = text.split(/\r?\n/)
  lines.forEach((line, index) => {
    if (line === '' || (index === 0 && line.startsWith('#version'))) return
    const parts = line.split(' ')
    if (parts.length !== 2 || !parts[0] || !parts[1]) {
      throw new SdModelError(
        `${file}:${index + 1}: expected "first second", got ${JSON.stringify(line)}`,
      )
    }
    merges.push([parts[0], parts[1]])
  })
  return merges
}
