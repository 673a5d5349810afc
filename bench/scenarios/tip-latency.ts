/**
 * Tip latency: 50 simulated tipsters, each at a school of their own with an officer of its own,
 * write a tip up to the review (not measured), then all press «Gửi» at the same moment (one
 * batch of 50 callback updates at the fake). Measured per tip, at the fake's clock: from the
 * moment the fake had the button press to the moment it stored the officer's message.
 *
 * The bot is bench/worker-process.ts with receive + work (long polling through grammY, the
 * dispatcher, the tips feature, the outbox, the delivery worker), as `npm start` runs it, against
 * the fake with Telegram's limits on. Also timed: the update handled (answerCallbackQuery reached
 * the fake), the tipster's receipt, and one tipster alone beforehand (no contention).
 *
 * The tipsters answer the way people do, one answer every 1.5 s, all at the same moments; 429s
 * and prompts that reach a chat out of order while they write are counted too, and again for 10
 * tipsters who send all five answers at once (faster than a private chat's one message a
 * second: the bot's own pacing has to hold their replies back). Then one more
 * tipsters confirm one by one while a reminder to 2,000 groups goes out: tips behind a broadcast.
 *
 * A second round runs the same with the platform ceiling out of the way (the fake's limits off,
 * TELEGRAM_MESSAGES_PER_SECOND=1000), to tell the pipeline's own latency from the 30/s pace.
 */
import type { Update } from 'grammy/types'
import { Outbox } from '../../src/delivery/outbox.js'
import { Directory } from '../../src/directory/directory.js'
import { Keys } from '../../src/store/redis.js'
import { BotProcess } from '../support/bot-process.js'
import { groupIds, percentile, round, until } from '../support/measure.js'
import type { FakeHost } from '../support/fake-host.js'
import { openStage } from '../support/scenario-stage.js'
import { verdict, type BenchContext, type Row, type Scenario, type ScenarioResult } from '../support/report.js'
import { reminderText } from './broadcast.js'
import { answerGapMs, confirmUpdates, conversationSteps, driveConversations, outOfOrder, tipDesks, tipsterIds, waitForReviews, type TipDesk } from '../support/tipsters.js'

const tipsters = 50
const broadcastGroups = 2_000
/** Tips confirmed one after another while the broadcast runs: enough for a p99 of that case. */
const tipsDuringBroadcast = 12
const quickTypers = 10

interface Latencies {
  /** confirm pressed → the officer's message at the fake, ms, in tipster order */
  officer: number[]
  /** confirm pressed → the receipt at the tipster's chat */
  receipt: number[]
  /** confirm pressed → answerCallbackQuery at the fake (the update handled) */
  handled: number[]
}

interface Summary {
  p50: number
  p90: number
  p99: number
  max: number
}

function summary(values: number[]): Summary {
  return { p50: percentile(values, 50), p90: percentile(values, 90), p99: percentile(values, 99), max: Math.max(...values) }
}

/** Drives `ids` to the review, presses «Gửi» for all at once, and times what follows. */
async function confirmAtOnce(fake: FakeHost, desks: TipDesk[], ids: string[], beforeConfirm?: () => Promise<void>): Promise<Latencies & { at: number; conversation: { rateLimited: number; outOfOrder: { chats: number; prompts: number } } }> {
  const rateLimitedBefore = (await fake.stats()).rateLimited
  const conversationFrom = (await fake.messages()).length
  await driveConversations(fake, ids, desks.map((desk) => desk.school.code))
  const reviews = await waitForReviews(fake, ids, 60_000)
  // Let the last prompts' jobs finish so the burst starts with an empty queue.
  await new Promise((done) => setTimeout(done, 1_500))
  const conversation = { rateLimited: (await fake.stats()).rateLimited - rateLimitedBefore, outOfOrder: outOfOrder(await fake.messages(conversationFrom), ids) }
  await beforeConfirm?.()
  const fromMessage = (await fake.messages()).length
  const fromRequest = (await fake.requests()).length
  const updates: Update[] = confirmUpdates(reviews)
  const byQuery = new Map(updates.map((update) => [update.callback_query!.id, String(update.callback_query!.from.id)]))
  const { at } = await fake.pushUpdates(updates)

  const officerOf = new Map(ids.map((id, i) => [id, desks[i % desks.length]!.officerChat]))
  const officerChats = new Set(officerOf.values())
  await until(async () => (await fake.messages(fromMessage)).filter((m) => officerChats.has(m.chatId)).length >= ids.length, 90_000, `${ids.length} officers' messages`, 50)
  await until(async () => (await fake.messages(fromMessage)).filter((m) => ids.includes(m.chatId) && m.text.startsWith('✅ Đã gửi tin báo')).length >= ids.length, 90_000, `${ids.length} receipts`, 50)
  const messages = await fake.messages(fromMessage)
  const answered = await fake.requests({ from: fromRequest, method: 'answerCallbackQuery' })
  const firstAt = (chatId: string, test: (text: string) => boolean = () => true) => messages.find((m) => m.chatId === chatId && test(m.text))?.at
  const handledAt = new Map<string, number>()
  for (const request of answered) if (request.queryId && byQuery.has(request.queryId)) handledAt.set(byQuery.get(request.queryId)!, request.at)
  return {
    at,
    conversation,
    officer: ids.map((id) => firstAt(officerOf.get(id)!)! - at),
    receipt: ids.map((id) => firstAt(id, (text) => text.startsWith('✅ Đã gửi tin báo'))! - at),
    handled: ids.map((id) => (handledAt.get(id) ?? Number.NaN) - at).filter((ms) => !Number.isNaN(ms)),
  }
}

