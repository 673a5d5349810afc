/**
 * Which post a group gets at a slot. Pure: the same history, posts and slot give the same
 * post in every process, so a planner that retries after a crash picks what it picked before.
 */
import { localDateOf } from '../core/vn-time.js'
import { fitsMonth, isCampaignPost, suitsReaders, type Post, type Readers } from './post.js'
import type { PostingSlot } from './posting-slots.js'
import { topicWeight, type TopicWeights } from './topic-weights.js'
import { topics, type Topic } from './topics.js'

export interface TopicHistory {
  /** Post id -> when it last went to the group (the slot, in ms). */
  lastSent: ReadonlyMap<string, number>
  /** Posts sent at or after this moment belong to the topic's current cycle. */
  cycleStart: number
}

export type GroupHistory = ReadonlyMap<Topic, TopicHistory>

export interface RotationRequest {
  slot: PostingSlot
  posts: readonly Post[]
  readers: Readers
  history: GroupHistory
  weights: TopicWeights
  /** The chat key: ties break differently per group, so two groups of one school do not move in lockstep. */
  seed: string
}

export interface RotationChoice {
  post: Post
  /** Every eligible post of the topic had been sent; this one opens the topic's next cycle. */
  startsCycle: boolean
}

/**
 * A topic never sent to the group counts as last sent this long before the oldest send on record:
 * about one full turn of all topics at two posts a week (3.5 days per topic). So a new group's
 * first weeks already follow the calendar instead of first running through every topic once, and
 * a topic that was never sent still outwaits every topic that was.
 */
export const neverSentWaitMs = topics.length * 3.5 * 86_400_000

export function choosePost(request: RotationRequest): RotationChoice | undefined {
  const { slot, posts, readers, history, seed } = request
  const month = localDateOf(slot.at).month
  const regular = posts.filter((post) => !isCampaignPost(post) && suitsReaders(post, readers) && fitsMonth(post, month))
  if (slot.campaign) {
    const day = slot.campaign.day
    const written = posts.filter((post) => post.days?.includes(day) && suitsReaders(post, readers))
    if (written.length) return { post: leastRecentlySent(written, history, seed), startsCycle: false }
    const ofTopic = regular.filter((post) => post.topic === slot.campaign?.topic)
    if (ofTopic.length) return choosePostOfTopic(ofTopic, history.get(slot.campaign.topic), seed)
  }
  const byTopic = groupByTopic(regular)
  const topic = chooseTopic([...byTopic.keys()], request)
  return topic ? choosePostOfTopic(byTopic.get(topic)!, history.get(topic), seed) : undefined
}

/**
 * Topics take turns by how long each has waited, scaled by its weight today: a topic with
 * weight 6 is due again after a sixth of the wait of the others, so while its theme lasts it
 * comes up about six times as often, and the others still come round.
 */
function chooseTopic(candidates: Topic[], { slot, history, weights, seed }: RotationRequest): Topic | undefined {
  const at = slot.at.getTime()
  const date = localDateOf(slot.at)
  const oldestSend = Math.min(at, ...[...history.values()].flatMap((topic) => [...topic.lastSent.values()]))
  const scored = candidates.map((topic) => {
    const weight = topicWeight(topic, date, weights)
    const sent = [...(history.get(topic)?.lastSent.values() ?? [])]
    const last = sent.length ? Math.max(...sent) : oldestSend - neverSentWaitMs
    return { topic, weight, score: weight * (at - last), tie: tieBreak(seed, topic) }
  })
  scored.sort((a, b) => b.score - a.score || b.weight - a.weight || a.tie - b.tie)
  return scored[0]?.topic
}

/** A post of the topic not yet sent in this cycle; when none is left, the cycle starts over. */
function choosePostOfTopic(candidates: Post[], topicHistory: TopicHistory | undefined, seed: string): RotationChoice {
  const cycleStart = topicHistory?.cycleStart ?? 0
  const unsent = candidates.filter((post) => sentAt(post, topicHistory) < cycleStart)
  const startsCycle = unsent.length === 0
  const pool = startsCycle ? candidates : unsent
  // Within a cycle, posts tied to months go first while their month lasts: they get no other
  // chance. A new cycle starts from the post sent longest ago, so none comes twice in a row.
  const seasonal = (post: Post) => (startsCycle ? 0 : Number(post.months !== undefined))
  const ties = new Map(pool.map((post) => [post, tieBreak(seed, post.id)]))
  const ordered = [...pool].sort((a, b) => seasonal(b) - seasonal(a) || sentAt(a, topicHistory) - sentAt(b, topicHistory) || ties.get(a)! - ties.get(b)!)
  return { post: ordered[0]!, startsCycle }
}

/** Never sent first, then the longest ago; a stable per-group shuffle among equals. */
function leastRecentlySent(posts: Post[], history: GroupHistory, seed: string): Post {
  const when = (post: Post) => sentAt(post, history.get(post.topic))
  return [...posts].sort((a, b) => when(a) - when(b) || tieBreak(seed, a.id) - tieBreak(seed, b.id))[0]!
}

function sentAt(post: Post, topicHistory: TopicHistory | undefined): number {
  return topicHistory?.lastSent.get(post.id) ?? -Infinity
}

/** The history after `choice` went out at `at`. */
export function recordChoice(history: GroupHistory, choice: RotationChoice, at: Date): GroupHistory {
  const { post, startsCycle } = choice
  const previous = history.get(post.topic)
  const lastSent = new Map(previous?.lastSent ?? [])
  lastSent.set(post.id, at.getTime())
  const next = new Map(history)
  next.set(post.topic, { lastSent, cycleStart: startsCycle ? at.getTime() : (previous?.cycleStart ?? 0) })
  return next
}

function groupByTopic(posts: Post[]): Map<Topic, Post[]> {
  const byTopic = new Map<Topic, Post[]>()
  for (const post of posts) {
    const ofTopic = byTopic.get(post.topic)
    if (ofTopic) ofTopic.push(post)
    else byTopic.set(post.topic, [post])
  }
  return byTopic
}

/** FNV-1a: a cheap, stable number per (group, item), the same in every process. */
function tieBreak(seed: string, item: string): number {
  const text = `${seed}|${item}`
  let hash = 0x811c9dc5
  // By code point, as a for…of would, without an iterator and a string per character: this runs
  // about 20 times per group at every posting slot.
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!
    if (code > 0xffff) i++
    hash ^= code
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash
}
