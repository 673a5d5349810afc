import type { LocalDate } from '../core/vn-time.js'
import type { PostingSchedule, Theme } from './posting-schedule.js'
import type { Topic } from './topics.js'

export type TopicWeights = Pick<PostingSchedule, 'baseWeight' | 'themes'>

/** How strongly the calendar favours a topic on a day: the base weight, or its strongest theme. */
export function topicWeight(topic: Topic, date: LocalDate, weights: TopicWeights): number {
  return weights.themes
    .filter((theme) => theme.topic === topic && themeCovers(theme, date))
    .reduce((weight, theme) => Math.max(weight, theme.weight), weights.baseWeight)
}

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