/**
 * The broadcast is queued first; the tipsters then write their tips while it goes out and press
 * «Gửi» one at a time, 1.5 s apart, each timed from its press to the officer's message.
 */
async function confirmDuringBroadcast(fake: FakeHost, desks: TipDesk[], ids: string[], startBroadcast: () => Promise<void>): Promise<Latencies> {
  await startBroadcast()
  await driveConversations(fake, ids, desks.map((desk) => desk.school.code))
  const reviews = await waitForReviews(fake, ids, 60_000)
  const updates = confirmUpdates(reviews)
  const latencies: Latencies = { officer: [], receipt: [], handled: [] }
  for (const [index, update] of updates.entries()) {
    const officerChat = desks[index % desks.length]!.officerChat
    const tipster = String(update.callback_query!.from.id)
    const from = (await fake.messages()).length
    const { at } = await fake.pushUpdates([update])
    await until(async () => (await fake.messages(from)).some((m) => m.chatId === officerChat), 30_000, "the officer's message", 20)
    const messages = await fake.messages(from)
    latencies.officer.push(messages.find((m) => m.chatId === officerChat)!.at - at)
    const receipt = messages.find((m) => m.chatId === tipster && m.text.startsWith('✅ Đã gửi tin báo'))
    if (receipt) latencies.receipt.push(receipt.at - at)
    await new Promise((done) => setTimeout(done, answerGapMs))
  }
  return latencies
}

interface Round {
  label: string
  single: Latencies
  /** tipsters who send all their answers at once (limits on only) */
  quick?: { tipsters: number; prompts: number; rateLimited: number; outOfOrder: { chats: number; prompts: number } }
  /** tips confirmed one by one while a broadcast to `broadcastGroups` groups is going out (limits on only) */
  duringBroadcast?: Latencies
  burst: Latencies & { conversation: { rateLimited: number; outOfOrder: { chats: number; prompts: number } } }
  officer: Summary
  receipt: Summary
  handled: Summary
  rateLimited: number
}

async function measureRound(label: string, series: number, limits: boolean, env: Record<string, string>, log: (message: string) => void, withBroadcast = false): Promise<Round> {
  const stage = await openStage('tips', { rateLimits: limits })
  const { fake, prefix, redis } = stage
  let bot: BotProcess | undefined
  try {
    const desks = await tipDesks(new Directory(redis, new Keys(prefix)), tipsters + 1 + tipsDuringBroadcast, series)
    bot = await BotProcess.start({ fake, prefix, parts: 'receive,work', env })
    // One tipster alone first: the uncontended latency (and the JIT warmed up).
    const single = await confirmAtOnce(fake, desks.slice(tipsters), tipsterIds(1, series * 10 + 1))
    const burst = await confirmAtOnce(fake, desks.slice(0, tipsters), tipsterIds(tipsters, series * 10 + 2))
    let quick: Round['quick']
    let duringBroadcast: Latencies | undefined
    if (withBroadcast) {
      // Quick typers: every answer sent at once, faster than the one-a-second a private chat takes.
      const ids = tipsterIds(quickTypers, series * 10 + 4)
      const from = (await fake.messages()).length
      const rateLimitedBefore = (await fake.stats()).rateLimited
      for (const updates of conversationSteps(ids, desks.map((desk) => desk.school.code))) await fake.pushUpdates(updates)
      // Every prompt, the ones a 429 sent round again included (the review can come before them).
      await until(async () => (await fake.messages(from)).filter((m) => ids.includes(m.chatId)).length >= 5 * ids.length, 60_000, `${5 * ids.length} prompts to the quick typers`, 100)
      await new Promise((done) => setTimeout(done, 1_000))
      const messages = await fake.messages(from)
      quick = { tipsters: quickTypers, prompts: messages.filter((m) => ids.includes(m.chatId)).length, rateLimited: (await fake.stats()).rateLimited - rateLimitedBefore, outOfOrder: outOfOrder(messages, ids) }
      log(`${label}: ${quickTypers} tipsters sending their 5 answers at once: ${quick.rateLimited} × 429, ${quick.outOfOrder.prompts} of ${quick.prompts} prompts out of order in ${quick.outOfOrder.chats} chats`)

      // A reminder to many groups is queued; while it goes out, tipsters press «Gửi» one by one.
      const outbox = new Outbox(redis, new Keys(prefix))
      try {
        duringBroadcast = await confirmDuringBroadcast(fake, desks.slice(tipsters + 1), tipsterIds(tipsDuringBroadcast, series * 10 + 3), async () => {
          await outbox.sendMany(groupIds(broadcastGroups, 70 + series).map((chatId) => ({ to: { platform: 'telegram' as const, chatId }, message: { text: reminderText }, options: { key: `bench:tips:${chatId}`, purpose: 'reminder' as const } })))
        })
      } finally {
        await outbox.close()
      }
      const behind = summary(duringBroadcast.officer)
      log(`${label}: ${tipsDuringBroadcast} tips confirmed one by one while a ${broadcastGroups}-group broadcast goes out: officer's message p50 ${behind.p50} / p99 ${behind.p99} ms`)
    }
    const stats = await fake.stats()
    const round: Round = { label, single, burst, quick, duringBroadcast, officer: summary(burst.officer), receipt: summary(burst.receipt), handled: summary(burst.handled), rateLimited: stats.rateLimited }
    log(
      `${label}: alone ${single.officer[0]} ms; ${tipsters} at once: officer p50 ${round.officer.p50} / p90 ${round.officer.p90} / p99 ${round.officer.p99} ms, receipt p50 ${round.receipt.p50} / p99 ${round.receipt.p99} ms, update handled p50 ${round.handled.p50} / p99 ${round.handled.p99} ms (${burst.handled.length} answered); ${stats.rateLimited} × 429 in all; while ${tipsters} wrote their tips: ${burst.conversation.rateLimited} × 429, ${burst.conversation.outOfOrder.prompts} prompts out of order in ${burst.conversation.outOfOrder.chats} chats`,
    )
    return round
  } finally {
    await bot?.stop()
    await stage.close()
  }
}

