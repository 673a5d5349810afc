/**
 * Raw pipeline: the same broadcast to a fake with no limits, so the deliveries/s measure the
 * pipeline itself.
 *
 *  - ours: Outbox.sendMany, then createDeliveryWorker (ledger check, directory lookup, chat and
 *    platform budgets in Redis, TelegramChannel, ledger write) composed as createApp composes it
 *    (chat ids sealed with IdentityCipher, pseudonymous pacing keys), with a channel whose pace
 *    cannot bind (messagesPerSecond = Infinity → no spacing).
 *  - ours, paced at 1,000,000/s: the same with a finite rate, to show that the platform budget
 *    spaces sends in whole milliseconds (a cap of 1,000/s per platform).
 *  - bare: a BullMQ Queue/Worker pair posting the same sendMessage with grammY's Api, same job
 *    options (jobId, attempts, backoff, removeOnComplete) and the same concurrency.
 *
 * The worker runs in this process; the fake runs in its own. Rounds alternate bare/ours and the
 * median is reported. Redis commands are counted per job (ioredis, this process only).
 */
import { randomBytes } from 'node:crypto'
import { Queue, Worker } from 'bullmq'
import { Api } from 'grammy'
import type { Redis } from 'ioredis'
import { systemClock } from '../../src/core/clock.js'
import { chatKey, type ChatRef } from '../../src/core/platform.js'
import { deliveryJobId } from '../../src/delivery/delivery-job.js'
import { DeliveryLedger } from '../../src/delivery/delivery-ledger.js'
import { createDeliveryWorker } from '../../src/delivery/delivery-worker.js'
import { deliveryJobOptions, Outbox } from '../../src/delivery/outbox.js'
import { SendBudget } from '../../src/delivery/send-budget.js'
import { Directory } from '../../src/directory/directory.js'
import { createLogger } from '../../src/logger.js'
import { TelegramChannel } from '../../src/platforms/telegram/telegram-channel.js'
import { connectRedis, Keys } from '../../src/store/redis.js'
import { IdentityCipher } from '../../src/tips/identity-cipher.js'
import { benchConfig, benchPrefix, connectBenchRedis, dropPrefix, logLevel, redisUrl } from '../support/bot.js'
import { FakeHost } from '../support/fake-host.js'
import { groupIds, median, round } from '../support/measure.js'
import { profileRedis, redisCpuSeconds, type RedisProfile } from '../support/redis-profile.js'
import { verdict, type BenchContext, type Scenario, type ScenarioResult } from '../support/report.js'
import { reminderText } from './broadcast.js'

const rounds = 5
const sealKey = randomBytes(32)
/** DELIVERY_LOCK_MS's default, as createApp passes it */
const lockMs = benchConfig({ apiRoot: 'http://127.0.0.1:1', token: '123456789:BENCH_token_abcdefghijklmnopq' }, 'bench-raw').delivery.lockMs
/** 16 is DELIVERY_CONCURRENCY's default; 64 shows whether the rate is bound by latency or by CPU. */
const concurrencies = [16, 64]

type Variant = 'bare' | 'ours' | 'ours-paced'

interface RoundResult {
  variant: Variant
  concurrency: number
  jobs: number
  enqueueMs: number
  deliverMs: number
  perSecond: number
  /** CPU ms per job: this process (the worker), the fake's process, Redis */
  cpuPerJobMs: { worker: number; fake: number; redis: number }
  redis: RedisProfile & { commandsPerJob: number; roundTripsPerJob: number; writesPerJob: number }
}

interface Connections {
  client: Redis
  worker: Redis
  stats: Redis
}

