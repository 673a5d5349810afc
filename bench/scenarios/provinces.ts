/**
 * One bot per province: one reminder to N groups (--groups, 2,000 by default) split among 3 bot
 * tokens (TELEGRAM_BOT_TOKEN and TELEGRAM_BOTS=hn:…,hcm:…), each at TELEGRAM_MESSAGES_PER_SECOND=30,
 * on one app and one Redis, against the fake with Telegram's limits on and counted per token
 * (every token's 30 in any 1,000 ms, strict and sliding, as for the broadcast scenario).
 *
 *  - ours: Outbox.sendMany to { platform: 'telegram' | 'telegram-hn' | 'telegram-hcm' } → the
 *    three delivery workers of createApp (a queue, a pace and a worker per token) → the fake.
 *
 * Measured: wall time from the first enqueue to the last message, the aggregate rate against one
 * token's 30/s, and per token its rate, 429s, busiest second, duplicates and lost.
 */
import type { Platform } from '../../src/core/platform.js'
import { benchPrefix, dropPrefix, startBot } from '../support/bot.js'
import { FakeHost } from '../support/fake-host.js'
import { countDeliveries, groupIds, maxPerSecond, round, telegramCeiling } from '../support/measure.js'
import { verdict, type BenchContext, type Row, type Scenario, type ScenarioResult } from '../support/report.js'
import { reminderText } from './broadcast.js'

/** The default bot, then two provinces'; each token's prefix is its bot id at the fake. */
const bots = [
  { platform: 'telegram', token: '123456789:BENCH_default_abcdefghijklmnop', username: 'safeschool_bench_bot' },
  { platform: 'telegram-hn', code: 'hn', token: '223456789:BENCH_hanoi_abcdefghijklmnopqr', username: 'safeschool_hn_bench_bot' },
  { platform: 'telegram-hcm', code: 'hcm', token: '323456789:BENCH_hcm_abcdefghijklmnopqrst', username: 'safeschool_hcm_bench_bot' },
] as const

export const provincesScenario: Scenario = {
  name: 'provinces',
  title: `One bot per province (${bots.length} tokens at 30/s each, one Redis)`,
  async run(ctx: BenchContext): Promise<ScenarioResult> {
    const fakes = await FakeHost.startMany(bots.map((bot) => ({ token: bot.token, botUsername: bot.username, rateLimits: true })))
    const prefix = benchPrefix('provinces')
    const provinceBots = bots.flatMap((bot) => ('code' in bot ? [`${bot.code}:${bot.token}`] : [])).join(',')
    const app = await startBot({ fake: fakes[0]!, prefix, env: { TELEGRAM_BOTS: provinceBots } })
    try {
      const chats = groupIds(ctx.groups, 80)
      // Group i joined bot i mod 3: each token gets a third of the country.
      const chatsOf = bots.map((_, b) => chats.filter((_, i) => i % bots.length === b))
      const started = Date.now()
      await app.deps.outbox.sendMany(
        chats.map((chatId, i) => ({ to: { platform: bots[i % bots.length]!.platform as Platform, chatId }, message: { text: reminderText }, options: { key: `bench:provinces:${chatId}`, purpose: 'reminder' as const } })),
      )
      const enqueueMs = Date.now() - started
      ctx.log(`${chats.length} jobs for ${bots.length} bots enqueued in ${enqueueMs} ms`)
      const perBotTimeout = (Math.ceil(ctx.groups / bots.length) / telegramCeiling) * 1000 * 3 + 60_000
      await Promise.all(fakes.map((fake, b) => fake.waitForMessages(chatsOf[b]!.length, perBotTimeout, 500)))
      await new Promise((done) => setTimeout(done, 2_000))

      const perBot = await Promise.all(
        fakes.map(async (fake, b) => {
          const [messages, stats] = await Promise.all([fake.messages(), fake.stats()])
          const counted = countDeliveries(messages, chatsOf[b]!)
          // Another bot's group reaching this token would be a message through the wrong bot.
          const own = new Set(chatsOf[b])
          const others = messages.filter((m) => !own.has(m.chatId)).length
          const wallMs = (counted.lastAt ?? Date.now()) - started
          return { platform: bots[b]!.platform, ...counted, duplicatedChats: counted.duplicatedChats.slice(0, 20), others, wallMs, perSecond: round(counted.reached / (wallMs / 1000), 2), rateLimited: stats.rateLimited, busiestSecond: maxPerSecond(messages.map((m) => m.at)) }
        }),
      )
      const wallMs = Math.max(...perBot.map((bot) => bot.wallMs))
      const reached = perBot.reduce((sum, bot) => sum + bot.reached, 0)
      const perSecond = reached / (wallMs / 1000)
      const oneTokenSeconds = ctx.groups / telegramCeiling
      for (const bot of perBot) ctx.log(`${bot.platform}: ${bot.reached}/${bot.expected} in ${round(bot.wallMs / 1000)} s = ${bot.perSecond}/s; ${bot.rateLimited} × 429; busiest second ${bot.busiestSecond}; ${bot.duplicates} duplicates, ${bot.lost} lost, ${bot.others} through the wrong bot`)
      ctx.log(`all: ${reached}/${ctx.groups} in ${round(wallMs / 1000)} s = ${round(perSecond)}/s (one token at 30/s: ${round(oneTokenSeconds)} s)`)
      const clean = perBot.every((bot) => bot.rateLimited === 0 && bot.busiestSecond <= telegramCeiling)
      const exact = perBot.every((bot) => bot.duplicates === 0 && bot.lost === 0 && bot.others === 0)
      const rows: Row[] = [
        { metric: `wall time, ${ctx.groups} groups over ${bots.length} tokens at 30/s each`, ours: `${round(wallMs / 1000)} s (enqueue ${round(enqueueMs / 1000)} s)`, target: `(${round(oneTokenSeconds)} s on one token)`, verdict: 'info' },
        { metric: `messages/s, all tokens (share of ${bots.length} × 30/s)`, ours: `${round(perSecond)} (${round((100 * perSecond) / (bots.length * telegramCeiling))} %)`, verdict: 'info' },
        { metric: 'messages/s per token', ours: perBot.map((bot) => `${bot.platform} ${round(bot.perSecond)}`).join(', '), verdict: 'info' },
        { metric: '429s / most sends in any one second, per token', ours: perBot.map((bot) => `${bot.rateLimited} / ${bot.busiestSecond}`).join(', '), target: '0 / ≤ 30 each', verdict: verdict(clean) },
        { metric: 'duplicates / lost / through the wrong bot', ours: `${perBot.reduce((s, b) => s + b.duplicates, 0)} / ${perBot.reduce((s, b) => s + b.lost, 0)} / ${perBot.reduce((s, b) => s + b.others, 0)}`, target: '0 / 0 / 0', verdict: verdict(exact) },
      ]
      return { rows, data: { groups: ctx.groups, tokens: bots.length, enqueueMs, wallMs, perSecond: round(perSecond, 2), oneTokenSeconds: round(oneTokenSeconds), perBot } }
    } finally {
      await app.stop()
      await fakes[0]!.stop()
      await dropPrefix(prefix)
    }
  },
}
