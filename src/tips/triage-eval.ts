/**
 * Measures the triage rules against the labelled corpus in content/tips/triage-corpus/*.tsv: how many
 * emergencies get the hotlines at once (recall), how many ordinary messages do (false alarms), and
 * how many of each get the "are you in danger now?" question instead.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { trainTriageModel } from './triage-model.js'
import { detectEmergency, type EmergencyRules, type TriageLevel } from './emergency.js'

export const defaultCorpusDir = 'content/tips/triage-corpus'
export const minimumRecall = 0.97
export const maximumFalseAlarms = 0.05

/** E: an emergency; N: an ordinary message; P: unclear, where the question is the right answer. */
export type CorpusLabel = 'E' | 'N' | 'P'

export interface CorpusRow {
  file: string
  line: number
  label: CorpusLabel
  /** The expected kind for E, "-" otherwise. */
  kind: string
  text: string
}

export interface Verdict {
  row: CorpusRow
  level: TriageLevel | 'none'
  kinds: string[]
  phrases: string[]
}

export interface TriageScore {
  messages: number
  emergencies: number
  ordinary: number
  unclear: number
  /** E answered with the hotlines at once. */
  recall: number
  /** N answered with the hotlines. */
  falseAlarms: number
  /** N that get the question. */
  questioned: number
  /** E that only get the question. */
  emergenciesQuestioned: number
  /** P that get at least the question. */
  unclearAsked: number
  missed: Verdict[]
  alarms: Verdict[]
  /** E caught, but not as the expected kind: the first number offered may be the wrong one. */
  wrongKind: Verdict[]
}

/** Every row of every .tsv in the folder; throws one sentence naming the file and line of a bad row. */
export function readCorpus(dir: string = defaultCorpusDir): CorpusRow[] {
  const files = readdirSync(dir).filter((name) => name.endsWith('.tsv')).sort()
  return files.flatMap((name) => parseCorpusFile(name, readFileSync(join(dir, name), 'utf8')))
}

export function parseCorpusFile(file: string, content: string): CorpusRow[] {
  const rows: CorpusRow[] = []
  content.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '')
    if (!line.trim() || line.startsWith('#') || (index === 0 && line.startsWith('label\t'))) return
    const [label, kind, text, ...extra] = line.split('\t')
    if (!label || !kind || !text || extra.length) throw new Error(`${file}:${index + 1}: needs three tab-separated columns: label, kind, text.`)
    if (label !== 'E' && label !== 'N' && label !== 'P') throw new Error(`${file}:${index + 1}: label must be E, N or P, not "${label}".`)
    if ((label === 'E') === (kind === '-')) throw new Error(`${file}:${index + 1}: an E row names its kind; N and P rows have "-".`)
    rows.push({ file, line: index + 1, label, kind, text })
  })
  return rows
}

export function scoreTriage(rules: EmergencyRules, rows: CorpusRow[]): TriageScore {
  const verdicts = rows.map((row): Verdict => {
    const match = detectEmergency(rules, row.text)
    return { row, level: match?.level ?? 'none', kinds: match?.kinds ?? [], phrases: match?.phrases ?? [] }
  })
  const of = (label: CorpusLabel) => verdicts.filter((v) => v.row.label === label)
  const emergencies = of('E')
  const ordinary = of('N')
  const unclear = of('P')
  const share = (part: Verdict[], whole: Verdict[]) => (whole.length ? part.length / whole.length : 0)
  return {
    messages: verdicts.length,
    emergencies: emergencies.length,
    ordinary: ordinary.length,
    unclear: unclear.length,
    recall: share(emergencies.filter((v) => v.level === 'emergency'), emergencies),
    falseAlarms: share(ordinary.filter((v) => v.level === 'emergency'), ordinary),
    questioned: share(ordinary.filter((v) => v.level === 'possible'), ordinary),
    emergenciesQuestioned: share(emergencies.filter((v) => v.level === 'possible'), emergencies),
    unclearAsked: share(unclear.filter((v) => v.level !== 'none'), unclear),
    missed: emergencies.filter((v) => v.level !== 'emergency'),
    alarms: ordinary.filter((v) => v.level === 'emergency'),
    wrongKind: emergencies.filter((v) => v.level === 'emergency' && !v.kinds.includes(v.row.kind)),
  }
}

