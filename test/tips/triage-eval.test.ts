import { describe, expect, it } from 'vitest'
import { loadEmergencyRules } from '../../src/tips/emergency.js'
import { formatTriageReport, maximumFalseAlarms, minimumRecall, parseCorpusFile, passesThresholds, readCorpus, scoreTriage } from '../../src/tips/triage-eval.js'

const rules = loadEmergencyRules()

describe('the labelled corpus', () => {
  const rows = readCorpus()
  const score = scoreTriage(rules, rows)

  it('holds at least 500 messages, with emergencies of every kind the rules know', () => {
    expect(rows.length).toBeGreaterThanOrEqual(500)
    const kinds = new Set(rows.filter((row) => row.label === 'E').map((row) => row.kind))
    for (const kind of rules.kinds) expect(kinds, kind.kind).toContain(kind.kind)
  })

  it(`gives the hotlines to at least ${minimumRecall * 100} % of emergencies and to at most ${maximumFalseAlarms * 100} % of ordinary messages`, () => {
    const report = formatTriageReport(score)
    expect(score.recall, report).toBeGreaterThanOrEqual(minimumRecall)
    expect(score.falseAlarms, report).toBeLessThanOrEqual(maximumFalseAlarms)
    expect(passesThresholds(score)).toBe(true)
  })

  it('names the expected kind for nearly every caught emergency, so the first number fits', () => {
    expect(score.wrongKind.length / score.emergencies, score.wrongKind.map((v) => `${v.row.kind}: ${v.row.text}`).join('\n')).toBeLessThanOrEqual(0.02)
  })
})

describe('triage report', () => {
  it('lists each miss and false alarm with its text and ends with a one-line summary', () => {
    const rows = parseCorpusFile('t.tsv', 'label\tkind\ttext\nE\tfire\tem thấy mây trôi\nN\t-\tcó người cầm dao ở cổng\nP\t-\thình như có người lạ theo em\n')
    const report = formatTriageReport(scoreTriage(rules, rows)).split('\n')
    expect(report).toContain('  t.tsv:2 [fire] nothing: em thấy mây trôi')
    expect(report.some((line) => line.startsWith('  t.tsv:3 [weapon]') && line.endsWith(': có người cầm dao ở cổng'))).toBe(true)
    expect(report.at(-2)).toBe('FAIL: recall must be at least 0.97 and false alarms at most 0.05.')
    expect(report.at(-1)).toBe('recall 0.00 · false alarms 1.00 · question 0.00 on 3 messages')
  })

  it.each([
    ['E\tfire\n', /t\.tsv:1: needs three tab-separated columns/],
    ['X\t-\tchào\n', /t\.tsv:1: label must be E, N or P, not "X"/],
    ['E\t-\tcháy\n', /t\.tsv:1: an E row names its kind/],
  ])('names the file and line of a bad row (%#)', (content, message) => {
    expect(() => parseCorpusFile('t.tsv', content)).toThrow(message)
  })
})
