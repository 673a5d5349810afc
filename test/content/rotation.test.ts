import { describe, expect, it } from 'vitest'
import { fitsMonth, isCampaignPost, suitsReaders, type Post, type Readers } from '../../src/content/post.js'
import { loadContentLibrary } from '../../src/content/content-library.js'
import { planForSchool, readPostingSchedule } from '../../src/content/posting-schedule.js'
import { forecastRotation } from '../../src/content/rotation-preview.js'
import { slotsBetween } from '../../src/content/posting-slots.js'
import type { PostingSlot } from '../../src/content/posting-slots.js'
import { choosePost, recordChoice, type GroupHistory } from '../../src/content/rotation.js'
import type { TopicWeights } from '../../src/content/topic-weights.js'
import { topics, type Topic } from '../../src/content/topics.js'
import { addDays, atLocal, localDateOf, type LocalDate } from '../../src/core/vn-time.js'
import { syntheticPosts } from './synthetic-library.js'

const posts = syntheticPosts()
const schedule = readPostingSchedule('schedules/posting.yaml')
const flat: TopicWeights = { baseWeight: 1, themes: [] }
const thcsPupils: Readers = { audiences: ['hoc-sinh'], level: 'thcs' }

/** Runs the rotation over weekly Monday slots from `start`, as the planner would. */
function run(slots: PostingSlot[], readers: Readers, weights = flat, postsToUse: Post[] = posts): Post[] {
  let history: GroupHistory = new Map()
  const sent: Post[] = []
  for (const slot of slots) {
    const choice = choosePost({ slot, posts: postsToUse, readers, history, weights, seed: 'telegram:-100' })
    if (!choice) continue
    sent.push(choice.post)
    history = recordChoice(history, choice, slot.at)
  }
  return sent
}

function mondays(start: LocalDate, count: number): PostingSlot[] {
  return Array.from({ length: count }, (_, week) => ({ at: atLocal(addDays(start, week * 7), 7) }))
}

