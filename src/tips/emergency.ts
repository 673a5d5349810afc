import { z } from 'zod'
import { hasVietnameseDiacritics } from '../core/fold.js'
import { readYamlFile, validateDataFile } from '../core/data-file.js'

/** Relative to the working directory, as `schedules/` is: the repository root, or /app in the image. */
export const defaultEmergencyRulesPath = 'content/tips/emergency-keywords.yaml'

export const hotlines = ['113', '114', '115', '111'] as const
export type Hotline = (typeof hotlines)[number]

export const hotlineLabels: Record<Hotline, string> = {
  '113': 'Công an: có người bị tấn công, đe dọa, có vũ khí',
  '114': 'Cứu hỏa, cứu nạn, cứu hộ: cháy, nổ, đuối nước, mắc kẹt',
  '115': 'Cấp cứu: người bị thương, ngất, khó thở',
  '111': 'Tổng đài bảo vệ trẻ em: bị xâm hại, bạo hành, cần người giúp (miễn phí, 24/7)',
}

const hotlineShortLabels: Record<Hotline, string> = {
  '113': 'công an',
  '114': 'cứu hỏa, cứu nạn',
  '115': 'cấp cứu',
  '111': 'bảo vệ trẻ em',
}

const phrase = z
  .string()
  .trim()
  .refine((text) => wordsOf(text).length > 0, { error: 'must contain at least one word' })

const singleWord = z.string().regex(/^[\p{L}\p{M}\p{N}]+$/u, { error: 'must be a single word' })

export const emergencyRulesFileSchema = z
  .object({
    abbreviations: z.record(singleWord, singleWord).default({}),
    kinds: z
      .array(
        z
          .object({
            kind: z.string().regex(/^[a-z][a-z0-9-]*$/, { error: 'must be a lowercase id such as self-harm' }),
            hotlines: z.array(z.coerce.string().pipe(z.enum(hotlines, { error: `must be one of ${hotlines.join(', ')}` }))).min(1),
            advice: z.string().trim().min(5),
            phrases: z.array(phrase).default([]),
            onlyWithDiacritics: z
              .array(phrase.refine(hasVietnameseDiacritics, { error: 'has no diacritics, so it cannot require them; move it to phrases' }))
              .default([]),
          })
          .strict()
          .refine((kind) => kind.phrases.length + kind.onlyWithDiacritics.length > 0, { error: 'needs at least one phrase' }),
      )
      .min(1),
  })
  .strict()
  .superRefine((file, ctx) => {
    const kinds = new Set<string>()
    const phrases = new Map<string, string>()
    file.kinds.forEach((kind, index) => {
      if (kinds.has(kind.kind)) ctx.addIssue({ code: 'custom', path: ['kinds', index, 'kind'], message: `duplicates ${kind.kind}` })
      kinds.add(kind.kind)
      for (const text of [...kind.phrases, ...kind.onlyWithDiacritics]) {
        const key = wordsOf(lowerNfc(text)).join(' ')
        const earlier = phrases.get(key)
        if (earlier) ctx.addIssue({ code: 'custom', path: ['kinds', index], message: `lists "${text}" again (already under ${earlier})` })
        phrases.set(key, kind.kind)
      }
    })
  })

export type EmergencyRulesFile = z.infer<typeof emergencyRulesFileSchema>

/**
 * A letter as typed, split into its base and the marks put on it. Ngã is stored as hỏi, because
 * many writers mix the two up; đ is d with a stroke, so "d" typed for "đ" is a left-out mark.
 */
interface Letter {
  base: string
  marks: string
}
type Word = Letter[]

interface Phrase {
  text: string
  words: Word[]
  /** Match only when typed with the same diacritics (their plain spelling is ordinary speech). */
  needsDiacritics: boolean
}

export interface EmergencyKind {
  kind: string
  hotlines: Hotline[]
  advice: string
  phrases: Phrase[]
}

export interface EmergencyRules {
  kinds: EmergencyKind[]
  abbreviations: ReadonlyMap<string, string>
}

/**
 * `emergency`: danger now; the hotlines go out first and the tip is filed as urgent at once.
 * `possible`: danger words with a cue that lowers them (a negation, a past event, an idiom);
 * the bot asks one question before treating it as an emergency.
 */
export type TriageLevel = 'emergency' | 'possible'

export interface EmergencyMatch {
  level: TriageLevel
  /** In the file's order, which is most pressing first. */
  kinds: string[]
  /** The matched kinds' hotlines, most relevant first, each once. */
  hotlines: Hotline[]
  /** The rule phrases that matched, as written in the file: for the officer and for tuning the rules. */
  phrases: string[]
  advice: string[]
}