export const tipLatencyScenario: Scenario = {
  name: 'tip-latency',
  title: 'Tip latency (50 at once)',
  async run(ctx: BenchContext): Promise<ScenarioResult> {
    const limited = await measureRound('at the platform limit (30/s)', 1, true, {}, ctx.log, true)
    const open = await measureRound('no platform ceiling (limits off, 1000/s)', 2, false, { TELEGRAM_MESSAGES_PER_SECOND: '1000' }, ctx.log)
    const ms = (value: number) => `${Math.round(value)} ms`
    const rows: Row[] = [
      { metric: `confirm → officer's message, p50 / p99 (${tipsters} tipsters at once, 30/s)`, ours: `${ms(limited.officer.p50)} / ${ms(limited.officer.p99)}`, target: 'p99 ≤ 250 ms', verdict: verdict(limited.officer.p99 <= 250) },
      { metric: 'same, one tipster alone', ours: ms(limited.single.officer[0]!), target: '≤ 250 ms', verdict: verdict(limited.single.officer[0]! <= 250) },
      (() => {
        const behind = summary(limited.duringBroadcast!.officer)
        return { metric: `same, ${tipsDuringBroadcast} tips one by one while a ${broadcastGroups}-group broadcast goes out, p50 / p99`, ours: `${ms(behind.p50)} / ${ms(behind.p99)}`, target: 'p99 ≤ 250 ms', verdict: verdict(behind.p99 <= 250) }
      })(),
      { metric: 'confirm → update handled (answerCallbackQuery), p50 / p99', ours: `${ms(limited.handled.p50)} / ${ms(limited.handled.p99)}`, verdict: 'info' },
      { metric: "confirm → tipster's receipt, p50 / p99", ours: `${ms(limited.receipt.p50)} / ${ms(limited.receipt.p99)}`, verdict: 'info' },
      { metric: "confirm → officer's message, p50 / p99, no platform ceiling (limits off, 1000/s)", ours: `${ms(open.officer.p50)} / ${ms(open.officer.p99)}`, target: 'p99 ≤ 250 ms', verdict: verdict(open.officer.p99 <= 250) },
      { metric: 'same round: update handled p50 / p99', ours: `${ms(open.handled.p50)} / ${ms(open.handled.p99)}`, verdict: 'info' },
      {
        metric: `while ${tipsters} tipsters wrote (5 answers, ${answerGapMs / 1000} s apart): 429s / prompts out of order (chats)`,
        ours: `${limited.burst.conversation.rateLimited} / ${limited.burst.conversation.outOfOrder.prompts} (${limited.burst.conversation.outOfOrder.chats})`,
        target: '0 / 0',
        verdict: verdict(limited.burst.conversation.rateLimited === 0 && limited.burst.conversation.outOfOrder.prompts === 0),
      },
      {
        metric: `${quickTypers} tipsters sending their 5 answers at once: 429s / prompts out of order (chats)`,
        ours: `${limited.quick!.rateLimited} / ${limited.quick!.outOfOrder.prompts} of ${limited.quick!.prompts} (${limited.quick!.outOfOrder.chats})`,
        target: '0 / 0',
        verdict: verdict(limited.quick!.rateLimited === 0 && limited.quick!.outOfOrder.prompts === 0),
      },
    ]
    const floorMs = round(((2 * tipsters) / 30) * 1000, 0)
    return {
      rows,
      data: { tipsters, limited, open, floorMsAt30PerSecond: floorMs },
      notes: [`${tipsters} confirmations make ${2 * tipsters} messages (a receipt and an officer's message each): at 30/s the last cannot leave before ${floorMs} ms`],
    }
  },
}
