import { audiences, type Audience, type Group, type School, type SchoolLevel } from '../directory/model.js'
import type { Topic } from './topics.js'

/** One awareness post: a file content/<topic>/<id>.md, read and validated. */
export interface Post {
  id: string
  topic: Topic
  title: string
  audience: Audience[]
  levels: SchoolLevel[]
  tags: string[]
  /** Months (1-12) the post fits; any month when unset. */
  months?: number[]
  /** Campaign days ("26/06") the post is written for; such a post goes out only on its day. */
  days?: string[]
  /** The laws, decrees, official notices or pages the post rests on, as written in its front matter. */
  sources: string[]
  /** `path` is resolved against the post's folder. */
  image?: { path: string; alt: string }
  body: string
  /** Where it was read from, for messages to the people who write posts. */
  file: string
}

/** Who reads a group: the readers it declared and the school's level. */
export interface Readers {
  audiences: readonly Audience[]
  level: SchoolLevel
}

export function isCampaignPost(post: Post): boolean {
  return (post.days?.length ?? 0) > 0
}

export function suitsReaders(post: Post, readers: Readers): boolean {
  return post.levels.includes(readers.level) && post.audience.some((audience) => readers.audiences.includes(audience))
}

export function fitsMonth(post: Post, month: number): boolean {
  return post.months === undefined || post.months.includes(month)
}

/** A group's readers: those it declared (all three when it never said) at its school's level. */
export function readersOf(group: Group, school: School): Readers {
  return { audiences: group.audiences?.length ? group.audiences : audiences, level: school.level }
}
