import { z } from 'zod'
import { hasVietnameseDiacritics } from '../core/fold.js'
import { readYamlFile, validateDataFile } from '../core/data-file.js'
import { existsSync } from 'node:fs'
import { readLabelledDir, trainTriageModel, type TriageModel } from './triage-model.js'
import { lowerNfc, ruleWord, sentencesOf, wordsOf, type Word } from './triage-normalise.js'
import { compilePattern, findPattern, patternProblem, wordMatches, type Pattern, type Span } from './triage-pattern.js'

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

/**
 * A student who speaks of hurting themselves needs warmth, not sirens: the reply is gentle when
 * self-harm comes with nothing but what goes with it (an injury, the blade in their hand).
 */
const gentleKinds = new Set(['self-harm', 'medical', 'weapon'])

const singleWord = z.string().regex(/^[\p{L}\p{M}\p{N}]+$/u, { error: 'must be a single word' })
const wording = z
  .string()
  .trim()
  .refine((text) => wordsOf(text).length > 0, { error: 'must contain at least one word' })
const patternList = z.array(z.string().trim()).default([])

const cuesSchema = z
  .object({
    urgent: patternList,
    now: patternList,
    past: patternList,
    present: patternList,
    over: patternList,
    unsure: patternList,
    aboutMe: patternList,
    fiction: patternList,
    notFiction: patternList,
    drill: patternList,
    question: patternList,
    ask: patternList,
    distress: patternList,
    joke: z.array(z.string().trim().min(1)).default([]),
    negation: z.array(singleWord).default([]),
    negationSkips: z.array(singleWord).default([]),
    negationAfter: z.array(singleWord).default([]),
    notNegationAfter: z.array(singleWord).default([]),
    clauseEndings: z.array(singleWord).default([]),
  })
  .strict()

export const emergencyRulesFileSchema = z
  .object({
    teencode: z.record(z.string(), wording).default({}),
    classes: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, { error: 'must be a lowercase name such as family' }), z.array(wording).min(1)).default({}),
    cues: cuesSchema.default(cuesSchema.parse({})),
    idioms: patternList,
    cries: z.object({ kind: z.string(), phrases: patternList }).strict().optional(),
    kinds: z
      .array(
        z
          .object({
            kind: z.string().regex(/^[a-z][a-z0-9-]*$/, { error: 'must be a lowercase id such as self-harm' }),
            hotlines: z.array(z.coerce.string().pipe(z.enum(hotlines, { error: `must be one of ${hotlines.join(', ')}` }))).min(1),
            advice: z.string().trim().min(5),
            phrases: patternList,
            onlyWithDiacritics: z
              .array(z.string().trim().refine(hasVietnameseDiacritics, { error: 'has no diacritics, so it cannot require them; move it to phrases' }))
              .default([]),
            possible: patternList,
            supporting: patternList,
          })
          .strict()
          .refine((kind) => kind.phrases.length + kind.onlyWithDiacritics.length > 0, { error: 'needs at least one phrase' }),
      )
      .min(1),
  })
  .strict()
  .superRefine((file, ctx) => {
    for (const short of Object.keys(file.teencode)) {
      if (!singleWord.safeParse(short).success) ctx.addIssue({ code: 'custom', path: ['teencode'], message: `"${short}" must be a single word, as typed` })
    }
    const classes = classMap(file.classes)
    const check = (text: string, path: (string | number)[]) => {
      const problem = patternProblem(text, classes)
      if (problem) ctx.addIssue({ code: 'custom', path, message: `"${text}" ${problem}` })
    }
    for (const cue of ['urgent', 'now', 'past', 'present', 'over', 'unsure', 'aboutMe', 'fiction', 'notFiction', 'drill', 'question', 'ask', 'distress'] as const) file.cues[cue].forEach((text, i) => check(text, ['cues', cue, i]))
    file.idioms.forEach((text, i) => check(text, ['idioms', i]))
    file.cries?.phrases.forEach((text, i) => check(text, ['cries', 'phrases', i]))
    if (file.cries && !file.kinds.some((kind) => kind.kind === file.cries!.kind)) ctx.addIssue({ code: 'custom', path: ['cries', 'kind'], message: `names no kind listed under kinds` })
    const kinds = new Set<string>()
    const phrases = new Map<string, string>()
    file.kinds.forEach((kind, index) => {
      if (kinds.has(kind.kind)) ctx.addIssue({ code: 'custom', path: ['kinds', index, 'kind'], message: `duplicates ${kind.kind}` })
      kinds.add(kind.kind)
      for (const list of ['phrases', 'onlyWithDiacritics', 'possible', 'supporting'] as const) {
        kind[list].forEach((text, i) => {
          check(text, ['kinds', index, list, i])
          const key = lowerNfc(text).replace(/\s+/g, ' ')
          const earlier = phrases.get(key)
          if (earlier) ctx.addIssue({ code: 'custom', path: ['kinds', index], message: `lists "${text}" again (already under ${earlier})` })
          phrases.set(key, kind.kind)
        })
      }
    })
  })

