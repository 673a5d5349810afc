import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { foldVietnamese } from '../core/fold.js'

/**
 * A second opinion for the danger rules, learned from the labelled corpus: naive Bayes over the
 * folded words, word pairs and 3–5 letter pieces of a message. The rules know phrasing; the model
 * knows vocabulary, so a danger told in words no rule lists ("ném gạch đá", "vỡ đầu", "méo miệng
 * rồi gục xuống") still scores high, and an everyday message that trips a rule scores low.
 * It is trained at start-up (well under a second for a few thousand messages) from the same files
 * `npm run triage:eval` reads, so the corpus is the one source of truth.
 */
export interface TriageModel {
  /** Log-odds that the message is an emergency: above 0 leans danger, below 0 leans ordinary. */
  score(text: string): number
  /** The kind whose examples the message most resembles; for a message no rule matched. */
  likelyKind(text: string): string | undefined
  /** How many labelled messages it learned from. */
  size: number
}

export interface LabelledMessage {
  label: 'E' | 'N' | 'P'
  kind?: string
  text: string
}

/** Corpus lines are `label<TAB>kind<TAB>text`; a first line starting with "label" is a header. */
export function readLabelledFile(path: string): LabelledMessage[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#') && !line.startsWith('label\t'))
    .map((line) => {
      const [label, kind, ...text] = line.split('\t')
      return { label: label!.trim() as LabelledMessage['label'], ...(kind && kind !== '-' ? { kind: kind.trim() } : {}), text: text.join('\t') }
    })
    .filter((row) => row.label === 'E' || row.label === 'N' || row.label === 'P')
}

export function readLabelledDir(dir: string): LabelledMessage[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.tsv'))
    .sort()
    .flatMap((name) => readLabelledFile(join(dir, name)))
}

/** Pieces seen fewer times than this (in both classes together) say more about chance than danger. */
const minEvidence = 2
const smoothing = 0.5

export function trainTriageModel(rows: readonly LabelledMessage[]): TriageModel {
  const danger = new Map<string, number>()
  const ordinary = new Map<string, number>()
  const byKind = new Map<string, Map<string, number>>()
  const kindDocs = new Map<string, number>()
  let dangerDocs = 0
  let ordinaryDocs = 0
  for (const row of rows) {
    // "P" (should get the question) is ordinary for this purpose: it must not raise an alarm alone.
    const isDanger = row.label === 'E'
    const pieces = piecesOf(row.text)
    if (isDanger) dangerDocs++
    else ordinaryDocs++
    const counts = isDanger ? danger : ordinary
    for (const piece of pieces) counts.set(piece, (counts.get(piece) ?? 0) + 1)
    if (isDanger && row.kind) {
      const kindCounts = byKind.get(row.kind) ?? new Map<string, number>()
      byKind.set(row.kind, kindCounts)
      kindDocs.set(row.kind, (kindDocs.get(row.kind) ?? 0) + 1)
      for (const piece of pieces) kindCounts.set(piece, (kindCounts.get(piece) ?? 0) + 1)
    }
  }
  const prior = Math.log((dangerDocs + 1) / (ordinaryDocs + 1))
  // A piece a kind's messages never use is evidence against that kind too: without it, the kind
  // whose examples are longest stories (luring) would win every message told at length.
  const vocabulary = [...danger].filter(([, count]) => count >= minEvidence).map(([piece]) => piece)
  const kindBaselines = new Map(
    [...byKind].map(([kind, counts]) => {
      const docs = kindDocs.get(kind)!
      const absent = vocabulary.reduce((sum, piece) => sum + Math.log(1 - ((counts.get(piece) ?? 0) + smoothing) / (docs + 1)), 0)
      return [kind, { docs, absent }] as const
    }),
  )
  return {
    size: rows.length,
    score(text) {
      let sum = prior
      for (const piece of piecesOf(text)) {
        const d = danger.get(piece) ?? 0
        const o = ordinary.get(piece) ?? 0
        if (d + o < minEvidence) continue
        sum += Math.log((d + smoothing) / (dangerDocs + 1)) - Math.log((o + smoothing) / (ordinaryDocs + 1))
      }
      return sum
    },
    likelyKind(text) {
      const pieces = piecesOf(text)
      let best: string | undefined
      let bestScore = -Infinity
      for (const [kind, { docs, absent }] of kindBaselines) {
        const counts = byKind.get(kind)!
        let sum = Math.log(docs / Math.max(1, dangerDocs)) + absent
        for (const piece of pieces) {
          if ((danger.get(piece) ?? 0) < minEvidence) continue
          const p = ((counts.get(piece) ?? 0) + smoothing) / (docs + 1)
          sum += Math.log(p) - Math.log(1 - p)
        }
        if (sum > bestScore) {
          bestScore = sum
          best = kind
        }
      }
      return best
    },
  }
}

/** Words, word pairs and 3–5 letter pieces of the folded text, each once. */
function piecesOf(text: string): Set<string> {
  const folded = foldVietnamese(text)
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/(.)\1{2,}/g, '$1')
    .replace(/\s+/g, ' ')
    .trim()
  const words = folded === '' ? [] : folded.split(' ')
  const pieces = new Set<string>()
  for (const word of words) pieces.add(`w:${word}`)
  for (let i = 0; i + 1 < words.length; i++) pieces.add(`b:${words[i]} ${words[i + 1]}`)
  const padded = ` ${folded} `
  for (let n = 3; n <= 5; n++) for (let i = 0; i + n <= padded.length; i++) pieces.add(`c:${padded.slice(i, i + n)}`)
  return pieces
}
