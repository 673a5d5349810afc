/**
 * The small phrase language of content/tips/emergency-keywords.yaml. A pattern is words in order,
 * where `(a|b c)` is one of several wordings, `(…)?` may be left out, `<name>` is any wording of a
 * named class (people, family members…), `…` stands for up to three other words, and `^` / `$`
 * mark the start / end of a clause ("cháy!!!" alone is a fire; "cháy túi" is not).
 */
import { ruleWord, stroke, toneMarks, wordsOf, type Word } from './triage-normalise.js'

type Slot = { options: Word[][]; optional: boolean } | { gap: number } | { anchor: 'start' | 'end' }

export interface Pattern {
  /** As written in the file: shown to officers and used when tuning the rules. */
  text: string
  slots: Slot[]
  /** Match only when typed with the same diacritics (their plain spelling is ordinary speech). */
  needsDiacritics: boolean
  /**
   * A word typed with a tone must carry exactly the rule's marks: used for idioms, which only ever
   * take words away from danger, so "đánh trúng" must not pass for "đánh trứng". A word typed
   * with its vowel shapes but no tone ("con hâu" for "con hậu") is matched as usual.
   */
  exactWhenMarked?: boolean
}

export interface Span {
  start: number
  end: number
  /** The words the pattern's own wordings took, leaving out those a `…` stepped over. */
  words?: number[]
}

const gapWords = 3
const token = /\(([^()]*)\)(\?)?|<([^<>\s]+)>|…|\^|\$|[^\s()<>…^$]+/gu

/** Why a pattern cannot be read, in a few words; undefined when it can. */
export function patternProblem(text: string, classes: ReadonlyMap<string, string[]>): string | undefined {
  const stripped = text.replace(token, '').trim()
  if (stripped) return `has unbalanced brackets near "${stripped}"`
  for (const [, group, , name] of text.matchAll(token)) {
    if (name !== undefined && !classes.has(name)) return `names an unknown class <${name}>`
    if (group !== undefined && /[\^$]/.test(group)) return 'puts ^ or $ inside ( | ); write the anchor outside, as a separate phrase if need be'
    if (group !== undefined && group.split('|').some((option) => wordsOf(option).length === 0)) return 'has an empty choice in ( | )'
  }
  const slots = [...text.matchAll(token)]
  if (slots.every(([whole]) => whole === '…' || whole === '^' || whole === '$')) return 'must contain at least one word'
  return undefined
}

export function compilePattern(text: string, classes: ReadonlyMap<string, string[]>, needsDiacritics: boolean, exactWhenMarked = false): Pattern {
  const slots: Slot[] = []
  for (const [whole, group, optional, name] of text.matchAll(token)) {
    if (whole === '…') slots.push({ gap: gapWords })
    else if (whole === '^' || whole === '$') slots.push({ anchor: whole === '^' ? 'start' : 'end' })
    else if (name !== undefined) slots.push({ options: (classes.get(name) ?? []).map(wordsOfOption), optional: false })
    else if (group !== undefined) slots.push({ options: group.split('|').map(wordsOfOption), optional: optional === '?' })
    else slots.push(...wordsOf(whole).map((word) => ({ options: [[ruleWord(word)]], optional: false })))
  }
  return { text, slots, needsDiacritics, exactWhenMarked }
}

/** Every place the pattern matches in a clause: the first, shortest reading from each start. */
export function findPattern(clause: Word[], pattern: Pattern): Span[] {
  const spans: Span[] = []
  for (let start = 0; start < clause.length; start++) {
    const words: number[] = []
    const end = matchFrom(clause, pattern, 0, start, words)
    if (end >= 0) spans.push({ start, end, words })
  }
  return spans
}

/** Where the pattern's slots match from `at`; `taken` collects the words they consumed (not those a `…` skipped). */
function matchFrom(clause: Word[], pattern: Pattern, slotIndex: number, at: number, taken: number[]): number {
  if (slotIndex === pattern.slots.length) return at
  const slot = pattern.slots[slotIndex]!
  if ('anchor' in slot) return (slot.anchor === 'start' ? at === 0 : at === clause.length) ? matchFrom(clause, pattern, slotIndex + 1, at, taken) : -1
  if ('gap' in slot) {
    for (let skip = 0; skip <= slot.gap && at + skip <= clause.length; skip++) {
      const end = matchFrom(clause, pattern, slotIndex + 1, at + skip, taken)
      if (end >= 0) return end
    }
    return -1
  }
  for (const option of slot.options) {
    if (option.every((word, i) => at + i < clause.length && wordMatches(clause[at + i]!, word, pattern.needsDiacritics || (pattern.exactWhenMarked === true && hasTone(clause[at + i]!))))) {
      const before = taken.length
      for (let i = 0; i < option.length; i++) taken.push(at + i)
      const end = matchFrom(clause, pattern, slotIndex + 1, at + option.length, taken)
      if (end >= 0) return end
      taken.length = before
    }
  }
  return slot.optional ? matchFrom(clause, pattern, slotIndex + 1, at, taken) : -1
}

/**
 * Marks typed must agree with the rule; marks left out are free (unless the rule needs them). A
 * word typed with any mark was typed on a Vietnamese keyboard, so its vowel shapes (â, ơ, ư…)
 * are as meant: "đam" (đam mê) is not "đấm", though a tone may still be left out ("đanh").
 */
export function wordMatches(typed: Word, rule: Word, needsDiacritics: boolean): boolean {
  if (typed.length !== rule.length) return false
  const marked = isMarked(typed)
  return typed.every((letter, i) => {
    const ruleLetter = rule[i]!
    if (letter.base !== ruleLetter.base) return false
    if (needsDiacritics) return withoutStroke(letter.marks) === withoutStroke(ruleLetter.marks) && (!letter.marks.includes(stroke) || ruleLetter.marks.includes(stroke))
    if (marked && shapeOf(letter.marks) !== shapeOf(ruleLetter.marks)) return false
    return [...letter.marks].every((mark) => ruleLetter.marks.includes(mark) || (mark === tilde && ruleLetter.marks.includes(hookAbove)))
  })
}

/** Ngã typed for hỏi ("tự tữ") is a common slip; hỏi typed for ngã is usually another word ("bảo", not "bão"). */
const tilde = '\u0303'
const hookAbove = '\u0309'

function shapeOf(marks: string): string {
  return [...marks].filter((mark) => mark !== stroke && !toneMarks.has(mark)).join('')
}

function hasTone(word: Word): boolean {
  return word.some((letter) => [...letter.marks].some((mark) => toneMarks.has(mark)))
}

function isMarked(word: Word): boolean {
  return word.some((letter) => letter.marks !== '')
}

function wordsOfOption(option: string): Word[] {
  return wordsOf(option).map(ruleWord)
}

function withoutStroke(marks: string): string {
  return marks.replace(stroke, '')
}
