/**
 * National scale: one reminder to 50,000 groups (a whole country's schools) through Telegram's
 * paid broadcast, against the fake with its limits on (paid sends: 1,000 in any second).
 *
 *  - ours: Outbox.sendMany → the delivery worker of createApp with
 *    TELEGRAM_PAID_BROADCAST_PER_SECOND=1000 (every send carries allow_paid_broadcast) and
 *    DELIVERY_CONCURRENCY=32 (at 1,000/s a send's round trip must not hold the pace).
 *
 * Measured: wall time from the first enqueue to the last message, the rate as the fake counted
 * it, 429s, the most sends in any one second, duplicates and lost; Redis memory (INFO
 * used_memory, sampled: the Redis is shared, so the delta is what this run added, give or take
 * other clients) with the queue full and after the run; the bench process's RSS (the bot runs in
 * it), sampled every 100 ms.
 */
import type { Redis } from 'ioredis'
import type { ChatRef } from '../../src/core/platform.js'
import { startBot } from '../support/bot.js'
import { countDeliveries, groupIds, maxPerSecond, megabytes, round } from '../support/measure.js'
import { openStage } from '../support/scenario-stage.js'
import { verdict, type BenchContext, type Scenario, type ScenarioResult } from '../support/report.js'
import { reminderText } from './broadcast.js'

const nationalGroups = 50_000
const paidRate = 1_000
const concurrency = 32
const enqueueChunk = 5_000

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory')
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0)
}

export const nationalScenario: Scenario = {
  name: 'national',
  title: 'National scale (50,000 groups, paid broadcast)',
  async run(ctx: BenchContext): Promise<ScenarioResult> {
    const stage = await openStage('national')
    const { fake, prefix, redis } = stage
    let peakRss = process.memoryUsage().rss
    let peakRedis = 0
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss)
      usedMemory(redis).then((used) => (peakRedis = Math.max(peakRedis, used)), () => undefined)
    }, 100)
    const app = await startBot({ fake, prefix, env: { TELEGRAM_PAID_BROADCAST_PER_SECOND: String(paidRate), DELIVERY_CONCURRENCY: String(concurrency) } })
    try {
      const redisBefore = await usedMemory(redis)
      const rssBefore = process.memoryUsage().rss
      const chats = groupIds(nationalGroups, 70)
      const started = Date.now()
      for (let start = 0; start < chats.length; start += enqueueChunk) {
        await app.deps.outbox.sendMany(
          chats.slice(start, start + enqueueChunk).map((chatId) => ({ to: { platform: 'telegram', chatId } satisfies ChatRef, message: { text: reminderText }, options: { key: `bench:national:${chatId}`, purpose: 'reminder' as const } })),
        )
      }
      const enqueueMs = Date.now() - started
      const redisQueued = await usedMemory(redis)
      ctx.log(`${nationalGroups} jobs enqueued in ${enqueueMs} ms; Redis used_memory +${megabytes(redisQueued - redisBefore)} MB`)
      await fake.waitForMessages(nationalGroups, (nationalGroups / paidRate) * 1000 * 4 + 60_000, 500)
      await new Promise((done) => setTimeout(done, 2_000))
      const [messages, stats] = await Promise.all([fake.messages(), fake.stats()])
      const counted = countDeliveries(messages, chats)
      const wallMs = (counted.lastAt ?? Date.now()) - started
      const perSecond = counted.reached / (wallMs / 1000)
      const busiestSecond = maxPerSecond(messages.map((m) => m.at))
      const redisAfter = await usedMemory(redis)
      const ledgerKeys = await app.deps.ledger.count('sent')
      ctx.log(`${counted.reached}/${nationalGroups} in ${round(wallMs / 1000)} s = ${round(perSecond)}/s; ${stats.rateLimited} × 429; busiest second ${busiestSecond}; ${counted.duplicates} duplicates, ${counted.lost} lost; RSS peak ${megabytes(peakRss)} MB; Redis +${megabytes(peakRedis - redisBefore)} MB at most`)
      return {
        rows: [
          { metric: `wall time, ${nationalGroups} groups at TELEGRAM_PAID_BROADCAST_PER_SECOND=${paidRate} (concurrency ${concurrency})`, ours: `${round(wallMs / 1000)} s (enqueue ${round(enqueueMs / 1000)} s)`, target: '(28 min at 30/s)', verdict: 'info' },
          { metric: `messages/s (share of ${paidRate}/s)`, ours: `${round(perSecond)} (${round((100 * perSecond) / paidRate)} %)`, verdict: 'info' },
          { metric: '429s / most sends in any one second', ours: `${stats.rateLimited} / ${busiestSecond}`, target: `0 / ≤ ${paidRate}`, verdict: verdict(stats.rateLimited === 0 && busiestSecond <= paidRate) },
          { metric: 'sends carrying allow_paid_broadcast', ours: `${stats.paid} of ${stats.sent}`, verdict: 'info' },
          { metric: 'duplicates / lost', ours: `${counted.duplicates} / ${counted.lost}`, target: '0 / 0', verdict: verdict(counted.duplicates === 0 && counted.lost === 0) },
          { metric: 'Redis used_memory: queued / peak / after (above the start)', ours: `+${megabytes(redisQueued - redisBefore)} / +${megabytes(peakRedis - redisBefore)} / +${megabytes(redisAfter - redisBefore)} MB`, verdict: 'info' },
          { metric: 'RSS of the process running the bot: before / peak', ours: `${megabytes(rssBefore)} / ${megabytes(peakRss)} MB`, verdict: 'info' },
        ],
        data: { groups: nationalGroups, paidRate, concurrency, enqueueMs, wallMs, perSecond: round(perSecond, 2), busiestSecond, rateLimited: stats.rateLimited, paid: stats.paid, ...counted, duplicatedChats: counted.duplicatedChats.slice(0, 20), ledgerSent: ledgerKeys, redis: { beforeMB: megabytes(redisBefore), queuedMB: megabytes(redisQueued), peakMB: megabytes(peakRedis), afterMB: megabytes(redisAfter) }, rss: { beforeMB: megabytes(rssBefore), peakMB: megabytes(peakRss) } },
      }
    } finally {
      clearInterval(sampler)
      await app.stop()
      await stage.close()
    }
  },
}