export type EmergencyRulesFile = z.infer<typeof emergencyRulesFileSchema>

export interface EmergencyKind {
  kind: string
  hotlines: Hotline[]
  advice: string
  /** Danger now: the hotlines go out at once. */
  phrases: Pattern[]
  /** Worrying but unclear: the bot asks whether someone is in danger now. */
  possible: Pattern[]
  /**
   * Too everyday to ask about alone ("mua vé", "trên mạng", "đi lạc"), but a second sign beside
   * a worrying phrase: "hẹn e ra gặp" with "mua vé cho e" and "đừng nói với ai" is luring.
   */
  supporting: Pattern[]
}

interface Cues {
  /** Help asked for, or this very moment: keeps an emergency and raises an unclear phrase. */
  urgent: Pattern[]
  /** Going on ("đang"): keeps an emergency; raises an unclear phrase it stands just before. */
  now: Pattern[]
  /** Told afterwards ("hôm qua", "năm ngoái"): lowers an emergency unless `present` follows. */
  past: Pattern[]
  /** It goes on now ("giờ", "hôm nay lại", "suốt"): a past event that has not ended. */
  present: Pattern[]
  /** Over, settled or hearsay ("ổn rồi", "đã xử lý", "nghe nói"): lowers an emergency. */
  over: Pattern[]
  /** Doubt ("hình như"): an unclear phrase stays a question even when said to be happening now. */
  unsure: Pattern[]
  /** "ảnh nóng của em", "em đang bị": the writer is the one in danger, even inside "nếu…". */
  aboutMe: Pattern[]
  /** Fiction, games, news, drills and lessons: never an emergency. */
  notReal: Pattern[]
  /** Words a fiction cue must not take: "phim người lớn" shown to a child is abuse, not a film. */
  notFiction: Pattern[]
  /** "nếu thấy… thì làm gì": a question about danger, unless it also says it is happening now. */
  question: Pattern[]
  /** "muốn hỏi", "làm sao": asking how to act; what it tells as going on now stays an emergency. */
  ask: Pattern[]
  /**
   * Fear, being alone, hiding, writing in secret, not getting out ("em sợ lắm", "ba mẹ không có
   * nhà", "em đang nhắn lén"): a moderately worrying fact told with it is danger now.
   */
  distress: Pattern[]
  joke: string[]
  negation: Word[]
  negationSkips: Word[]
  negationAfter: Word[]
  notNegationAfter: Word[]
  clauseEndings: Word[]
}

export interface EmergencyRules {
  kinds: EmergencyKind[]
  /** A message made only of cries for help, and the kind it is answered as. */
  cries?: { kind: EmergencyKind; phrases: Pattern[] }
  teencode: ReadonlyMap<string, string[]>
  idioms: Pattern[]
  cues: Cues
  /** The vocabulary learned from the labelled corpus (triage-model.ts); without it, the rules alone decide. */
  model?: TriageModel
}

/**
 * `emergency`: danger now; the hotlines go out first and the tip is filed as urgent at once.
 * `possible`: danger words with a cue that lowers them (a past event, a joke) or wording that is
 * worrying but unclear; the bot asks one question before treating it as an emergency.
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

/**
 * The rules file, and the model learned from the labelled corpus beside it
 * (`content/tips/triage-corpus/*.tsv`); `corpusDir: null` for the rules alone.
 */
export function loadEmergencyRules(path: string = defaultEmergencyRulesPath, corpusDir: string | null = defaultTriageCorpusDir): EmergencyRules {
  const raw = readYamlFile(path)
  const rules = compileEmergencyRules(validateDataFile(emergencyRulesFileSchema, raw, path))
  return corpusDir && existsSync(corpusDir) ? { ...rules, model: modelFor(corpusDir) } : rules
}

