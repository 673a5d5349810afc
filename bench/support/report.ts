export type Verdict = 'met' | 'short' | 'info' | 'not measured'

/** One line of the results table: our figure, the baseline's when there is one, and the target. */
export interface Row {
  metric: string
  ours: string | number
  baseline?: string | number
  target?: string
  verdict: Verdict
}

export interface ScenarioResult {
  rows: Row[]
  /** Everything measured, for bench/results/*.json. */
  data: Record<string, unknown>
  notes?: string[]
}

export interface BenchContext {
  /** --groups: the broadcast size (2,000 by default). */
  groups: number
  /** --telegram-rate: TELEGRAM_MESSAGES_PER_SECOND for our broadcast (the config's default, 30, when unset). */
  telegramRate?: number
  log(message: string): void
}

export interface Scenario {
  name: string
  title: string
  run(ctx: BenchContext): Promise<ScenarioResult>
}

export function verdict(met: boolean): Verdict {
  return met ? 'met' : 'short'
}

const verdictLabels: Record<Verdict, string> = { met: '✅ met', short: '❌ short', info: '—', 'not measured': '⏳ not measured' }

/** The markdown table docs/benchmarks.md shows. */
export function markdownTable(results: { scenario: Scenario; result: ScenarioResult }[]): string {
  const lines = ['| scenario | metric | ours | baseline | target | |', '|---|---|---|---|---|---|']
  for (const { scenario, result } of results) {
    for (const row of result.rows) {
      lines.push(`| ${scenario.title} | ${row.metric} | ${row.ours} | ${row.baseline ?? ''} | ${row.target ?? ''} | ${verdictLabels[row.verdict]} |`)
    }
  }
  return lines.join('\n')
}
