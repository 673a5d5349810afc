/**
 * npm run bench [-- --only <name>[,<name>…]] [--groups N] [--telegram-rate N]
 *
 * Runs the scenarios of bench/scenarios/ one after another against the Redis at REDIS_URL
 * (redis://127.0.0.1:6379 by default) and a fake Bot API in a child process, prints a markdown
 * table, and writes everything measured to bench/results/<timestamp>.json (and latest.json).
 * These are measurements, not tests: the exit code is 0 whatever the figures are.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { broadcastScenario } from './scenarios/broadcast.js'
import { coordinatorViewsScenario } from './scenarios/coordinator-views.js'
import { crashScenario } from './scenarios/crash.js'
import { faultsScenario } from './scenarios/faults.js'
import { memoryScenario } from './scenarios/memory.js'
import { nationalScenario } from './scenarios/national.js'
import { provincesScenario } from './scenarios/provinces.js'
import { rawPipelineScenario } from './scenarios/raw-pipeline.js'
import { tipLatencyScenario } from './scenarios/tip-latency.js'
import { twoProcessesScenario } from './scenarios/two-processes.js'
import { urgentPathScenario } from './scenarios/urgent-path.js'
import { webIntakeScenario } from './scenarios/web-intake.js'
import { describeMachine } from './support/machine.js'
import { markdownTable, type Scenario, type ScenarioResult } from './support/report.js'

const scenarios: Scenario[] = [rawPipelineScenario, broadcastScenario, faultsScenario, crashScenario, twoProcessesScenario, memoryScenario, tipLatencyScenario, urgentPathScenario, webIntakeScenario, coordinatorViewsScenario, nationalScenario, provincesScenario]

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    groups: { type: 'string', default: '2000' },
    'telegram-rate': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
})

if (values.help) {
  console.log(`npm run bench -- [--only ${scenarios.map((s) => s.name).join('|')}[,…]] [--groups N (default 2000)] [--telegram-rate N (our broadcast's TELEGRAM_MESSAGES_PER_SECOND, default 30)]`)
  process.exit(0)
}

const groups = Number(values.groups)
if (!Number.isInteger(groups) || groups < 10) {
  console.error('--groups must be a whole number of at least 10')
  process.exit(2)
}
const telegramRate = values['telegram-rate'] === undefined ? undefined : Number(values['telegram-rate'])
if (telegramRate !== undefined && (!Number.isInteger(telegramRate) || telegramRate < 1)) {
  console.error('--telegram-rate must be a whole number of messages per second')
  process.exit(2)
}
const only = values.only?.split(',').map((name) => name.trim()).filter(Boolean)
const unknown = only?.filter((name) => !scenarios.some((s) => s.name === name)) ?? []
if (unknown.length) {
  console.error(`unknown scenario ${unknown.join(', ')}; there are: ${scenarios.map((s) => s.name).join(', ')}`)
  process.exit(2)
}
const selected = only ? scenarios.filter((s) => only.includes(s.name)) : scenarios

const started = new Date()
const machine = await describeMachine()
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`
console.log(`# ${command}  (${started.toISOString()})`)
console.log(machine.summary)

const results: { scenario: Scenario; result: ScenarioResult; seconds: number; loadavg: { before: number[]; after: number[] } }[] = []
const load = () => loadavg().map((value) => Math.round(value * 100) / 100)
const failures: { scenario: string; error: string }[] = []
for (const scenario of selected) {
  const t0 = Date.now()
  const before = load()
  console.log(`\n## ${scenario.title} (${scenario.name}); load average ${before.join(' ')}`)
  try {
    const result = await scenario.run({ groups, telegramRate, log: (message) => console.log(`  ${message}`) })
    const seconds = Math.round((Date.now() - t0) / 100) / 10
    const after = load()
    results.push({ scenario, result, seconds, loadavg: { before, after } })
    for (const note of result.notes ?? []) console.log(`  note: ${note}`)
    console.log(`  (${seconds} s; load average ${after.join(' ')})`)
  } catch (error) {
    const message = (error as Error).stack ?? String(error)
    failures.push({ scenario: scenario.name, error: message })
    console.error(`  ${scenario.name} could not be measured: ${message}`)
  }
}

const totalSeconds = Math.round((Date.now() - started.getTime()) / 1000)
const table = markdownTable(results)
console.log(`\n${table}\n\ntotal: ${totalSeconds} s`)

const record = {
  command,
  startedAt: started.toISOString(),
  totalSeconds,
  groups,
  telegramRate,
  machine,
  table,
  scenarios: Object.fromEntries(results.map(({ scenario, result, seconds, loadavg }) => [scenario.name, { title: scenario.title, seconds, loadavg, ...result }])),
  failures,
}
const dir = new URL('./results/', import.meta.url)
mkdirSync(dir, { recursive: true })
const stamp = started.toISOString().replace(/[:.]/g, '-')
writeFileSync(new URL(`${stamp}.json`, dir), `${JSON.stringify(record, null, 2)}\n`)
writeFileSync(new URL('latest.json', dir), `${JSON.stringify(record, null, 2)}\n`)
console.log(`results: bench/results/${stamp}.json`)
process.exit(0)
