/**
 * Two processes: two bots (bench/worker-process.ts, work only) share Redis while a broadcast to
 * 1,000 groups runs, and both run their planners (deadline reminders, tips' SLA and retention, awareness
 * posts) at the same moment, twice, with their clocks just before a posting slot, for 200
 * registered groups. Counted: double sends (a chat getting the
 * same text twice), losses, and 429s (the send budgets live in Redis, so two processes should
 * keep one pace).
 */
import { planForSchool, readPostingSchedule } from '../../src/content/posting-schedule.js'
import { slotsBetween } from '../../src/content/posting-slots.js'
import { addDays, localDateOf } from '../../src/core/vn-time.js'
import { Outbox } from '../../src/delivery/outbox.js'
import { Directory } from '../../src/directory/directory.js'
import { paths } from '../../src/features.js'
import { Keys } from '../../src/store/redis.js'
import { IdentityCipher } from '../../src/tips/identity-cipher.js'
import { BotProcess } from '../support/bot-process.js'
import { registerGroups } from '../support/directory-fixtures.js'
import type { FakeMessage } from '../support/fake-host.js'
import { countDeliveries, groupIds, round, telegramCeiling, until } from '../support/measure.js'
import { openStage } from '../support/scenario-stage.js'
import { verdict, type BenchContext, type Scenario, type ScenarioResult } from '../support/report.js'
import { reminderText } from './broadcast.js'

const plannedGroups = 200
/** Half the broadcast's 2,000, to keep `npm run bench` under 10 minutes; what is measured (doubles, pace) does not depend on the count. */
export const twoProcessGroups = 1_000
/** How long before the slot the bots' clocks are set: the planned posts are then due that many seconds into the run. */
const leadMs = 20_000

/** The next posting slot of the default schedule at least a minute from now. */
export function nextSlot(now: Date): Date {
  const plan = planForSchool(readPostingSchedule(paths.postingSchedule), 'BENCH-0001')
  const today = localDateOf(now)
  const slot = slotsBetween(today, addDays(today, 14), plan).find((s) => s.at.getTime() > now.getTime() + 60_000)
  if (!slot) throw new Error('no posting slot in the next two weeks (schedules/posting.yaml)')
  return slot.at
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1
  return counts
}

/** Same chat, same text, more than once. */
function doubleSends(messages: FakeMessage[]): number {
  const seen = new Set<string>()
  let doubles = 0
  for (const message of messages) {
    const key = `${message.chatId}\u0000${message.text}`
    if (seen.has(key)) doubles++
    seen.add(key)
  }
  return doubles
}

