import type { LocalDate } from '../core/vn-time.js'
import type { PostingSchedule, Theme } from './posting-schedule.js'
import type { Topic } from './topics.js'

export type TopicWeights = Pick<PostingSchedule, 'baseWeight' | 'themes'>

/** How strongly the calendar favours a topic on a day: the base weight, or its strongest theme. */
export function topicWeight(topic: Topic, date: LocalDate, weights: TopicWeights): number {
  // Asked for every topic of every group at a posting slot (90,000 times at 5,000 groups), with
  // the same few answers: remembered per schedule, topic and day.
  let known = weightsSeen.get(weights)
  if (!known) weightsSeen.set(weights, (known = new Map()))
  const key = `${topic}|${date.year}-${date.month}-${date.day}`
  let weight = known.get(key)
  if (weight === undefined) {
    weight = weights.themes.filter((theme) => theme.topic === topic && themeCovers(theme, date)).reduce((max, theme) => Math.max(max, theme.weight), weights.baseWeight)
    known.set(key, weight)
  }
  return weight
}

const weightsSeen = new WeakMap<TopicWeights, Map<string, number>>()

export function themeCovers(theme: Theme, date: LocalDate): boolean {
  if (theme.months) return theme.months.includes(date.month)
  if (!theme.from || !theme.to) return false
  const day = date.month * 100 + date.day
  const [from, to] = [dayNumber(theme.from), dayNumber(theme.to)]
  // A range such as 20/12-10/01 crosses the new year.
  return from <= to ? day >= from && day <= to : day >= from || day <= to
}

/** "26/06" -> 626, so days of the year compare as numbers. */
function dayNumber(text: string): number {
  const [day, month] = text.split('/').map(Number) as [number, number]
  return month * 100 + day
}
