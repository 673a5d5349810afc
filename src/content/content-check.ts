import { join } from 'node:path'
import { hasVietnameseDiacritics } from '../core/fold.js'
import { visibleLength } from '../core/message.js'
import { addDays, formatDate, localDateOf, type LocalDate } from '../core/vn-time.js'
import { audienceLabels, audiences, schoolLevels } from '../directory/model.js'
import { loadContentLibrary } from './content-library.js'
import { defaultLawsFileName, isInForce, isRepealedOn, lawNumbersIn, readLaws, whyNotInForce, type Law } from './laws.js'
import { findNearDuplicates } from './near-duplicates.js'
import { fitsMonth, isCampaignPost, type Post } from './post.js'
import { renderPost } from './post-message.js'
import { readPostingSchedule, type CampaignDay } from './posting-schedule.js'
import { otherRoleNamesIn, schoolOnlyTerms } from './role-names.js'
import { minPostsPerTopic, topics } from './topics.js'

export interface ContentCheckResult {
  /** "file: field: reason"; any error fails the check. */
  errors: string[]
  /** Worth a look, not a reason to block a post. */
  warnings: string[]
  /** Posts that passed the per-file checks. */
  posts: number
  /** Topics with at least one such post. */
  topics: number
}

export interface ContentCheckOptions {
  /** The campaign days posts may be written for; schedules/posting.yaml by default. */
  campaignDays?: readonly CampaignDay[]
  /** The day the check stands on, for the laws in force; today in Vietnam by default. */
  today?: LocalDate
  /** content/laws.yaml by default. */
  lawsPath?: string
}

export const defaultSchedulePath = 'schedules/posting.yaml'
/** The project's rule: a post is read on a phone in a group chat, in well under a minute. */
export const maxBodyLength = 900
export const nearDuplicateThreshold = 0.6
/** Normal Vietnamese has diacritics on most words; under this share the text lost them on the way. */
export const minDiacriticShare = 0.05
/** What a phone shows of a chat message without scrolling, counting paragraphs and bullets. */
export const maxBodyLines = 12
/** September to May: a topic silent in any of these months leaves schools without it for weeks. */
export const schoolMonths = [9, 10, 11, 12, 1, 2, 3, 4, 5] as const
/** How far ahead a law that changes is announced as a warning. */
export const lawLookAheadDays = 365

/** What each platform accepts in one message (src/platforms; Zalo from research/zalo.md). */
const platformLimits = [
  { platform: 'Telegram', text: 4096, caption: 1024 },
  { platform: 'Zalo', text: 2000, caption: 2000 },
] as const

/** Everything `npm run content:check` verifies, for the posts under `dir`. */
export function checkContentLibrary(dir: string, options: ContentCheckOptions = {}): ContentCheckResult {
  const campaignDays = options.campaignDays ?? readPostingSchedule(defaultSchedulePath).campaignDays
  const library = loadContentLibrary(dir)
  const posts = library.posts
  const today = options.today ?? localDateOf(new Date())
  const laws = readLaws(options.lawsPath ?? join(dir, defaultLawsFileName))
  const lawCheck = lawProblems(posts, laws.laws, today)
  const errors = [
    ...library.errors,
    ...laws.errors,
    ...lawCheck.errors,
    ...posts.flatMap(lengthProblems),
    ...posts.flatMap(lineCountProblems),
    ...posts.flatMap(roleNameProblems),
    ...posts.flatMap(schoolOnlyTermProblems),
    ...monthCoverageProblems(dir, posts),
    ...posts.flatMap(diacriticProblems),
    ...duplicateIdProblems(posts),
    ...nearDuplicateProblems(posts),
    ...topicSizeProblems(dir, posts),
    ...campaignDayProblems(dir, posts, campaignDays),
  ]
  const warnings = [...coverageWarnings(dir, posts), ...campaignReachWarnings(posts), ...lawCheck.warnings]
  return { errors, warnings, posts: posts.length, topics: new Set(posts.map((post) => post.topic)).size }
}

