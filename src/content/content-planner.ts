import type { Logger } from 'pino'
import { chatKey, type ChatRef } from '../core/platform.js'
import { isQuietTime } from '../core/quiet-hours.js'
import { TaskPool } from '../core/task-pool.js'
import { isoDay, localDateOf } from '../core/vn-time.js'
import type { Outbox } from '../delivery/outbox.js'
import type { Directory } from '../directory/directory.js'
import type { Group, School } from '../directory/model.js'
import type { Planner } from '../scheduling/planner-ticker.js'
import { readersOf, type Post } from './post.js'
import { postText, renderPost } from './post-message.js'
import { planForSchool, type PostingSchedule } from './posting-schedule.js'
import { slotsBetween, type PostingSlot } from './posting-slots.js'
import { choosePost } from './rotation.js'
import type { RotationState } from './rotation-state.js'

export interface ContentPlannerDeps {
  directory: Directory
  outbox: Outbox
  rotation: RotationState
  /** The library's valid posts (loadContentLibrary(...).posts). */
  posts: readonly Post[]
  schedule: PostingSchedule
  logger: Logger
  /** How far ahead a slot is planned; a little more than the ticker's 5 minutes, so no slot falls between ticks. */
  lookaheadMs?: number
}

export const defaultLookaheadMs = 10 * 60_000
/** Long enough for one group's planning; if the process dies holding it, the next tick after this retries. */
const claimLeaseMs = 5 * 60_000

/** The delivery key of a group's post at a slot: the same in every process, so the outbox sends it once. */
export function postDeliveryKey(chat: ChatRef, slot: Date): string {
  return `post:${chatKey(chat)}:${slot.toISOString()}`
}

/**
 * Slots of today to plan at `now`: those starting within the lookahead, and earlier ones a
 * downtime missed (sent late, the same day only, and never into quiet hours). Slots from
 * before the group was registered are not owed to it.
 */
export function dueSlots(slots: readonly PostingSlot[], now: Date, lookaheadMs: number, registeredAt?: Date): PostingSlot[] {
  const today = isoDay(localDateOf(now))
  return slots.filter((slot) => {
    if (isoDay(localDateOf(slot.at)) !== today) return false
    if (slot.at.getTime() > now.getTime() + lookaheadMs) return false
    if (registeredAt && slot.at < registeredAt) return false
    return !isQuietTime(new Date(Math.max(slot.at.getTime(), now.getTime())))
  })
}

/** Each tick: for every active registered group, claim each due slot, choose its post, and queue it for the slot's minute. */
export function createContentPlanner(deps: ContentPlannerDeps): Planner {
  return { name: 'content', plan: (now) => planPosts(deps, now) }
}

/** Groups handled per step: their claims, histories, jobs and records each go to Redis in one round trip. */
export const planBatchSize = 250
/** Batches in flight at once: one being built here while Redis works on the other. */
const parallelBatches = 2

async function planPosts(deps: ContentPlannerDeps, now: Date): Promise<void> {
  const schools = new Map<string, School | undefined>()
  // A post's text is the same for every group (only the tip button names the school): render it once a run.
  const texts = new Map<Post, string>()
  let planned = 0
  const pool = new TaskPool(parallelBatches)
  for await (const groups of deps.directory.groupBatches({ activeOnly: true, registeredOnly: true }, planBatchSize)) {
    const missing = [...new Set(groups.map((group) => group.schoolCode!))].filter((code) => !schools.has(code))
    const found = await deps.directory.getSchools(missing)
    for (const code of missing) schools.set(code, found.get(code))
    await pool.add(async () => {
      try {
        planned += await planBatch(deps, groups, schools, texts, now)
      } catch (error) {
        // One batch's trouble (a Redis hiccup) must not cost the other groups their post; its
        // claims were given back, so the next tick plans these groups again.
        deps.logger.error({ groups: groups.length, err: (error as Error).message }, 'content: planning a batch of groups failed; the next tick retries')
      }
    })
  }
  await pool.drain()
  if (planned > 0) deps.logger.info({ posts: planned }, 'content: posts planned')
}

interface DueSlot {
  group: Group
  school: School
  chat: ChatRef
  slot: PostingSlot
}

/** Claims every due (group, slot) of the batch, chooses the posts, queues them, records them; returns how many were queued. */
async function planBatch(deps: ContentPlannerDeps, groups: readonly Group[], schools: ReadonlyMap<string, School | undefined>, texts: Map<Post, string>, now: Date): Promise<number> {
  const due: DueSlot[] = []
  // Today's slots depend on the school's plan only: most schools follow the default one.
  const today = localDateOf(now)
  const slotsByPlan = new Map<string, PostingSlot[]>()
  const slotsOf = (code: string): PostingSlot[] => {
    const plan = deps.schedule.schools[code] ? code : ''
    let slots = slotsByPlan.get(plan)
    if (!slots) slotsByPlan.set(plan, (slots = slotsBetween(today, today, planForSchool(deps.schedule, code))))
    return slots
  }
  for (const group of groups) {
    const school = schools.get(group.schoolCode!)
    if (!school) {
      deps.logger.warn({ school: group.schoolCode }, 'content: group bound to a school missing from the directory; no posts')
      continue
    }
    const slots = slotsOf(school.code)
    const registeredAt = group.registeredAt ? new Date(group.registeredAt) : undefined
    for (const slot of dueSlots(slots, now, deps.lookaheadMs ?? defaultLookaheadMs, registeredAt)) {
      due.push({ group, school, chat: { platform: group.platform, chatId: group.chatId }, slot })
    }
  }
  if (due.length === 0) return 0
  const tokens = await deps.rotation.claimMany(due.map(({ chat, slot }) => ({ chat, slot: slot.at })), claimLeaseMs)
  const claimed = due.flatMap((item, index) => (tokens[index] ? [{ ...item, token: tokens[index] }] : []))
  if (claimed.length === 0) return 0
  try {
    const histories = await deps.rotation.histories(claimed.map(({ chat }) => chat))
    const choices = claimed.map(({ group, school, chat, slot }, index) =>
      choosePost({ slot, posts: deps.posts, readers: readersOf(group, school), history: histories[index]!, weights: deps.schedule, seed: chatKey(chat) }),
    )
    // Queue first, record second: a crash in between leaves the claims to expire, and the retry
    // chooses the same posts from the same histories, which the outbox then takes as duplicates.
    const jobs = claimed.flatMap(({ chat, school, slot }, index) => {
      const choice = choices[index]
      if (!choice) return []
      let text = texts.get(choice.post)
      if (text === undefined) texts.set(choice.post, (text = postText(choice.post)))
      return [{ to: chat, message: renderPost(choice.post, school.code, text), options: { key: postDeliveryKey(chat, slot.at), purpose: 'post' as const, delayMs: slot.at.getTime() - now.getTime() } }]
    })
    await deps.outbox.sendMany(jobs)
    await deps.rotation.recordMany(claimed.map(({ chat, slot, token }, index) => ({ chat, slot: slot.at, token, choice: choices[index] })))
    const skipped = choices.filter((choice) => !choice).length
    if (skipped > 0) deps.logger.info({ slots: skipped }, 'content: no post suits these groups; slots skipped')
    return jobs.length
  } catch (error) {
    await deps.rotation.releaseMany(claimed.map(({ chat, slot, token }) => ({ chat, slot: slot.at, token }))).catch(() => undefined)
    throw error
  }
}