/**
 * The model is trained on this very corpus, so the plain score flatters it. Here each fifth of the
 * corpus is scored by a model trained on the other four fifths: an estimate for unseen messages.
 */
export function crossValidate(rules: EmergencyRules, rows: CorpusRow[], folds = 5): TriageScore {
  const verdicts = Array.from({ length: folds }, (_, fold) => {
    const held = rows.filter((_, i) => i % folds === fold)
    const model = trainTriageModel(rows.filter((_, i) => i % folds !== fold).map((row) => ({ label: row.label, kind: row.kind, text: row.text })))
    return scoreTriage({ ...rules, model }, held)
  })
  const total = (pick: (score: TriageScore) => number, weight: (score: TriageScore) => number) =>
    verdicts.reduce((sum, score) => sum + pick(score) * weight(score), 0) / Math.max(1, verdicts.reduce((sum, score) => sum + weight(score), 0))
  return {
    ...verdicts[0]!,
    messages: rows.length,
    recall: total((s) => s.recall, (s) => s.emergencies),
    falseAlarms: total((s) => s.falseAlarms, (s) => s.ordinary),
    questioned: total((s) => s.questioned, (s) => s.ordinary),
    missed: verdicts.flatMap((s) => s.missed),
    alarms: verdicts.flatMap((s) => s.alarms),
    wrongKind: verdicts.flatMap((s) => s.wrongKind),
  }
}

export function passesThresholds(score: TriageScore): boolean {
  return score.recall >= minimumRecall && score.falseAlarms <= maximumFalseAlarms
}

/** The report `npm run triage:eval` prints; its last line is the one-line summary. */
export function formatTriageReport(score: TriageScore, crossValidated?: TriageScore): string {
  const pct = (n: number) => `${(n * 100).toFixed(1)} %`
  const where = (v: Verdict) => `${v.row.file}:${v.row.line}`
  const lines = [
    `${score.messages} messages: ${score.emergencies} emergencies, ${score.ordinary} ordinary, ${score.unclear} unclear`,
    `recall (emergency → hotlines at once): ${pct(score.recall)} (at least ${pct(minimumRecall)})`,
    `false alarms (ordinary → hotlines): ${pct(score.falseAlarms)} (at most ${pct(maximumFalseAlarms)})`,
    `ordinary messages asked the question: ${pct(score.questioned)}`,
    `emergencies only asked the question: ${pct(score.emergenciesQuestioned)}`,
    `unclear messages asked at least the question: ${pct(score.unclearAsked)}`,
    '',
    `Missed emergencies (${score.missed.length}):`,
    ...score.missed.map((v) => `  ${where(v)} [${v.row.kind}] ${v.level === 'possible' ? 'question only' : 'nothing'}: ${v.row.text}`),
    `False alarms (${score.alarms.length}):`,
    ...score.alarms.map((v) => `  ${where(v)} [${v.kinds.join(', ')}] ${v.phrases.join(' · ')}: ${v.row.text}`),
    `Caught as another kind (${score.wrongKind.length}):`,
    ...score.wrongKind.map((v) => `  ${where(v)} [${v.row.kind} → ${v.kinds.join(', ')}]: ${v.row.text}`),
    '',
    ...(crossValidated
      ? [
          `Cross-validated (each fifth scored by a model trained without it; nearer to unseen messages): recall ${pct(crossValidated.recall)}, false alarms ${pct(crossValidated.falseAlarms)}, question ${pct(crossValidated.questioned)}`,
          `  missed ${crossValidated.missed.length}, false alarms ${crossValidated.alarms.length}`,
        ]
      : []),
    passesThresholds(score) ? 'PASS: the thresholds hold.' : `FAIL: recall must be at least ${minimumRecall} and false alarms at most ${maximumFalseAlarms}.`,
    `recall ${score.recall.toFixed(2)} · false alarms ${score.falseAlarms.toFixed(2)} · question ${score.questioned.toFixed(2)} on ${score.messages} messages` +
      (crossValidated ? ` (cross-validated: recall ${crossValidated.recall.toFixed(2)} · false alarms ${crossValidated.falseAlarms.toFixed(2)})` : ''),
  ]
  return lines.join('\n')
}