/** Training takes a quarter of a second; a process that loads the rules again (tests, the CLI) reuses it. */
const trainedModels = new Map<string, TriageModel>()
function modelFor(corpusDir: string): TriageModel {
  const model = trainedModels.get(corpusDir) ?? trainTriageModel(readLabelledDir(corpusDir))
  trainedModels.set(corpusDir, model)
  return model
}

/** Relative to the working directory, like the rules file. */
export const defaultTriageCorpusDir = 'content/tips/triage-corpus'

/**
 * Where the model's log-odds move a decision, chosen on messages written apart from the corpus:
 * on 230 never used for tuning, the rules alone caught 67 % of the emergencies, the rules and the
 * model 90 % (94 % counting the question), at 5.6 % false alarms.
 */
export const modelThresholds = {
  /** A rule's alarm on a message the model finds ordinary becomes the question. */
  doubtRuleBelow: -20,
  /** A rule's question on a message the model finds dangerous becomes an alarm. */
  confirmQuestionAbove: 70,
  /** No rule matched, but the model is sure: an alarm. */
  alarmAbove: 60,
  /** No rule matched, and the model leans to danger: the question. */
  askAbove: 55,
}

/** Whether a message signals immediate danger, and which hotlines fit it best; null for an ordinary tip. */
export function detectEmergency(rules: EmergencyRules, text: string): EmergencyMatch | null {
  const ruled = detectByRules(rules, text)
  if (!rules.model || !text.trim()) return ruled
  const score = rules.model.score(text)
  // Self-harm is never talked down: "em muốn chết" reads like the idiom "mệt muốn chết" to the model.
  if (ruled?.level === 'emergency') return score < modelThresholds.doubtRuleBelow && !ruled.kinds.includes('self-harm') ? { ...ruled, level: 'possible' } : ruled
  if (ruled?.level === 'possible') return score > modelThresholds.confirmQuestionAbove ? { ...ruled, level: 'emergency' } : ruled
  if (ruled) return ruled
  if (score <= modelThresholds.askAbove) return null
  const kind = rules.kinds.find((k) => k.kind === rules.model!.likelyKind(text)) ?? rules.kinds[0]!
  // Danger words the rules read as a question, a settled past or a lesson: the model may ask, not alarm.
  const alarm = score > modelThresholds.alarmAbove && !settledByCues(rules, text)
  return { level: alarm ? 'emergency' : 'possible', kinds: [kind.kind], hotlines: [...kind.hotlines], phrases: [], advice: [kind.advice] }
}

export function compileEmergencyRules(file: EmergencyRulesFile): EmergencyRules {
  const classes = classMap(file.classes)
  const compile = (texts: string[], needsDiacritics = false, exactWhenMarked = false) => texts.map((text) => compilePattern(text, classes, needsDiacritics, exactWhenMarked))
  const words = (list: string[]) => list.map(ruleWord)
  const kinds = file.kinds.map((kind) => ({
    kind: kind.kind,
    hotlines: unique(kind.hotlines),
    advice: kind.advice,
    phrases: [...compile(kind.phrases), ...compile(kind.onlyWithDiacritics, true)],
    possible: compile(kind.possible),
    supporting: compile(kind.supporting),
  }))
  const cryKind = kinds.find((kind) => kind.kind === file.cries?.kind)
  return {
    cries: file.cries && cryKind ? { kind: cryKind, phrases: compile(file.cries.phrases) } : undefined,
    teencode: new Map(Object.entries(file.teencode).map(([short, full]) => [lowerNfc(short), wordsOf(lowerNfc(full))])),
    idioms: compile(file.idioms, false, true),
    cues: {
      urgent: compile(file.cues.urgent),
      now: compile(file.cues.now),
      past: compile(file.cues.past),
      present: compile(file.cues.present),
      over: compile(file.cues.over),
      unsure: compile(file.cues.unsure),
      aboutMe: compile(file.cues.aboutMe),
      notReal: compile([...file.cues.fiction, ...file.cues.drill]),
      notFiction: compile(file.cues.notFiction),
      question: compile(file.cues.question),
      ask: compile(file.cues.ask),
      distress: compile(file.cues.distress),
      joke: file.cues.joke.map(lowerNfc),
      negation: words(file.cues.negation),
      negationSkips: words(file.cues.negationSkips),
      negationAfter: words(file.cues.negationAfter),
      notNegationAfter: words(file.cues.notNegationAfter),
      clauseEndings: words(file.cues.clauseEndings),
    },
    kinds,
  }
}