async function timeRound(variant: Variant, concurrency: number, fake: FakeHost, conns: Connections, chats: string[], log: (message: string) => void): Promise<RoundResult> {
  const prefix = benchPrefix(`raw-${variant}`)
  const keys = new Keys(prefix)
  const before = (await fake.stats()).messages
  let enqueueMs = 0
  let worker: Worker
  if (variant === 'bare') {
    const queue = new Queue<{ chatId: string; text: string }>('bare-telegram', { connection: conns.client, prefix: keys.bullPrefix })
    const t = Date.now()
    await queue.addBulk(chats.map((chatId) => ({ name: 'reminder', data: { chatId, text: reminderText }, opts: { ...deliveryJobOptions, jobId: deliveryJobId(`bench:raw:${chatId}`) } })))
    enqueueMs = Date.now() - t
    await queue.close()
    const api = new Api(fake.token, { apiRoot: fake.apiRoot, timeoutSeconds: 20 })
    worker = new Worker<{ chatId: string; text: string }>(
      'bare-telegram',
      async (job) => String((await api.sendMessage(job.data.chatId, job.data.text, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } })).message_id),
      { connection: conns.worker, prefix: keys.bullPrefix, concurrency, autorun: false },
    )
  } else {
    // createApp's composition: chat ids sealed in job data, pseudonyms in pacing keys.
    const sealer = new IdentityCipher(sealKey)
    const pseudonymOf = (chat: ChatRef) => `p-${sealer.pseudonym(chatKey(chat)).slice(0, 32)}`
    const client = conns.client
    const outbox = new Outbox(client, keys, sealer)
    const t = Date.now()
    await outbox.sendMany(chats.map((chatId) => ({ to: { platform: 'telegram' as const, chatId }, message: { text: reminderText }, options: { key: `bench:raw:${chatId}`, purpose: 'reminder' as const } })))
    enqueueMs = Date.now() - t
    await outbox.close()
    const channel = new TelegramChannel({ token: fake.token, apiRoot: fake.apiRoot, botUsername: fake.botUsername, messagesPerSecond: variant === 'ours' ? Number.POSITIVE_INFINITY : 1_000_000 })
    worker = createDeliveryWorker({
      channel,
      connection: conns.worker,
      keys,
      budget: new SendBudget(client, keys, pseudonymOf),
      ledger: new DeliveryLedger(client, keys, (chat) => (channel.kindOf(chat.chatId) === 'group' ? chatKey(chat) : `${chat.platform}:${pseudonymOf(chat)}`)),
      directory: new Directory(client, keys),
      clock: systemClock,
      logger: createLogger(logLevel),
      concurrency,
      lockMs,
      sealer,
    })
  }
  worker.on('error', (error) => log(`${variant} worker error: ${error.message}`))

  const profile = profileRedis()
  const cpu0 = process.cpuUsage()
  const fakeCpu0 = (await fake.stats()).cpu
  const redisCpu0 = await redisCpuSeconds(conns.stats)
  const started = Date.now()
  void worker.run()
  const stats = await fake.waitForMessages(before + chats.length, 120_000, 20)
  const lastAt = Math.max(...(await fake.messages(before)).map((m) => m.at))
  const cpu = process.cpuUsage(cpu0)
  const redisCpu = (await redisCpuSeconds(conns.stats)) - redisCpu0
  const counted = profile.stop()
  await worker.close()
  await dropPrefix(prefix)

  const jobs = chats.length
  const deliverMs = Math.max(1, lastAt - started)
  const result: RoundResult = {
    variant,
    concurrency,
    jobs,
    enqueueMs,
    deliverMs,
    perSecond: Math.round(jobs / (deliverMs / 1000)),
    cpuPerJobMs: {
      worker: round((cpu.user + cpu.system) / 1000 / jobs, 3),
      fake: round((stats.cpu.user + stats.cpu.system - fakeCpu0.user - fakeCpu0.system) / 1000 / jobs, 3),
      redis: round((redisCpu * 1000) / jobs, 3),
    },
    redis: { ...counted, commandsPerJob: round(counted.totalCommands / jobs, 2), roundTripsPerJob: round(counted.roundTrips / jobs, 2), writesPerJob: round(counted.socketWrites / jobs, 2) },
  }
  log(`${variant} ×${concurrency}: ${jobs} in ${deliverMs} ms = ${result.perSecond}/s (enqueue ${enqueueMs} ms); CPU/job worker ${result.cpuPerJobMs.worker} ms, fake ${result.cpuPerJobMs.fake} ms, redis ${result.cpuPerJobMs.redis} ms; ${result.redis.commandsPerJob} redis commands, ${result.redis.roundTripsPerJob} round trips, ${result.redis.writesPerJob} socket writes per job`)
  return result
}

function medianRound(results: RoundResult[], variant: Variant, concurrency: number): RoundResult {
  const mine = results.filter((r) => r.variant === variant && r.concurrency === concurrency)
  const mid = median(mine.map((r) => r.perSecond))
  return mine.find((r) => r.perSecond === mid)!
}

/**
 * Each round's bare rate over the ours rate that ran just after it: on a machine others load
 * unevenly, a pair shares its moment's load, where the two medians may come from different ones.
 */
