/**
 * Crash: the bot (bench/worker-process.ts, createApp with work only) delivers a broadcast to N
 * groups against the rate-limited fake; at 40 % it is killed with SIGKILL and started again at
 * once. Counted: messages lost, messages duplicated (at most the jobs in flight at the kill may
 * be), and how long the orphaned jobs wait: BullMQ hands a dead worker's active jobs back only
 * when its stalled-job check finds their lock (DELIVERY_LOCK_MS, 10 s by default) gone.
 */
import { Outbox } from '../../src/delivery/outbox.js'
import { Keys } from '../../src/store/redis.js'
import { benchConfig } from '../support/bot.js'
import { BotProcess } from '../support/bot-process.js'
import { countDeliveries, groupIds, round, until } from '../support/measure.js'
import { openStage } from '../support/scenario-stage.js'
import { verdict, type BenchContext, type Scenario, type ScenarioResult } from '../support/report.js'
import { reminderText } from './broadcast.js'

const killAt = 0.4
/** DELIVERY_LOCK_MS as the bot process reads it (the default unless the environment sets it) */
const lockMs = benchConfig({ apiRoot: 'http://127.0.0.1:1', token: '123456789:BENCH_token_abcdefghijklmnopq' }, 'bench-crash').delivery.lockMs

export const crashScenario: Scenario = {
  name: 'crash',
  title: 'Crash (kill -9 mid-broadcast)',
  async run(ctx: BenchContext): Promise<ScenarioResult> {
    const stage = await openStage('crash')
    const { fake, prefix, redis } = stage
    const outbox = new Outbox(redis, new Keys(prefix))
    const queue = outbox.queueFor('telegram')
    let bot = await BotProcess.start({ fake, prefix })
    try {
      const chats = groupIds(ctx.groups, 30)
      const started = Date.now()
      await outbox.sendMany(chats.map((chatId) => ({ to: { platform: 'telegram' as const, chatId }, message: { text: reminderText }, options: { key: `bench:crash:${chatId}`, purpose: 'reminder' as const } })))
      await fake.waitForMessages(Math.floor(ctx.groups * killAt), ctx.groups * 100, 10)

      await bot.kill9()
      const killedAt = Date.now()
      // The dead worker cannot move its jobs any more: what is active now is what it held.
      const orphans = (await queue.getActive()).map((job) => job.data.to.chatId)
      await new Promise((done) => setTimeout(done, 300)) // a request the bot wrote just before dying still lands
      const messagesAtKill = await fake.messages()
      const atKill = countDeliveries(messagesAtKill, chats)
      const reachedAtKill = new Set(messagesAtKill.map((m) => m.chatId))
      // Sent, but the bot died before the ledger recorded it: these are the resends the ledger cannot stop.
      const orphansAlreadyDelivered = orphans.filter((chatId) => reachedAtKill.has(chatId)).length
      ctx.log(`killed pid ${bot.pid} after ${atKill.reached} deliveries; ${orphans.length} jobs were active (in flight or waiting for their slot), ${orphansAlreadyDelivered} of them already delivered`)

      bot = await BotProcess.start({ fake, prefix })
      const restartedAt = Date.now()
      ctx.log(`restarted as pid ${bot.pid} in ${restartedAt - killedAt} ms`)
      await until(async () => countDeliveries(await fake.messages(), chats).lost === 0, ctx.groups * 60 + 120_000, 'every group to get the reminder after the restart', 250)
      await new Promise((done) => setTimeout(done, 3_000))

      const messages = await fake.messages()
      const counted = countDeliveries(messages, chats)
      const firstAfterRestart = Math.min(...messages.filter((m) => m.at >= restartedAt).map((m) => m.at))
      const orphanTimes = orphans.map((chatId) => messages.filter((m) => m.chatId === chatId).map((m) => m.at)).map((times) => Math.max(...times))
      const orphansRecoveredAt = orphanTimes.length ? Math.max(...orphanTimes) : restartedAt
      const stats = await fake.stats()
      const data = {
        groups: ctx.groups,
        killedAfter: atKill.reached,
        inFlightAtKill: orphans.length,
        orphansAlreadyDelivered,
        ...counted,
        rateLimited: stats.rateLimited,
        restartMs: restartedAt - killedAt,
        resumeMs: firstAfterRestart - restartedAt,
        orphanRecoveryMsAfterRestart: orphansRecoveredAt - restartedAt,
        orphanRecoveryMsAfterKill: orphansRecoveredAt - killedAt,
        totalMs: (counted.lastAt ?? Date.now()) - started,
      }
      ctx.log(`lost ${data.lost}, duplicates ${data.duplicates} (${data.duplicatedChats.join(', ') || 'none'}), orphans back after ${round(data.orphanRecoveryMsAfterKill / 1000)} s`)
      return {
        rows: [
          { metric: `lost (of ${ctx.groups}, killed at ${Math.round(killAt * 100)} %)`, ours: data.lost, target: '0', verdict: verdict(data.lost === 0) },
          { metric: 'duplicated', ours: data.duplicates, target: `≤ in flight (${data.inFlightAtKill} active jobs)`, verdict: verdict(data.duplicates <= data.inFlightAtKill) },
          { metric: 'restart → first delivery', ours: `${round(data.resumeMs / 1000, 2)} s`, verdict: 'info' },
          { metric: "kill → last orphaned job delivered (BullMQ's stalled check)", ours: `${round(data.orphanRecoveryMsAfterKill / 1000)} s`, target: `≈ lock ${lockMs / 1000} s + check every ${lockMs / 2000} s (DELIVERY_LOCK_MS)`, verdict: 'info' },
          { metric: 'whole broadcast, kill and restart included', ours: `${round(data.totalMs / 1000)} s`, verdict: 'info' },
        ],
        data,
      }
    } finally {
      await bot.stop()
      await outbox.close()
      await stage.close()
    }
  },
}