/**
 * Whether a message signals danger: `emergency` for danger now, `possible` when the bot should
 * ask, null for an ordinary tip. Idioms ("mệt muốn chết") and negated phrases ("không có ai mang
 * dao") never count; fiction, games, news and drills are ordinary. Something told from the past
 * ("hôm qua…", unless "giờ lại…" follows), settled ("đã xử lý"), heard of or joked about is lowered
 * to `possible`, as is a question about what to do, unless the message says it is going on now.
 * These are the rules' own verdict, before the model has its say (detectEmergency).
 */
function detectByRules(rules: EmergencyRules, text: string): EmergencyMatch | null {
  const read = readByRules(rules, text)
  return read === 'settled' ? null : read
}

/** Whether the rules found danger words but a cue (a question, a settled past) took them back. */
function settledByCues(rules: EmergencyRules, text: string): boolean {
  return readByRules(rules, text) === 'settled'
}

function readByRules(rules: EmergencyRules, text: string): EmergencyMatch | 'settled' | null {
  // A sentence about a film, a game, the news or a drill is ordinary; the others are read as usual
  // ("Hôm nay trường em đi ngoại khóa. Lúc nãy bạn Nam bị kẹt giữa suối").
  const clauses = sentencesOf(text, rules.teencode)
    .filter((sentence) => !isFictionOrDrill(rules.cues, sentence))
    .flat()
  if (clauses.length === 0) return null
  const said = (patterns: Pattern[]) => patterns.some((cue) => clauses.some((clause) => findPattern(clause, cue).length > 0))
  const distress = said(rules.cues.distress)
  const matched = matchKinds(rules, clauses, distress)
  if (matched.length === 0) return cryForHelp(rules, clauses)
  const past = said(rules.cues.past) && !said(rules.cues.present)
  const over = said(rules.cues.over)
  const level = levelOf(matched, {
    urgent: said(rules.cues.urgent),
    going: said(rules.cues.now),
    goingJustBefore: matched.some((m) => m.unclearSpans.some((span) => standsJustBefore(clauses[span.clause]!, span, rules.cues.now))),
    asking: said(rules.cues.question) && !(said(rules.cues.now) && said(rules.cues.aboutMe)),
    askingHow: said(rules.cues.ask),
    lowered: over || isJoking(rules.cues, text) || past,
    resolved: past && over,
    unsure: said(rules.cues.unsure),
    distress,
  })
  if (!level) return 'settled'
  const relevant = level === 'emergency' && matched.some((m) => m.now.length > 0) ? matched.filter((m) => m.now.length > 0) : matched
  return {
    level,
    kinds: relevant.map((m) => m.kind.kind),
    hotlines: unique(relevant.flatMap((m) => m.kind.hotlines)),
    phrases: relevant.flatMap((m) => [...m.now, ...m.possible].map((p) => p.text)),
    advice: unique(relevant.map((m) => m.kind.advice)),
  }
}

/** "cứu em với", "help me!!": every clause a cry, and at least one asks for help; a cry beside other words asks. */
function cryForHelp(rules: EmergencyRules, clauses: Word[][]): EmergencyMatch | null {
  const cries = rules.cries
  if (!cries || clauses.length === 0) return null
  const crying = clauses.map((clause) => cries.phrases.filter((phrase) => findPattern(clause, phrase).length > 0))
  if (!crying.some((found) => found[0] === cries.phrases[0])) return null
  // "cứu em, …" with words no rule knows: too little to alarm on, too much to let pass unasked.
  const level = crying.every((found) => found.length > 0) ? 'emergency' : 'possible'
  return {
    level,
    kinds: [cries.kind.kind],
    hotlines: cries.kind.hotlines,
    phrases: unique(crying.flat().map((phrase) => phrase.text)),
    advice: [cries.kind.advice],
  }
}

interface KindMatch {
  kind: EmergencyKind
  now: Pattern[]
  possible: Pattern[]
  /** Where the unclear phrases of this kind stand: clause and words. */
  unclearSpans: (Span & { clause: number })[]
}

const supportingOnTheirOwn = 3