describe('choosePost', () => {
  it('sends only posts that suit the group’s readers and level', () => {
    const sent = run(mondays({ year: 2026, month: 9, day: 7 }, 80), thcsPupils)
    expect(sent.every((post) => suitsReaders(post, thcsPupils) && !isCampaignPost(post))).toBe(true)
    expect(sent.some((post) => post.audience.includes('giao-vien') && !post.audience.includes('hoc-sinh'))).toBe(false)
  })

  it('repeats no post of a topic before every suitable post of it went out, then starts the topic over', () => {
    const sent = run(mondays({ year: 2026, month: 9, day: 7 }, 150), thcsPupils)
    const byTopic = new Map<Topic, string[]>()
    for (const post of sent) byTopic.set(post.topic, [...(byTopic.get(post.topic) ?? []), post.id])
    for (const [topic, ids] of byTopic) {
      const eligible = posts.filter((post) => post.topic === topic && !isCampaignPost(post) && post.months === undefined && suitsReaders(post, thcsPupils))
      if (topic === 'thien-tai-dich-benh') continue // has a summer-only post; covered below
      for (let start = 0; start + eligible.length <= ids.length; start += eligible.length) {
        expect(new Set(ids.slice(start, start + eligible.length)).size, `${topic} cycle at ${start}`).toBe(eligible.length)
      }
      expect(ids.length).toBeGreaterThan(eligible.length) // at least one restart was exercised
    }
  })

  it('lets every topic take turns when no theme is on', () => {
    const sent = run(mondays({ year: 2026, month: 11, day: 23 }, 24), thcsPupils)
    const counts = countTopics(sent)
    expect(counts.size).toBe(topics.length)
    expect(Math.max(...counts.values()) - Math.min(...counts.values())).toBeLessThanOrEqual(1)
  })

  it('favours the themed topic in its month', () => {
    const slots = [...mondays({ year: 2027, month: 5, day: 3 }, 8), ...mondays({ year: 2027, month: 6, day: 7 }, 4)].sort((a, b) => a.at.getTime() - b.at.getTime())
    const thursdays = slots.map((slot) => ({ at: new Date(slot.at.getTime() + 3 * 86_400_000 + 9.5 * 3600_000) }))
    const all = [...slots, ...thursdays].sort((a, b) => a.at.getTime() - b.at.getTime())
    const june = run(all, thcsPupils, schedule).filter((_post, index) => localDateOf(all[index]!.at).month === 6)
    const counts = countTopics(june)
    expect(counts.get('ma-tuy')).toBe(Math.max(...counts.values()))
    // Weight 6 against seventeen others at 1: about a quarter of June's eight slots, where an
    // unthemed topic gets one slot in three months.
    expect(counts.get('ma-tuy')).toBeGreaterThanOrEqual(2)
  })

  it('on a campaign day sends the post written for it, or another post of its topic when that one does not suit', () => {
    const campaign = schedule.campaignDays.find((day) => day.day === '26/06')!
    const slot: PostingSlot = { at: atLocal({ year: 2027, month: 6, day: 26 }, 7, 30), campaign }
    const pick = (readers: Readers) => choosePost({ slot, posts, readers, history: new Map(), weights: schedule, seed: 's' })?.post
    expect(pick(thcsPupils)?.id).toBe('ma-tuy-ngay-26-6')
    const primary = pick({ audiences: ['hoc-sinh', 'phu-huynh', 'giao-vien'], level: 'tieu-hoc' })
    expect(primary?.topic).toBe('ma-tuy')
    expect(primary && isCampaignPost(primary)).toBe(false)
  })

  it('sends a post tied to months while its months last, and never outside them', () => {
    const readers: Readers = { audiences: ['phu-huynh'], level: 'tieu-hoc' }
    const seasonal = posts.filter((post) => post.topic === 'thien-tai-dich-benh')
    const year = mondays({ year: 2026, month: 9, day: 7 }, 52)
    const sent = run(year, readers, flat, seasonal)
    const months = sent.map((post, index) => (post.months ? localDateOf(year[index]!.at).month : 0)).filter(Boolean)
    expect(months.length).toBeGreaterThan(0)
    expect(months.every((month) => [6, 7, 8].includes(month))).toBe(true)
    expect(localDateOf(year[sent.findIndex((post) => post.months)]!.at).month).toBe(6)
  })

  it('chooses nothing when no post suits the group', () => {
    const slot = { at: atLocal({ year: 2026, month: 9, day: 7 }, 7) }
    expect(choosePost({ slot, posts, readers: { audiences: ['giao-vien'], level: 'mam-non' }, history: new Map(), weights: schedule, seed: 's' })).toBeUndefined()
  })

  it('is deterministic: the same history gives the same post', () => {
    const slot = { at: atLocal({ year: 2026, month: 9, day: 7 }, 7) }
    const request = { slot, posts, readers: thcsPupils, history: new Map(), weights: schedule, seed: 'telegram:-1' }
    expect(choosePost(request)).toEqual(choosePost({ ...request }))
    expect(posts.filter((post) => fitsMonth(post, 9)).length).toBeGreaterThan(0)
  })
})

describe('the real library over a school year', () => {
  const library = loadContentLibrary('content').posts
  const slots = slotsBetween({ year: 2026, month: 9, day: 1 }, { year: 2027, month: 8, day: 31 }, planForSchool(schedule, 'ANY'))

  it.each([
    ['a THCS group of pupils and parents', { audiences: ['hoc-sinh', 'phu-huynh'], level: 'thcs' } as Readers],
    ['a primary-school group', { audiences: ['hoc-sinh', 'phu-huynh', 'giao-vien'], level: 'tieu-hoc' } as Readers],
  ])('%s sees every topic the library has for it, and nothing unfit', (_name, readers) => {
    const upcoming = forecastRotation({ slots, posts: library, readers, history: new Map(), schedule, seed: 'telegram:-1' })
    expect(upcoming.filter(({ post }) => !suitsReaders(post, readers))).toEqual([])
    const eligible = topics.filter((topic) => library.some((post) => post.topic === topic && !isCampaignPost(post) && suitsReaders(post, readers)))
    expect(new Set(upcoming.map(({ post }) => post.topic))).toEqual(new Set(eligible))
  })
})

function countTopics(sent: Post[]): Map<Topic, number> {
  const counts = new Map<Topic, number>()
  for (const post of sent) counts.set(post.topic, (counts.get(post.topic) ?? 0) + 1)
  return counts
}