function lengthProblems(post: Post): string[] {
  const problems: string[] = []
  const bodyLength = [...post.body].length
  if (bodyLength > maxBodyLength) problems.push(`${post.file}: body: is ${bodyLength} characters; posts are at most ${maxBodyLength}`)
  const messageLength = visibleLength(renderPost(post, 'SCHOOL').text)
  for (const limit of platformLimits) {
    const max = post.image ? limit.caption : limit.text
    if (messageLength > max) {
      const what = post.image ? 'a photo caption' : 'a message'
      problems.push(`${post.file}: body: with the title and signature the post is ${messageLength} characters; ${limit.platform} takes at most ${max} in ${what}`)
    }
  }
  return problems
}

function lineCountProblems(post: Post): string[] {
  const lines = post.body.split('\n').filter((line) => line.trim()).length
  return lines > maxBodyLines ? [`${post.file}: body: has ${lines} lines (paragraphs and bullets); a phone screen shows about ${maxBodyLines}, so join or cut some`] : []
}

function roleNameProblems(post: Post): string[] {
  return otherRoleNamesIn(`${post.title}\n${post.body}`).map(
    ({ role, found }) => `${post.file}: body: calls ${role.role} "${found}"; every post says "${role.name}"`,
  )
}

function schoolOnlyTermProblems(post: Post): string[] {
  if (!post.levels.includes('dh-cd-tc')) return []
  const text = `${post.title}\n${post.body}`
  return schoolOnlyTerms
    .filter(({ term, alsoNeeds }) => term.test(text) && !alsoNeeds.test(text))
    .map(({ label, fix }) => `${post.file}: body: says "${label}", a school word, but university and college groups get the post too; ${fix}`)
}

/** Every topic must have a regular post for each school month, or groups go a month without it. */
function monthCoverageProblems(dir: string, posts: Post[]): string[] {
  const problems: string[] = []
  for (const topic of topics) {
    const regular = posts.filter((post) => post.topic === topic && !isCampaignPost(post))
    if (regular.length === 0) continue
    const silent = schoolMonths.filter((month) => !regular.some((post) => fitsMonth(post, month)))
    if (silent.length) problems.push(`${join(dir, topic)}: months: no post can go out in month(s) ${silent.join(', ')}; keep months only on truly seasonal posts`)
  }
  return problems
}

/** The days from `today` on, within the look-ahead, on which a post can go out. */
function daysPostCanGoOut(post: Post, today: LocalDate): LocalDate[] {
  const out: LocalDate[] = []
  for (let offset = 0; offset < lawLookAheadDays; offset++) {
    const day = addDays(today, offset)
    const dayMonth = `${String(day.day).padStart(2, '0')}/${String(day.month).padStart(2, '0')}`
    if (isCampaignPost(post) ? post.days!.includes(dayMonth) : fitsMonth(post, day.month)) out.push(day)
  }
  return out
}

/**
 * A source must name laws the library knows (content/laws.yaml), and those laws must apply on
 * the days the post goes out: citing a repealed one is an error, a change within the year ahead
 * a warning, so the writer updates the post before the day comes.
 */
function lawProblems(posts: Post[], laws: Law[], today: LocalDate): { errors: string[]; warnings: string[] } {
  const errors: string[] = []
  const warnings: string[] = []
  for (const post of posts) {
    const numbers = [...new Set(post.sources.flatMap(lawNumbersIn))]
    if (!numbers.length) continue
    const days = daysPostCanGoOut(post, today)
    for (const number of numbers) {
      const law = laws.find((known) => known.number === number)
      if (!law) {
        errors.push(`${post.file}: sources: cites ${number}, which is not in ${defaultLawsFileName}; add it with the day it takes effect`)
        continue
      }
      if (isRepealedOn(law, today)) {
        errors.push(`${post.file}: sources: ${law.name} (${number}) ${whyNotInForce(law, today)}; the post would go out citing a law no longer in force`)
        continue
      }
      const firstBad = days.find((day) => !isInForce(law, day))
      if (firstBad) warnings.push(`${post.file}: sources: on ${formatDate(firstBad)}, when the post can go out, ${law.name} (${number}) ${whyNotInForce(law, firstBad)}`)
    }
  }
  return { errors, warnings }
}

function diacriticShare(text: string): { words: number; share: number } {
  const words = text.split(/\s+/).filter((word) => /\p{L}/u.test(word))
  const marked = words.filter(hasVietnameseDiacritics).length
  return { words: words.length, share: words.length ? marked / words.length : 1 }
}