/** The kinds whose phrases appear, leaving out words taken by idioms and negated phrases. */
function matchKinds(rules: EmergencyRules, clauses: Word[][], distress: boolean): KindMatch[] {
  const masks = clauses.map((clause) => maskedWords(clause, rules.idioms))
  const spansOf = (pattern: Pattern) =>
    clauses.flatMap((clause, i) => findPattern(clause, pattern).filter((span) => counts(clause, span, masks[i]!, rules.cues)).map((span) => ({ ...span, clause: i })))
  const found = (patterns: Pattern[]) => patterns.map((pattern) => ({ pattern, spans: spansOf(pattern) })).filter((f) => f.spans.length > 0)
  const matches = rules.kinds.map((kind) => ({
    kind,
    now: kind.phrases.filter((pattern) => spansOf(pattern).length > 0),
    possible: found(kind.possible),
    supporting: found(kind.supporting),
  }))
  // Supporting signs count beside a phrase or an unclear sign of any kind, or when three of them
  // come together ("quen trên zalo", "hứa cho 5 triệu", "đừng nói với ai"), or two beside
  // distress ("tối nào cũng vô phòng em" with "em ở nhà một mình sợ lắm").
  const supportingSigns = separateSigns(matches.flatMap((m) => m.supporting.flatMap((f) => f.spans)))
  const worrying = matches.some((m) => m.now.length + m.possible.length > 0) || supportingSigns >= (distress ? 2 : supportingOnTheirOwn)
  return matches
    .map((m) => {
      const unclear = worrying ? [...m.possible, ...m.supporting] : m.possible
      return { kind: m.kind, now: m.now, possible: unclear.map((f) => f.pattern), unclearSpans: unclear.flatMap((f) => f.spans) }
    })
    .filter((m) => m.now.length + m.possible.length > 0)
}

/**
 * A question about what to do cancels an alarm, or lowers it when something is also happening
 * now. Something told from the past and said to be settled ("năm ngoái… giờ sửa lại rồi") is no
 * alarm at all. Distress (fear, alone, hiding, writing in secret) makes an unclear sign danger
 * now and keeps "em phải làm sao" from reading as a mere question. Two separate unclear signs ("không ai cần em nữa" and "đi thật xa mãi mãi", or a knife and
 * "mai gặp mày") are as clear as a plain phrase, and so is one said to be happening now; doubt
 * ("hình như") keeps them a question.
 */
function levelOf(
  matched: KindMatch[],
  cues: {
    urgent: boolean
    going: boolean
    goingJustBefore: boolean
    asking: boolean
    askingHow: boolean
    lowered: boolean
    resolved: boolean
    unsure: boolean
    distress: boolean
  },
): TriageLevel | null {
  const now = cues.urgent || cues.going
  if (cues.asking && !now) return null
  if (cues.askingHow && !now && !cues.distress) return null
  if (cues.resolved && !now && !cues.distress) return null
  const raised = (cues.urgent || cues.goingJustBefore || cues.distress || separateSigns(matched.flatMap((m) => m.unclearSpans)) >= 2) && !cues.unsure
  const dangerNow = matched.some((m) => m.now.length > 0) || raised
  const lowered = cues.asking || (cues.lowered && !now)
  return dangerNow && !lowered ? 'emergency' : 'possible'
}

/**
 * The answer sent at once: the most relevant number first, what to do, then the numbers. It
 * promises nothing about the tip: the caller adds what it actually did once it has done it.
 * For self-harm it is gentle: no siren, a thank-you, 111 and 115, and a trusted adult now.
 */
export function emergencyReply(match: Pick<EmergencyMatch, 'hotlines'> & Partial<Pick<EmergencyMatch, 'advice' | 'kinds'>>): string {
  if (match.kinds?.includes('self-harm') && match.kinds.every((kind) => gentleKinds.has(kind))) return gentleReply()
  const ordered = unique([...match.hotlines, ...hotlines])
  const first = ordered[0]!
  return [
    `🚨 Hãy gọi ngay ${first} (${hotlineShortLabels[first]}) nếu bạn hoặc ai đó đang gặp nguy hiểm.`,
    // Two lines of advice at most, so the numbers stay on the first screen.
    ...(match.advice ?? []).slice(0, 2),
    '',
    ...ordered.map((number) => `📞 ${number}: ${hotlineLabels[number]}`),
  ].join('\n')
}

function gentleReply(): string {
  return [
    // "bạn", as everywhere else in the tip conversation: the student should not feel another voice took over.
    'Cảm ơn bạn đã nói ra. Bạn không một mình, và có người muốn lắng nghe bạn ngay lúc này.',
    '',
    '📞 111: Tổng đài bảo vệ trẻ em, miễn phí, 24/7, có người lắng nghe bạn',
    '📞 115: Cấp cứu, nếu bạn hoặc người bạn đang lo cho đã bị thương hay đã uống thuốc',
    '',
    'Hãy nói với một người lớn bạn tin ngay bây giờ: bố mẹ, thầy cô hoặc người thân ở gần bạn.',
  ].join('\n')
}

