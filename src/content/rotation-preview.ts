import { chatKey } from '../core/platform.js'
import { addDays, isoDay, localDateOf } from '../core/vn-time.js'
import type { Group, School } from '../directory/model.js'
import { readersOf, type Post, type Readers } from './post.js'
import { planForSchool, type CampaignDay, type PostingSchedule } from './posting-schedule.js'
import { slotsBetween, type PostingSlot } from './posting-slots.js'
import { choosePost, recordChoice, type GroupHistory } from './rotation.js'
import type { RotationState } from './rotation-state.js'

export interface UpcomingPost {
  at: Date
  post: Post
  campaign?: CampaignDay
  /** Already chosen and queued by the planner, rather than foreseen. */
  planned: boolean
}

export interface RotationForecast {
  slots: readonly PostingSlot[]
  posts: readonly Post[]
  readers: Readers
  history: GroupHistory
  schedule: PostingSchedule
  seed: string
}

/** The posts the rotation would choose at each slot, if nothing changes in between. */
export function forecastRotation({ slots, posts, readers, history, schedule, seed }: RotationForecast): UpcomingPost[] {
  const upcoming: UpcomingPost[] = []
  let assumed = history
  for (const slot of slots) {
    const choice = choosePost({ slot, posts, readers, history: assumed, weights: schedule, seed })
    if (!choice) continue
    upcoming.push({ at: slot.at, post: choice.post, campaign: slot.campaign, planned: false })
    assumed = recordChoice(assumed, choice, slot.at)
  }
  return upcoming
}

export interface UpcomingPostsDeps {
  rotation: RotationState
  posts: readonly Post[]
  schedule: PostingSchedule
}

/**
 * A group's coming posts from `from` for `days` days, from its real history. A slot the planner
 * has already taken shows the post it queued, since history already counts that one.
 */
export async function upcomingPosts(deps: UpcomingPostsDeps, group: Group, school: School, from: Date, days: number): Promise<UpcomingPost[]> {
  const today = localDateOf(from)
  const slots = slotsBetween(today, addDays(today, days - 1), planForSchool(deps.schedule, school.code)).filter((slot) => slot.at >= from)
  const planned: UpcomingPost[] = []
  let open = slots
  while (open[0] && isoDay(localDateOf(open[0].at)) === isoDay(today)) {
    const outcome = await deps.rotation.outcome(group, open[0].at)
    if (!outcome) break
    const post = outcome.kind === 'post' ? deps.posts.find((candidate) => candidate.id === outcome.postId) : undefined
    if (post) planned.push({ at: open[0].at, post, campaign: open[0].campaign, planned: true })
    open = open.slice(1)
  }
  const history = await deps.rotation.history(group)
  return [...planned, ...forecastRotation({ slots: open, posts: deps.posts, readers: readersOf(group, school), history, schedule: deps.schedule, seed: chatKey(group) })]
}