function pairedOverheads(results: RoundResult[], concurrency: number): number[] {
  const bare = results.filter((r) => r.variant === 'bare' && r.concurrency === concurrency)
  const ours = results.filter((r) => r.variant === 'ours' && r.concurrency === concurrency)
  return bare.map((b, i) => b.perSecond / ours[i]!.perSecond)
}

export const rawPipelineScenario: Scenario = {
  name: 'raw',
  title: 'Raw pipeline (no limits)',
  async run(ctx: BenchContext): Promise<ScenarioResult> {
    const fake = await FakeHost.start({ rateLimits: false })
    const conns: Connections = { client: connectRedis({ url: redisUrl }, 'client'), worker: connectRedis({ url: redisUrl }, 'worker'), stats: connectBenchRedis() }
    await Promise.all([conns.client.ping(), conns.worker.ping(), conns.stats.ping()])
    const results: RoundResult[] = []
    let series = 10
    try {
      // One unmeasured round each to warm up the JIT, the fake and the connections.
      const warm = groupIds(Math.min(500, ctx.groups), 9)
      await timeRound('bare', 16, fake, conns, warm, () => undefined)
      await timeRound('ours', 16, fake, conns, warm, () => undefined)
      for (const concurrency of concurrencies) {
        for (let round = 0; round < rounds; round++) {
          const chats = groupIds(ctx.groups, series++)
          results.push(await timeRound('bare', concurrency, fake, conns, chats, ctx.log))
          results.push(await timeRound('ours', concurrency, fake, conns, chats, ctx.log))
        }
      }
      results.push(await timeRound('ours-paced', 16, fake, conns, groupIds(ctx.groups, series++), ctx.log))
    } finally {
      await fake.stop()
      await Promise.all([conns.client.quit(), conns.worker.quit(), conns.stats.quit()])
    }
    const rows: ScenarioResult['rows'] = []
    const medians: Record<string, { bare: RoundResult; ours: RoundResult; overhead: number; paired: number }> = {}
    for (const concurrency of concurrencies) {
      const bare = medianRound(results, 'bare', concurrency)
      const ours = medianRound(results, 'ours', concurrency)
      const overhead = round(bare.perSecond / ours.perSecond, 2)
      const paired = round(median(pairedOverheads(results, concurrency)), 2)
      medians[concurrency] = { bare, ours, overhead, paired }
      rows.push(
        { metric: `deliveries/s, ${ctx.groups} jobs, concurrency ${concurrency} (median of ${rounds})`, ours: ours.perSecond, baseline: `${bare.perSecond} (bare BullMQ + grammY Api)`, target: '≥ 2,000/s', verdict: verdict(ours.perSecond >= 2000) },
        { metric: `overhead at concurrency ${concurrency} (bare rate ÷ our rate)`, ours: `${overhead}×`, target: '≤ 1.5×', verdict: verdict(overhead <= 1.5) },
        { metric: `overhead at concurrency ${concurrency}, median of each round's bare ÷ ours (the pair ran back to back)`, ours: `${paired}×`, target: '≤ 1.5×', verdict: verdict(paired <= 1.5) },
      )
    }
    const { bare, ours } = medians[concurrencies[0]!]!
    const paced = results.find((r) => r.variant === 'ours-paced')!
    rows.push(
      { metric: 'Redis commands (round trips) per job', ours: `${ours.redis.commandsPerJob} (${ours.redis.roundTripsPerJob})`, baseline: `${bare.redis.commandsPerJob} (${bare.redis.roundTripsPerJob})`, verdict: 'info' },
      { metric: 'writes to Redis sockets per job (system calls)', ours: ours.redis.writesPerJob, baseline: bare.redis.writesPerJob, verdict: 'info' },
      { metric: 'CPU ms per job: worker / fake / Redis', ours: `${ours.cpuPerJobMs.worker} / ${ours.cpuPerJobMs.fake} / ${ours.cpuPerJobMs.redis}`, baseline: `${bare.cpuPerJobMs.worker} / ${bare.cpuPerJobMs.fake} / ${bare.cpuPerJobMs.redis}`, verdict: 'info' },
      { metric: 'deliveries/s with a finite pace (1,000,000/s configured), concurrency 16', ours: paced.perSecond, target: '(whole-ms slots cap it at 1,000/s)', verdict: 'info' },
    )
    return { rows, data: { concurrencies, rounds: results, medians, paced } }
  },
}
