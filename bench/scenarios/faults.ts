/**
 * Faults: one reminder to `faultGroups` groups through a faulty network (bench/support/fault-proxy.ts)
 * in front of the rate-limited fake: 20 % of the delivery requests are answered badly, half of
 * them 500 Internal Server Error, half timed out (the proxy never answers; the client gives up
 * after TelegramChannel's 20 s timeout). Of the timeouts, half never reached Telegram and half
 * were processed by it before the answer was lost.
 *
 * The bot is bench/worker-process.ts (createApp, work only, the defaults: 30/s, 16 in parallel,
 * 8 attempts with exponential backoff from 2 s). Counted: lost, duplicates, and how many of the
 * duplicates a processed-then-lost request explains (a resend no sender can avoid: the Bot API
 * has no idempotency key). The group count is smaller than the broadcast's because every
 * timed-out request holds one of the 16 delivery slots for 20 s.
 */
import { Outbox } from '../../src/delivery/outbox.js'
import { Keys } from '../../src/store/redis.js'
import { BotProcess } from '../support/bot-process.js'
import type { ProxyFaultKind } from '../support/fault-proxy.js'
import { countDeliveries, groupIds, round, sleep, telegramCeiling, until } from '../support/measure.js'
import { openStage } from '../support/scenario-stage.js'
import { verdict, type BenchContext, type Scenario, type ScenarioResult } from '../support/report.js'
import { reminderText } from './broadcast.js'

export const faultGroups = 200
const faultRate = 0.2
const weights: Record<ProxyFaultKind, number> = { 'server-error': 2, 'timeout-unprocessed': 1, 'timeout-processed': 1 }

export const faultsScenario: Scenario = {
  name: 'faults',
  title: 'Faults (20 % 500 / timeout)',
  async run(ctx: BenchContext): Promise<ScenarioResult> {
    const groups = Math.min(faultGroups, ctx.groups)
    const stage = await openStage('faults')
    const { fake, prefix, redis } = stage
    const { apiRoot } = await fake.startFaultProxy({ rate: faultRate, weights, seed: 7 })
    const outbox = new Outbox(redis, new Keys(prefix))
    const queue = outbox.queueFor('telegram')
    const bot = await BotProcess.start({ fake: { apiRoot, token: fake.token }, prefix })
    try {
      const chats = groupIds(groups, 50)
      const started = Date.now()
      await outbox.sendMany(chats.map((chatId) => ({ to: { platform: 'telegram' as const, chatId }, message: { text: reminderText }, options: { key: `bench:faults:${chatId}`, purpose: 'reminder' as const } })))
      let finished = true
      await until(
        async () => {
          const left = await queue.getJobCountByTypes('waiting', 'active', 'delayed', 'prioritized')
          return left === 0 && countDeliveries(await fake.messages(), chats).lost === 0
        },
        240_000,
        'every group to get the reminder through the faults',
        250,
      ).catch(() => {
        finished = false
      })
      await sleep(2_000)

      const [messages, stats, proxy, failedJobs] = await Promise.all([fake.messages(), fake.stats(), fake.faultProxyStats(), queue.getFailedCount()])
      const counted = countDeliveries(messages, chats)
      const wanted = new Set(chats)
      const faults = proxy.faults.filter((f) => f.chatId !== undefined && wanted.has(f.chatId))
      const byKind = Object.fromEntries((Object.keys(weights) as ProxyFaultKind[]).map((kind) => [kind, faults.filter((f) => f.kind === kind).length])) as Record<ProxyFaultKind, number>
      const processedTimeouts = new Map<string, number>()
      for (const fault of faults) if (fault.kind === 'timeout-processed' && fault.processed) processedTimeouts.set(fault.chatId!, (processedTimeouts.get(fault.chatId!) ?? 0) + 1)
      const perChat = new Map<string, number>()
      for (const message of messages) if (wanted.has(message.chatId)) perChat.set(message.chatId, (perChat.get(message.chatId) ?? 0) + 1)
      let explained = 0
      let unexplained = 0
      for (const [chatId, copies] of perChat) {
        const extra = copies - 1
        const excuse = processedTimeouts.get(chatId) ?? 0
        explained += Math.min(extra, excuse)
        unexplained += Math.max(0, extra - excuse)
      }
      const wallMs = (counted.lastAt ?? Date.now()) - started
      const deliveryRequests = proxy.faults.length + (await fake.requests({ method: 'sendMessage' })).length - byKind['timeout-processed']
      const data = {
        groups,
        faultRate,
        weights,
        finished,
        requests: deliveryRequests,
        faultsInjected: faults.length,
        faultShare: round((100 * faults.length) / Math.max(1, deliveryRequests), 1),
        byKind,
        processedTimeoutsDelivered: [...processedTimeouts.values()].reduce((a, b) => a + b, 0),
        clientGaveUp: proxy.clientGaveUp,
        ...counted,
        duplicatedChats: counted.duplicatedChats.slice(0, 20),
        duplicatesExplained: explained,
        duplicatesUnexplained: unexplained,
        failedJobs,
        rateLimited: stats.rateLimited,
        wallMs,
        perSecond: round(counted.reached / (wallMs / 1000), 2),
      }
      ctx.log(
        `${counted.reached}/${groups} reached in ${round(wallMs / 1000)} s (${data.perSecond}/s); ${faults.length} faults in ${deliveryRequests} delivery requests (${JSON.stringify(byKind)}); lost ${counted.lost}, duplicates ${counted.duplicates} (${explained} after a processed timeout, ${unexplained} otherwise); ${stats.rateLimited} × 429`,
      )
      return {
        rows: [
          { metric: `lost (of ${groups} groups; ${faults.length} faults in ${deliveryRequests} requests = ${data.faultShare} %)`, ours: counted.lost, target: '0', verdict: verdict(counted.lost === 0 && finished) },
          {
            metric: `duplicates (${byKind['timeout-processed']} requests Telegram processed whose answer was lost)`,
            ours: `${counted.duplicates} (${explained} after such a request, ${unexplained} otherwise)`,
            target: '0 beyond the processed-then-lost requests',
            verdict: verdict(unexplained === 0),
          },
          { metric: '429s during the faults', ours: stats.rateLimited, target: '0', verdict: verdict(stats.rateLimited === 0) },
          { metric: `wall time and rate (${byKind['timeout-unprocessed'] + byKind['timeout-processed']} × 20 s client timeouts)`, ours: `${round(wallMs / 1000)} s, ${data.perSecond}/s (${round((100 * data.perSecond) / telegramCeiling)} % of 30/s)`, verdict: 'info' },
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
