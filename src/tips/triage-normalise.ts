/**
 * Turns a message into the words the triage rules compare: lower case, tone marks on one fixed
 * vowel, repeated letters squeezed ("cứuuuu"), digits read as letters ("ch3t"), and chat
 * shorthand spelled out ("đg bj" → "đang bị"). Rule phrases pass through the same letters, so
 * both sides meet however the student typed.
 */
import { readKeyboardLeftovers } from './triage-keyboard.js'

/**
 * A letter as typed, split into its base and the marks put on it. Hỏi and ngã stay apart: "bảo"
 * (said) is not "bão" (storm), and a writer who types marks types these two as they mean them.
 * đ is d with a stroke, so "d" typed for "đ" is a left-out mark.
 */
export interface Letter {
  base: string
  marks: string
}
export type Word = Letter[]

export const stroke = 'đ'
/** Grave, acute, hook above, tilde and dot below: the marks that carry the tone. */
export const toneMarks = new Set(['\u0300', '\u0301', '\u0309', '\u0303', '\u0323'])
/** Sentence and clause breaks: a phrase never spans "… đang. Cháy …" nor "… chạy, cháy …". */
const clauseBreak = /[.!?;,\n\r…]+/
const sentenceBreak = /[.!?\n\r…]+/
const digitLetters: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a' }

export function lowerNfc(text: string): string {
  return text.normalize('NFC').toLowerCase()
}

export function wordsOf(text: string): string[] {
  return text.match(/[\p{L}\p{M}\p{N}]+/gu) ?? []
}

/** A message as clauses of words, shorthand expanded; each word is the form the rules compare. */
export function clausesOf(text: string, teencode: ReadonlyMap<string, string[]>): Word[][] {
  return sentencesOf(text, teencode).flat()
}

/**
 * The clauses, grouped by sentence (split at . ! ? … and line breaks): a film or a drill named
 * in one sentence says nothing about what another sentence reports. Keyboard leftovers are read
 * over the whole message first, since Telex is recognised from two words of it.
 */
export function sentencesOf(text: string, teencode: ReadonlyMap<string, string[]>): Word[][][] {
  return readKeyboardLeftovers(lowerNfc(text))
    .split(sentenceBreak)
    .map((sentence) =>
      sentence
        .split(clauseBreak)
        .map((clause) => wordsOf(clause).flatMap((raw) => expandWord(raw, teencode)))
        .filter((clause) => clause.length > 0),
    )
    .filter((sentence) => sentence.length > 0)
}

/** A word of a rule phrase, read the way typed words are, so "free fire" meets "free fire". */
export function ruleWord(word: string): Word {
  return lettersOf(squeezeRepeats(lowerNfc(word)))
}

function expandWord(raw: string, teencode: ReadonlyMap<string, string[]>): Word[] {
  const squeezed = squeezeRepeats(readDigits(raw))
  const spelled = teencode.get(squeezed) ?? teencode.get(raw)
  return spelled ? spelled.map(lettersOf) : [lettersOf(squeezed)]
}

/** "ch3t", "t0i": a digit between letters is a letter; "10a3" and "500k" stay as they are. */
function readDigits(word: string): string {
  if (!/^\p{L}+\d\p{L}+$/u.test(word)) return word
  return word.replace(/\d/g, (digit) => digitLetters[digit] ?? digit)
}

/**
 * "cứuuuu", "giúppp" → "cứu", "giúp". A doubled "o" or "u" after a consonant is a real spelling
 * ("xoong", "cuu" for "cứu", "huu" for "hưu"), so it stays doubled.
 */
function squeezeRepeats(word: string): string {
  return word.replace(/(\p{L}\p{M}*)\1+/gu, (_run, letter: string, offset: number) => {
    const doubledVowel = (letter === 'o' || letter === 'u') && offset > 0 && !vowels.test(word[offset - 1]!.normalize('NFD')[0]!)
    return doubledVowel ? letter + letter : letter
  })
}

const vowels = /[aeiouy]/

export function lettersOf(word: string): Word {
  const letters: Word = []
  for (const char of lowerNfc(word).normalize('NFD')) {
    const last = letters.at(-1)
    if (/\p{M}/u.test(char)) {
      if (last) last.marks = sortMarks(last.marks + char)
    } else if (char === 'đ') {
      letters.push({ base: 'd', marks: stroke })
    } else {
      letters.push({ base: char, marks: '' })
    }
  }
  return foldTonePlacement(hornBothVowels(letters))
}

/**
 * A word carries one tone, and where it sits is only a spelling habit ("hoả"/"hỏa") or a slip of
 * the keyboard ("rôì" for "rồi", "noí" for "nói", "maú" for "máu"). No two words differ only in
 * which vowel holds the tone, so it is moved to the first vowel on both sides and they meet.
 */
function foldTonePlacement(letters: Word): Word {
  const first = letters.findIndex((letter) => vowels.test(letter.base))
  if (first < 0) return letters
  let tone = ''
  for (const letter of letters) {
    tone += [...letter.marks].filter((mark) => toneMarks.has(mark)).join('')
    letter.marks = [...letter.marks].filter((mark) => !toneMarks.has(mark)).join('')
  }
  letters[first]!.marks = sortMarks(letters[first]!.marks + tone)
  return letters
}

/**
 * "truơng" for "trường": a keyboard that puts the horn on the o alone. No word is spelt with "uơ"
 * but for "thuở", "huơ" and "quơ", which have no "ươ" twin, so reading every "uơ" as "ươ" is safe.
 */
function hornBothVowels(letters: Word): Word {
  for (let i = 0; i + 1 < letters.length; i++) {
    const u = letters[i]!
    const o = letters[i + 1]!
    if (u.base === 'u' && o.base === 'o' && o.marks.includes(horn) && !u.marks.includes(horn)) u.marks = sortMarks(u.marks + horn)
  }
  return letters
}

const horn = '\u031b'

function sortMarks(marks: string): string {
  return [...marks].sort().join('')
}
