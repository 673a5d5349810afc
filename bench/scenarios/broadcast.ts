/**
 * Broadcast: one reminder to N groups (2,000 by default) against the fake with Telegram's limits
 * on (30/s overall, 20/min per group, 1/s per private chat; 429 with retry_after past them).
 *
 *  - ours: Outbox.sendMany → the delivery worker of createApp (TELEGRAM_MESSAGES_PER_SECOND=30,
 *    DELIVERY_CONCURRENCY=16, the defaults; --telegram-rate N sets the first) → the fake.
 *  - baseline: what grammY users usually do: an `Api` with @grammyjs/transformer-throttler
 *    (its defaults) and @grammyjs/auto-retry (its defaults), sending in a loop, 3 at a time
 *    ("send sequentially, maybe a few in parallel", grammY's flood-limit docs).
 */
import { autoRetry } from '@grammyjs/auto-retry'
import { apiThrottler } from '@grammyjs/transformer-throttler'
import { Api } from 'grammy'
import type { ChatRef } from '../../src/core/platform.js'
import { benchPrefix, dropPrefix, startBot } from '../support/bot.js'
import { FakeHost } from '../support/fake-host.js'
import { countDeliveries, groupIds, maxPerSecond, percentile, round, telegramCeiling, until, type DeliveryCount } from '../support/measure.js'
import { verdict, type BenchContext, type Scenario, type ScenarioResult } from '../support/report.js'

export const reminderText = 'Nhắc hạn: trường nộp <b>báo cáo ANTT tháng 11</b> trước 17:00 thứ Năm 26/11. Gõ /tiendo để xem ai đã nộp.'

export interface BroadcastRun extends DeliveryCount {
  wallMs: number
  perSecond: number
  shareOfCeiling: number
  rateLimited: number
  /** spacing between consecutive deliveries at the fake: the pacing as Telegram would see it */
  gapsMs: { min: number; p1: number; p50: number; p99: number; max: number }
  requests: number
  /** when the fake stored each message */
  times: number[]
}

async function settle(fake: FakeHost, expected: number, timeoutMs: number): Promise<void> {
  await fake.waitForMessages(expected, timeoutMs)
  // Anything still coming (a duplicate, a late retry) has a moment to arrive before we count.
  await new Promise((done) => setTimeout(done, 2_000))
}

async function summarize(fake: FakeHost, chats: string[], started: number): Promise<BroadcastRun> {
  const [messages, stats] = await Promise.all([fake.messages(), fake.stats()])
  const counted = countDeliveries(messages, chats)
  const wallMs = (counted.lastAt ?? Date.now()) - started
  const perSecond = counted.reached / (wallMs / 1000)
  const times = messages.map((m) => m.at).sort((a, b) => a - b)
  const gaps = times.slice(1).map((at, i) => at - times[i]!)
  return {
    ...counted,
    duplicatedChats: counted.duplicatedChats.slice(0, 20),
    wallMs,
    perSecond: round(perSecond, 2),
    shareOfCeiling: round((100 * perSecond) / telegramCeiling, 1),
    rateLimited: stats.rateLimited,
    gapsMs: { min: Math.min(...gaps), p1: percentile(gaps, 1), p50: percentile(gaps, 50), p99: percentile(gaps, 99), max: Math.max(...gaps) },
    requests: stats.requests,
    times,
  }
}

export async function runOurs(groups: number, series: number, log: (message: string) => void, env: Record<string, string> = {}): Promise<BroadcastRun> {
  const fake = await FakeHost.start({ rateLimits: true })
  const prefix = benchPrefix('broadcast')
  const app = await startBot({ fake, prefix, env })
  try {
    const chats = groupIds(groups, series)
    const started = Date.now()
    await app.deps.outbox.sendMany(
      chats.map((chatId) => ({ to: { platform: 'telegram', chatId } satisfies ChatRef, message: { text: reminderText }, options: { key: `bench:reminder:${chatId}`, purpose: 'reminder' as const } })),
    )
    log(`ours: ${groups} jobs enqueued in ${Date.now() - started} ms`)
    await settle(fake, groups, (groups / 25) * 1000 + 60_000)
    const run = await summarize(fake, chats, started)
    log(`ours: ${run.reached}/${groups} in ${round(run.wallMs / 1000)} s, ${run.perSecond}/s, ${run.rateLimited} × 429, ${run.duplicates} duplicates`)
    return run
  } finally {
    await app.stop()
    await fake.stop()
    await dropPrefix(prefix)
  }
}