const stroke = 'đ'
const tilde = '\u0303'
const hookAbove = '\u0309'
/** A phrase never spans two sentences: "… đang. Cháy …" is not "đang cháy". */
const sentenceBreak = /[.!?;\n\r…]+/

export function loadEmergencyRules(path: string = defaultEmergencyRulesPath): EmergencyRules {
  const raw = readYamlFile(path)
  return compileEmergencyRules(validateDataFile(emergencyRulesFileSchema, raw, path))
}

export function compileEmergencyRules(file: EmergencyRulesFile): EmergencyRules {
  return {
    abbreviations: new Map(Object.entries(file.abbreviations).map(([short, full]) => [lowerNfc(short), lowerNfc(full)])),
    kinds: file.kinds.map((kind) => ({
      kind: kind.kind,
      hotlines: unique(kind.hotlines),
      advice: kind.advice,
      phrases: [
        ...kind.phrases.map((text) => compilePhrase(text, false)),
        ...kind.onlyWithDiacritics.map((text) => compilePhrase(text, true)),
      ],
    })),
  }
}

/** Whether a message signals immediate danger, and which hotlines fit it best; null for an ordinary tip. */
export function detectEmergency(rules: EmergencyRules, text: string): EmergencyMatch | null {
  const sentences = lowerNfc(text)
    .split(sentenceBreak)
    .map((sentence) => wordsOf(sentence).map((word) => lettersOf(rules.abbreviations.get(word) ?? word)))
  const matched = rules.kinds
    .map((kind) => ({ kind, phrases: kind.phrases.filter((p) => sentences.some((sentence) => containsPhrase(sentence, p))) }))
    .filter((found) => found.phrases.length > 0)
  if (matched.length === 0) return null
  return {
    level: 'emergency',
    kinds: matched.map((found) => found.kind.kind),
    hotlines: unique(matched.flatMap((found) => found.kind.hotlines)),
    phrases: matched.flatMap((found) => found.phrases.map((p) => p.text)),
    advice: unique(matched.map((found) => found.kind.advice)),
  }
}

/** The answer sent at once: call now, what to do, all four numbers (most relevant first), and that the tip still goes through. */
export function emergencyReply(match: Pick<EmergencyMatch, 'hotlines'> & Partial<Pick<EmergencyMatch, 'advice'>>): string {
  const ordered = unique([...match.hotlines, ...hotlines])
  const first = ordered[0]!
  return [
    `🚨 Hãy gọi ngay ${first} (${hotlineShortLabels[first]}) nếu bạn hoặc ai đó đang gặp nguy hiểm.`,
    ...(match.advice ?? []),
    '',
    ...ordered.map((number) => `📞 ${number}: ${hotlineLabels[number]}`),
    '',
    'Tin báo của bạn vẫn được chuyển ngay tới cán bộ phụ trách như một tin khẩn cấp.',
  ].join('\n')
}

function compilePhrase(text: string, needsDiacritics: boolean): Phrase {
  return { text, words: wordsOf(lowerNfc(text)).map(lettersOf), needsDiacritics }
}

function containsPhrase(sentence: Word[], p: Phrase): boolean {
  const last = sentence.length - p.words.length
  for (let start = 0; start <= last; start++) {
    if (p.words.every((ruleWord, i) => wordMatches(sentence[start + i]!, ruleWord, p.needsDiacritics))) return true
  }
  return false
}

function wordMatches(typed: Word, rule: Word, needsDiacritics: boolean): boolean {
  if (typed.length !== rule.length) return false
  return typed.every((letter, i) => {
    const ruleLetter = rule[i]!
    if (letter.base !== ruleLetter.base) return false
    if (needsDiacritics) return withoutStroke(letter.marks) === withoutStroke(ruleLetter.marks) && (!letter.marks.includes(stroke) || ruleLetter.marks.includes(stroke))
    return [...letter.marks].every((mark) => ruleLetter.marks.includes(mark))
  })
}

function lettersOf(word: string): Word {
  const letters: Word = []
  for (const char of word.normalize('NFD')) {
    const last = letters.at(-1)
    if (/\p{M}/u.test(char)) {
      if (last) last.marks = sortMarks(last.marks + (char === tilde ? hookAbove : char))
    } else if (char === 'đ') {
      letters.push({ base: 'd', marks: stroke })
    } else {
      letters.push({ base: char, marks: '' })
    }
  }
  return letters
}

function wordsOf(text: string): string[] {
  return text.match(/[\p{L}\p{M}\p{N}]+/gu) ?? []
}

function lowerNfc(text: string): string {
  return text.normalize('NFC').toLowerCase()
}

function sortMarks(marks: string): string {
  return [...marks].sort().join('')
}

function withoutStroke(marks: string): string {
  return marks.replace(stroke, '')
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)]
}