/**
 * How many of the spans stand apart, at most: two wordings of one sign ("bị … đánh", "bị đánh")
 * count once, but "giang hồ" and "đe dọa" inside "bị bọn giang hồ đe dọa" count twice.
 */
function separateSigns(spans: (Span & { clause: number })[]): number {
  const byEnd = [...spans].sort((a, b) => a.clause - b.clause || a.end - b.end || a.start - b.start)
  let count = 0
  let last: (Span & { clause: number }) | undefined
  for (const span of byEnd) {
    if (last && last.clause === span.clause && span.start < last.end) continue
    count++
    last = span
  }
  return count
}

/** Words covered by an idiom ("chém gió", "mệt muốn chết"): no danger phrase may use them. */
function maskedWords(clause: Word[], idioms: Pattern[]): Set<number> {
  const masked = new Set<number>()
  for (const idiom of idioms) {
    for (const span of findPattern(clause, idiom)) for (let i = span.start; i < span.end; i++) masked.add(i)
  }
  return masked
}

/**
 * An idiom takes away the words it covers, but only those the phrase itself names: "rút dao rọc
 * giấy ra dọa bạn" is still a threat, though "dao rọc giấy" is no weapon.
 */
function counts(clause: Word[], span: Span, masked: Set<number>, cues: Cues): boolean {
  const own = span.words ?? range(span.start, span.end)
  return !own.some((i) => masked.has(i)) && !isNegated(clause, span, cues)
}

function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, i) => start + i)
}

/**
 * "không có ai mang dao", "nó ko có súng đâu": a negation just before the phrase (skipping "có",
 * "ai"…; "nếu không" is "otherwise") or a clause-final "đâu" after it, typed with its diacritics
 * ("dau" is as often "đầu"). A phrase that carries its own negation ("không muốn sống") is not
 * undone by a trailing "đâu", which there only adds weight.
 */
function isNegated(clause: Word[], span: Span, cues: Cues): boolean {
  if (clause.slice(span.start, span.end).some((word) => isOneOf(word, cues.negation))) return false
  for (let i = span.start - 1; i >= 0 && i >= span.start - 4; i--) {
    if (isOneOf(clause[i]!, cues.negation)) return i === 0 || !isOneOf(clause[i - 1]!, cues.notNegationAfter)
    if (!isOneOf(clause[i]!, cues.negationSkips)) break
  }
  for (let i = span.end; i < clause.length && i <= span.end + 4; i++) {
    if (isOneOf(clause[i]!, cues.negationAfter, true) && clause.slice(i + 1).every((word) => isOneOf(word, cues.clauseEndings))) return true
  }
  return false
}

/** "người lạ đang theo em": a `now` cue inside the unclear phrase or at most one word before it. */
function standsJustBefore(clause: Word[], span: Span, now: Pattern[]): boolean {
  return now.some((cue) => findPattern(clause, cue).some((cueSpan) => cueSpan.end >= span.start - 1 && cueSpan.start < span.end))
}

function isFictionOrDrill(cues: Cues, clauses: Word[][]): boolean {
  return clauses.some((clause) => {
    const kept = maskedWords(clause, cues.notFiction)
    return cues.notReal.some((cue) => findPattern(clause, cue).some((span) => !overlaps(span, kept)))
  })
}

function overlaps(span: Span, words: Set<number>): boolean {
  for (let i = span.start; i < span.end; i++) if (words.has(i)) return true
  return false
}

/** "nó không đùa" says the opposite of a joke. */
const notJoking = /(không|ko|k|hông|chẳng|chả)\s+(phải\s+)?(là\s+)?(đùa|giỡn)/gu

function isJoking(cues: Cues, text: string): boolean {
  const lower = lowerNfc(text).replace(notJoking, ' ')
  return cues.joke.some((mark) => lower.includes(mark))
}

function isOneOf(word: Word, list: Word[], needsDiacritics = false): boolean {
  return list.some((listed) => wordMatches(word, listed, needsDiacritics))
}

function classMap(classes: Record<string, string[]>): Map<string, string[]> {
  return new Map(Object.entries(classes))
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)]
}