export async function runBaseline(groups: number, series: number, log: (message: string) => void, parallel = 3): Promise<BroadcastRun & { failed: number }> {
  const fake = await FakeHost.start({ rateLimits: true })
  try {
    const api = new Api(fake.token, { apiRoot: fake.apiRoot })
    api.config.use(apiThrottler())
    api.config.use(autoRetry())
    const chats = groupIds(groups, series)
    let next = 0
    let failed = 0
    const started = Date.now()
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (next < chats.length) {
          const chatId = chats[next++]!
          try {
            await api.sendMessage(chatId, reminderText, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } })
          } catch {
            failed++
          }
        }
      }),
    )
    await until(async () => (await fake.stats()).messages >= groups - failed, 10_000, 'the baseline to finish')
    await new Promise((done) => setTimeout(done, 2_000))
    const run = { ...(await summarize(fake, chats, started)), failed }
    log(`baseline: ${run.reached}/${groups} in ${round(run.wallMs / 1000)} s, ${run.perSecond}/s, ${run.rateLimited} × 429, ${run.duplicates} duplicates`)
    return run
  } finally {
    await fake.stop()
  }
}

/** Our broadcast is run this many times: a 429 now and then would hide in a single run. */
const oursRuns = 3

export const broadcastScenario: Scenario = {
  name: 'broadcast',
  title: 'Broadcast (limits on)',
  async run(ctx: BenchContext): Promise<ScenarioResult> {
    const runs: BroadcastRun[] = []
    for (let run = 0; run < oursRuns; run++) runs.push(await runOurs(ctx.groups, 1 + 10 * run, ctx.log, ctx.telegramRate ? { TELEGRAM_MESSAGES_PER_SECOND: String(ctx.telegramRate) } : {}))
    const baseline = await runBaseline(ctx.groups, 2, ctx.log)
    const ours = runs.reduce((worst, run) => (run.shareOfCeiling < worst.shareOfCeiling ? run : worst))
    const all = (pick: (run: BroadcastRun) => string | number) => runs.map(pick).join(' / ')
    return {
      rows: [
        { metric: `wall time, ${ctx.groups} groups (ours: TELEGRAM_MESSAGES_PER_SECOND=${ctx.telegramRate ?? 30}, ${oursRuns} runs)`, ours: all((run) => `${round(run.wallMs / 1000)} s`), baseline: `${round(baseline.wallMs / 1000)} s`, verdict: 'info' },
        { metric: 'messages/s (share of 30/s), each run', ours: all((run) => `${run.perSecond} (${run.shareOfCeiling} %)`), baseline: `${baseline.perSecond} (${baseline.shareOfCeiling} %)`, target: '≥ 97 %', verdict: verdict(ours.shareOfCeiling >= 97) },
        { metric: '429s received, each run', ours: all((run) => run.rateLimited), baseline: baseline.rateLimited, target: '0', verdict: verdict(runs.every((run) => run.rateLimited === 0)) },
        { metric: 'requests made (sends + 429d attempts)', ours: all((run) => run.requests), baseline: baseline.requests, verdict: 'info' },
        { metric: 'gap between deliveries p1 / p50 / p99 (slowest run)', ours: `${ours.gapsMs.p1} / ${ours.gapsMs.p50} / ${ours.gapsMs.p99} ms`, baseline: `${baseline.gapsMs.p1} / ${baseline.gapsMs.p50} / ${baseline.gapsMs.p99} ms`, verdict: 'info' },
        { metric: 'most deliveries in any one second (the fake counts any 1,000 ms window)', ours: all((run) => maxPerSecond(run.times)), baseline: maxPerSecond(baseline.times), target: '≤ 30', verdict: verdict(runs.every((run) => maxPerSecond(run.times) <= 30)) },
        { metric: 'duplicates', ours: all((run) => run.duplicates), baseline: baseline.duplicates, target: '0', verdict: verdict(runs.every((run) => run.duplicates === 0)) },
        { metric: 'lost', ours: all((run) => run.lost), baseline: baseline.lost, target: '0', verdict: verdict(runs.every((run) => run.lost === 0)) },
      ],
      data: { groups: ctx.groups, telegramRate: ctx.telegramRate ?? 30, ours: runs.map(({ times: _times, ...run }) => run), baseline: { ...baseline, times: undefined }, baselineSetup: 'grammY Api + apiThrottler() + autoRetry(), 3 sends in parallel' },
    }
  },
}
