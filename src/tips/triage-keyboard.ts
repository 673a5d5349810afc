/**
 * Students on a phone without a Vietnamese keyboard, or whose keyboard is switched off, leave the
 * typing method's keys in the text: VNI digits ("nha2 e dang chay1" for "nhà em đang cháy") and
 * Telex letters ("banj em bij ngaats" for "bạn em bị ngất"). This turns them back into the letters
 * meant, so the triage reads them as it reads any other message. A word is only rewritten when the
 * result is a Vietnamese syllable; Telex only when two or more words of the message read as Telex,
 * so a lone English "is" or "gas" stays as typed.
 */

const tone: Record<string, string> = { s: '\u0301', f: '\u0300', r: '\u0309', x: '\u0303', j: '\u0323' }
const vniTone: Record<string, string> = { '1': '\u0301', '2': '\u0300', '3': '\u0309', '4': '\u0303', '5': '\u0323' }
const telexShapes: [RegExp, string][] = [
  [/dd/g, 'đ'],
  [/uow/g, 'ươ'],
  [/aa/g, 'â'],
  [/aw/g, 'ă'],
  [/ee/g, 'ê'],
  [/oo/g, 'ô'],
  [/ow/g, 'ơ'],
  [/uw/g, 'ư'],
]
const vniShapes: [RegExp, string][] = [
  [/d9/g, 'đ'],
  [/a6/g, 'â'],
  [/e6/g, 'ê'],
  [/o6/g, 'ô'],
  [/a8/g, 'ă'],
  [/uo7/g, 'ươ'],
  [/o7/g, 'ơ'],
  [/u7/g, 'ư'],
]
const vowel = /[aăâeêioôơuưy]/
const syllable = /^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?[aăâeêioôơuưy]{1,3}(ng|nh|ch|[cmnpt])?$/
/** English words that look like Telex ("is" → "í"): never rewritten. */
const english = new Set(['is', 'as', 'was', 'has', 'yes', 'gas', 'bus', 'pls', 'plz', 'does', 'goes', 'this', 'his', 'us', 'vs', 'ms', 'ox', 'sex', 'tax', 'box', 'fix', 'mix', 'six', 'max', 'hex', 'lol', 'miss', 'kiss', 'boss', 'class', 'pass', 'bro', 'sis', 'her', 'per', 'for', 'or', 'er', 'nor', 'sir', 'fur'])

export function readKeyboardLeftovers(text: string): string {
  const withVni = text.replace(/[\p{L}\p{N}]+/gu, (word) => readVni(word) ?? word)
  const telex = new Map<string, string>()
  for (const word of withVni.match(/\p{L}+/gu) ?? []) {
    const read = readTelex(word)
    if (read) telex.set(word, read)
  }
  if (telex.size < 2) return withVni
  return withVni.replace(/\p{L}+/gu, (word) => telex.get(word) ?? word)
}

/** "chay1" → "cháy", "nguo7i2" → "người"; undefined when the word is not VNI. */
function readVni(word: string): string | undefined {
  if (!/^[a-zđ][a-zđ0-9]*$/.test(word) || !/[a-zđ][1-9]/.test(word)) return undefined
  let base = word
  for (const [shape, letter] of vniShapes) base = base.replace(shape, letter)
  const tones = [...base.matchAll(/[1-5]/g)].map((m) => vniTone[m[0]]!)
  base = base.replace(/[1-5]/g, '')
  if (/\d/.test(base) || !syllable.test(base) || tones.length > 1) return undefined
  return placeTone(base, tones[0])
}

/** "ngaats" → "ngất", "nguowif" → "người"; undefined when the word does not read as Telex. */
function readTelex(word: string): string | undefined {
  if (english.has(word) || !/^[a-zđ]+$/.test(word)) return undefined
  let base = word
  let mark: string | undefined
  const firstVowel = base.search(vowel)
  if (firstVowel < 0) return undefined
  const toneAt = Math.max(...[...'sfrxj'].map((key) => base.lastIndexOf(key)))
  if (toneAt > firstVowel) {
    mark = tone[base[toneAt]!]
    base = base.slice(0, toneAt) + base.slice(toneAt + 1)
  }
  for (const [shape, letter] of telexShapes) base = base.replace(shape, letter)
  if (base === word || !syllable.test(base)) return undefined
  return placeTone(base, mark)
}

/**
 * Puts the tone where Vietnamese writes it: on the vowel with a shape mark (the last one, "ươ"),
 * else on the last vowel before a final consonant, else on the one before last ("bài", "người").
 */
function placeTone(base: string, mark: string | undefined): string {
  if (!mark) return base
  const start = /^(qu|gi)(?=[aăâeêioôơuưy])/.test(base) ? 2 : 0
  const positions = [...base].map((letter, i) => (i >= start && vowel.test(letter) ? i : -1)).filter((i) => i >= 0)
  if (positions.length === 0) return base
  const shaped = positions.filter((i) => /[ăâêôơư]/.test(base[i]!))
  const last = positions.at(-1)!
  const final = last < base.length - 1
  const at = shaped.length ? shaped.at(-1)! : final || positions.length === 1 ? last : positions.at(-2)!
  return (base.slice(0, at + 1) + mark + base.slice(at + 1)).normalize('NFC')
}