export const twoProcessesScenario: Scenario = {
  name: 'two-processes',
  title: 'Two processes, one Redis',
  async run(ctx: BenchContext): Promise<ScenarioResult> {
    const groups = Math.min(twoProcessGroups, ctx.groups)
    const stage = await openStage('two')
    const { fake, prefix, redis } = stage
    const keys = new Keys(prefix)
    const outbox = new Outbox(redis, keys)
    const bots: BotProcess[] = []
    try {
      const slot = nextSlot(new Date())
      const planned = groupIds(plannedGroups, 41)
      await registerGroups(new Directory(redis, keys), planned, 40, new Date(slot.getTime() - 86_400_000))
      const clockAt = new Date(slot.getTime() - leadMs)
      // Both start at once: each runs the planners at start-up too (the ticker's start-up job).
      bots.push(...(await Promise.all([BotProcess.start({ fake, prefix, clockAt }), BotProcess.start({ fake, prefix, clockAt })])))
      ctx.log(`bots ${bots.map((b) => b.pid).join(' and ')} up; their clocks read ${clockAt.toISOString()}, ${leadMs / 1000} s before the posting slot`)

      const chats = groupIds(groups, 40)
      const started = Date.now()
      await outbox.sendMany(chats.map((chatId) => ({ to: { platform: 'telegram' as const, chatId }, message: { text: reminderText }, options: { key: `bench:two:${chatId}`, purpose: 'reminder' as const } })))
      for (let i = 0; i < 2; i++) await Promise.all(bots.map((bot) => bot.call({ cmd: 'run-planners' })))
      const jobs = await outbox.queueFor('telegram').getJobCountByTypes('delayed', 'waiting', 'prioritized', 'active', 'completed')
      ctx.log(`broadcast enqueued; planners ran twice in both processes; the delivery queue holds ${jobs} jobs`)

      const queue = outbox.queueFor('telegram')
      const delayedKey = `${keys.bullPrefix}:${queue.name}:delayed`
      // BullMQ scores a delayed job (due ms) × 4096 + a counter: what falls due within the run.
      const dueSoon = () => redis.zcount(delayedKey, 0, (Date.now() + 5_000) * 4096)
      const slotPassed = Date.now() + leadMs
      await until(async () => {
        const broadcastDone = countDeliveries(await fake.messages(), chats).lost === 0
        const drained = (await queue.getJobCountByTypes('waiting', 'active', 'prioritized')) === 0 && (await dueSoon()) === 0
        return broadcastDone && drained && Date.now() > slotPassed
      }, (groups + plannedGroups * 2) * 60 + 90_000, 'the broadcast and what the planners queued for now', 250).catch(async (error: unknown) => {
        const counts = await queue.getJobCounts()
        const sample = (await queue.getJobs(['delayed', 'waiting', 'prioritized', 'active'], 0, 5)).map((job) => ({ name: job.name, key: job.data.key, delayUntil: new Date(job.timestamp + (job.opts.delay ?? 0)).toISOString(), attempts: job.attemptsMade, reason: job.failedReason }))
        ctx.log(`left in the queue: ${JSON.stringify(counts)} e.g. ${JSON.stringify(sample)}`)
        throw error
      })
      await new Promise((done) => setTimeout(done, 3_000))

      // What the planners queued for later (reminders at their hour): opened with the run's key and
      // checked for the same text to the same chat twice, as a double plan would show there first.
      const cipher = new IdentityCipher(Buffer.from(process.env.BENCH_TIP_ENCRYPTION_KEY!, 'hex'))
      const later = await queue.getJobs(['delayed', 'waiting', 'prioritized'])
      const laterSends = later.map((job) => ({ chatId: job.data.sealed ? cipher.open(job.data.to.chatId) : job.data.to.chatId, text: job.data.op.message.text, name: job.name }))
      const laterDoubles = doubleSends(laterSends.map((send) => ({ chatId: send.chatId, text: send.text, messageId: 0, at: 0 })))
      const failedJobs = await queue.getFailedCount()

      const messages = await fake.messages()
      const broadcast = countDeliveries(messages, chats)
      const postsCount = countDeliveries(messages, planned)
      const stats = await fake.stats()
      const wallMs = (broadcast.lastAt ?? Date.now()) - started
      const perSecond = (broadcast.reached + postsCount.reached) / ((Math.max(broadcast.lastAt ?? 0, postsCount.lastAt ?? 0) - started) / 1000)
      const data = {
        groups: groups,
        plannedGroups,
        slot: slot.toISOString(),
        broadcast: { ...broadcast, duplicatedChats: broadcast.duplicatedChats.slice(0, 20) },
        planned: {
          reached: postsCount.reached,
          lost: postsCount.lost,
          messages: postsCount.delivered,
          doubleSends: doubleSends(messages.filter((m) => planned.includes(m.chatId))),
          /** what the planners sent, by the first words of the text */
          kinds: countBy(messages.filter((m) => planned.includes(m.chatId)).map((m) => m.text.split('\n')[0]!.slice(0, 50))),
        },
        doubleSends: doubleSends(messages),
        queuedForLater: { jobs: later.length, byName: countBy(laterSends.map((send) => send.name)), doubleSends: laterDoubles },
        failedJobs,
        rateLimited: stats.rateLimited,
        wallMs,
        perSecond: round(perSecond, 2),
      }
      ctx.log(`broadcast: ${broadcast.reached}/${groups}, ${broadcast.duplicates} duplicates; planners: ${data.planned.messages} messages to ${postsCount.reached}/${plannedGroups} groups, ${data.planned.doubleSends} double sends; ${later.length} jobs queued for later (${JSON.stringify(data.queuedForLater.byName)}), ${laterDoubles} doubles among them; ${failedJobs} failed jobs; ${stats.rateLimited} × 429; ${data.perSecond}/s together`)
      return {
        rows: [
          {
            metric: `double sends (broadcast to ${groups} + planners run twice in both, ${plannedGroups} groups: ${data.planned.messages} sent now, ${later.length} queued for later)`,
            ours: `${data.doubleSends} sent / ${laterDoubles} queued`,
            target: '0',
            verdict: verdict(data.doubleSends === 0 && laterDoubles === 0),
          },
          { metric: 'groups missed (broadcast / planners)', ours: `${broadcast.lost} / ${postsCount.lost}`, target: '0', verdict: verdict(broadcast.lost === 0 && postsCount.lost === 0) },
          { metric: '429s with two processes pacing through Redis', ours: stats.rateLimited, target: '0', verdict: verdict(stats.rateLimited === 0) },
          { metric: 'messages/s together (share of 30/s)', ours: `${data.perSecond} (${round((100 * perSecond) / telegramCeiling, 1)} %)`, verdict: 'info' },
        ],
        data,
      }
    } finally {
      await Promise.all(bots.map((bot) => bot.stop()))
      await outbox.close()
      await stage.close()
    }
  },
}
