import type { Logger } from 'pino'
import { chatKey, type ChatRef } from '../core/platform.js'
import { isQuietTime } from '../core/quiet-hours.js'
import { isoDay, localDateOf } from '../core/vn-time.js'
import type { Outbox } from '../delivery/outbox.js'
import type { Directory } from '../directory/directory.js'
import type { Group, School } from '../directory/model.js'
import type { Planner } from '../scheduling/planner-ticker.js'
import { readersOf, type Post } from './post.js'
import { renderPost } from './post-message.js'
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

async function planPosts(deps: ContentPlannerDeps, now: Date): Promise<void> {
  const groups = await deps.directory.listGroups({ activeOnly: true, registeredOnly: true })
  const schools = new Map<string, Promise<School | undefined>>()
  for (const group of groups) {
    const code = group.schoolCode!
    if (!schools.has(code)) schools.set(code, deps.directory.getSchool(code))
    const school = await schools.get(code)
    if (!school) {
      deps.logger.warn({ school: code }, 'content: group bound to a school missing from the directory; no posts')
      continue
    }
    try {
      await planGroup(deps, group, school, now)
    } catch (error) {
      // One group's trouble (a Redis hiccup) must not cost the other groups their post.
      deps.logger.error({ school: code, err: (error as Error).message }, 'content: planning a group failed; the next tick retries')
    }
  }
}

async function planGroup(deps: ContentPlannerDeps, group: Group, school: School, now: Date): Promise<void> {
  const today = localDateOf(now)
  const slots = slotsBetween(today, today, planForSchool(deps.schedule, school.code))
  const registeredAt = group.registeredAt ? new Date(group.registeredAt) : undefined
  for (const slot of dueSlots(slots, now, deps.lookaheadMs ?? defaultLookaheadMs, registeredAt)) {
    await planSlot(deps, group, school, slot, now)
  }
}

async function planSlot(deps: ContentPlannerDeps, group: Group, school: School, slot: PostingSlot, now: Date): Promise<void> {
  const chat: ChatRef = { platform: group.platform, chatId: group.chatId }
  const token = await deps.rotation.claim(chat, slot.at, claimLeaseMs)
  if (!token) return
  try {
    const history = await deps.rotation.history(chat)
    const choice = choosePost({ slot, posts: deps.posts, readers: readersOf(group, school), history, weights: deps.schedule, seed: chatKey(chat) })
    // Queue first, record second: a crash in between leaves the claim to expire, and the retry
    // chooses the same post from the same history, which the outbox then takes as a duplicate.
    if (choice) {
      await deps.outbox.send(chat, renderPost(choice.post, school.code), {
        key: postDeliveryKey(chat, slot.at),
        purpose: 'post',
        delayMs: slot.at.getTime() - now.getTime(),
      })
    }
    const recorded = await deps.rotation.record(chat, slot.at, token, choice)
    if (!choice) deps.logger.info({ school: school.code, slot: slot.at.toISOString() }, 'content: no post suits this group; slot skipped')
    else if (recorded) deps.logger.info({ school: school.code, slot: slot.at.toISOString(), post: choice.post.id }, 'content: post planned')
  } catch (error) {
    await deps.rotation.release(chat, slot.at, token).catch(() => undefined)
    throw error
  }
}
