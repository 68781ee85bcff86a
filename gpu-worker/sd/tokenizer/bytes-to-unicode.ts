/**
 * @module
 * GPT-2/CLIP byte-level BPE works on printable stand-ins for bytes: every byte
 * 0-255 maps to one unicode character, so that whitespace and control bytes never
 * appear in vocab entries. The table is the one `bytes_to_unicode()` builds in
 * openai/CLIP `simple_tokenizer.py`.
 */

/** `BYTE_TO_UNICODE[b]` is the character that stands for byte `b`. */
export const BYTE_TO_UNICODE: readonly string[] = buildTable()

function buildTable(): string[] {
  const printable: number[] = []
  const ranges: [number, number][] = [
    [0x21, 0x7e], // '!'..'~'
    [0xa1, 0xac], // '¡'..'¬'
    [0xae, 0xff], // '®'..'ÿ'
  ]
  for (const [from, to] of ranges) for (let b = from; b <= to; b++) printable.push(b)
  const table = new Array<string>(256)
  for (const b of printable) table[b] = String.fromCharCode(b)
  // The remaining bytes (space, controls, ...) take code points from 256 upward, in byte order.
  let next = 256
  for (let b = 0; b < 256; b++) {
    if (table[b] === undefined) table[b] = String.fromCharCode(next++)
  }
  return table
}

/**
 * The byte symbols in the order CLIP's vocab lists them (the order of the
 * Python dict: printable bytes first, then the rest), which is code-point order.
 */
export const BYTE_SYMBOLS_IN_VOCAB_ORDER: readonly string[] = [...BYTE_TO_UNICODE].sort(
  (a, b) => a.charCodeAt(0) - b.charCodeAt(0),
)