function diacriticProblems(post: Post): string[] {
  const problems: string[] = []
  const body = diacriticShare(post.body)
  if (body.share < minDiacriticShare) {
    problems.push(`${post.file}: body: only ${Math.round(body.share * 100)}% of its words carry diacritics; it looks typed or pasted without them`)
  }
  const title = diacriticShare(post.title)
  if (title.words >= 4 && title.share < minDiacriticShare) problems.push(`${post.file}: title: has no diacritics; write it in full Vietnamese`)
  return problems
}

function duplicateIdProblems(posts: Post[]): string[] {
  const firstFile = new Map<string, string>()
  const problems: string[] = []
  for (const post of posts) {
    const first = firstFile.get(post.id)
    if (first) problems.push(`${post.file}: id: "${post.id}" is already used by ${first}; ids are unique across topics`)
    else firstFile.set(post.id, post.file)
  }
  return problems
}

function nearDuplicateProblems(posts: Post[]): string[] {
  return findNearDuplicates(posts.map((post) => ({ item: post, text: post.body })), nearDuplicateThreshold).map(
    ({ first, second, similarity }) =>
      `${second.file}: body: is nearly the same as ${first.file} (${Math.round(similarity * 100)}% of word triples shared); rewrite one of them`,
  )
}

function topicSizeProblems(dir: string, posts: Post[]): string[] {
  return topics
    .map((topic) => ({ topic, count: posts.filter((post) => post.topic === topic && !isCampaignPost(post)).length }))
    .filter(({ count }) => count < minPostsPerTopic)
    .map(({ topic, count }) => `${join(dir, topic)}: (folder): has ${count} regular post(s); every topic needs at least ${minPostsPerTopic}`)
}

function campaignDayProblems(dir: string, posts: Post[], campaignDays: readonly CampaignDay[]): string[] {
  const problems: string[] = []
  for (const campaign of campaignDays) {
    const written = posts.filter((post) => post.days?.includes(campaign.day))
    if (written.length === 0) problems.push(`${dir}: days: no post is written for ${campaign.day} (${campaign.name}); add one to content/${campaign.topic}/ with days: ["${campaign.day}"]`)
    for (const extra of written.slice(1)) problems.push(`${extra.file}: days: ${campaign.day} already has ${written[0]!.file}; one post per campaign day`)
    for (const post of written.filter((post) => post.topic !== campaign.topic)) {
      problems.push(`${post.file}: days: ${campaign.day} is a ${campaign.topic} day, but the post is in ${post.topic}`)
    }
  }
  for (const post of posts) {
    for (const day of post.days ?? []) {
      if (!campaignDays.some((campaign) => campaign.day === day)) problems.push(`${post.file}: days: ${day} is not a campaign day in ${defaultSchedulePath}`)
    }
  }
  return problems
}

/** A level or a reader that no post of a topic suits makes groups of that kind skip the topic. */
function coverageWarnings(dir: string, posts: Post[]): string[] {
  const warnings: string[] = []
  for (const topic of topics) {
    const regular = posts.filter((post) => post.topic === topic && !isCampaignPost(post))
    if (regular.length === 0) continue
    const levels = schoolLevels.filter((level) => !regular.some((post) => post.levels.includes(level)))
    const readers = audiences.filter((audience) => !regular.some((post) => post.audience.includes(audience)))
    if (levels.length) warnings.push(`${join(dir, topic)}: levels: no post for ${levels.join(', ')} schools; their groups skip this topic`)
    if (readers.length) warnings.push(`${join(dir, topic)}: audience: no post for ${readers.map((r) => audienceLabels[r]).join(', ')}; groups of only those readers skip this topic`)
  }
  return warnings
}

function campaignReachWarnings(posts: Post[]): string[] {
  return posts
    .filter(isCampaignPost)
    .map((post) => ({ post, missing: schoolLevels.filter((level) => !post.levels.includes(level)) }))
    .filter(({ missing }) => missing.length > 0)
    .map(({ post, missing }) => `${post.file}: levels: ${missing.join(', ')} schools get another ${post.topic} post on ${post.days!.join(', ')} instead`)
}
