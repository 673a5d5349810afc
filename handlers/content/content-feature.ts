import type { HandlerContext } from '../../src/core/handler.js'
import type { MessageEvent } from '../../src/core/events.js'
import type { Router } from '../../src/core/router.js'
import { formatDateTime } from '../../src/core/vn-time.js'
import { parseAudienceList } from '../../src/content/audience-words.js'
import type { Post } from '../../src/content/post.js'
import { readersOf } from '../../src/content/post.js'
import { upcomingPosts, type UpcomingPost } from '../../src/content/rotation-preview.js'
import { RotationState } from '../../src/content/rotation-state.js'
import { contentAdminCommands, contentCommandsUsage } from '../../src/content/content-commands.js'
import { loadContentLibrary } from '../../src/content/content-library.js'
import { createContentPlanner } from '../../src/content/content-planner.js'
import { readPostingSchedule, type PostingSchedule } from '../../src/content/posting-schedule.js'
import { paths } from '../../src/data-paths.js'
import type { Feature } from '../../src/feature.js'
import { contentDashboard } from './content-dashboard.js'
import { topicLabels } from '../../src/content/topics.js'
import type { Directory } from '../../src/directory/directory.js'
import { audienceLabels, type Group, type Officer, type School } from '../../src/directory/model.js'
import { contentMessages as say } from './messages.js'

export interface ContentFeatureDeps {
  directory: Directory
  rotation: RotationState
  /** The library's valid posts (loadContentLibrary(...).posts), the same the planner uses. */
  posts: readonly Post[]
  schedule: PostingSchedule
}

/** How far /baiviet looks for a group's next post. */
const lookAheadDays = 21
/** Beyond this many groups the list would outgrow one message; the rest are counted. */
const maxListedGroups = 20

/** /baiviet (the coming posts) and /doituong (who a group's posts are for), and the rotation following a migrated group. */
export function registerContentFeature(router: Router, deps: ContentFeatureDeps): void {
  router.command(['baiviet', 'bai_viet'], (ctx) => (ctx.event.chat.kind === 'group' ? showGroupNext(ctx, deps) : showOfficerUpcoming(ctx, deps)))
  router.command(['doituong', 'doi_tuong'], (ctx) => setOrShowAudiences(ctx, deps))
  router.on('chat_migrated', (ctx) => deps.rotation.moveGroup(ctx.event.chat, { platform: ctx.event.chat.platform, chatId: ctx.event.newChatId }))
}

/** Awareness posts: /baiviet and /doituong, the rotation planner, the dashboard's calendar, and `content check|preview` on the CLI. */
export const contentFeature: Feature = {
  name: 'content',
  register(router, deps) {
    const library = loadContentLibrary(paths.content)
    if (library.errors.length) deps.logger.warn({ broken: library.errors.length }, 'some awareness posts are broken and will not be sent; run npm run content:check')
    const posts = library.posts
    const schedule = readPostingSchedule(paths.postingSchedule)
    const rotation = new RotationState(deps.redis, deps.keys)
    registerContentFeature(router, { directory: deps.directory, rotation, posts, schedule })
    return {
      planners: [createContentPlanner({ directory: deps.directory, outbox: deps.outbox, rotation, posts, schedule, logger: deps.logger })],
      dashboard: [contentDashboard(deps)],
    }
  },
  cli: { commands: contentAdminCommands, usage: contentCommandsUsage },
}

async function nextPost(deps: ContentFeatureDeps, group: Group, school: School, now: Date): Promise<UpcomingPost | undefined> {
  return (await upcomingPosts(deps, group, school, now, lookAheadDays))[0]
}

async function showOfficerUpcoming(ctx: HandlerContext<MessageEvent>, deps: ContentFeatureDeps): Promise<void> {
  const officer = await deps.directory.officerByChat(ctx.event.chat)
  if (!officer) return ctx.reply({ text: say.notOfficer })
  const groups: { group: Group; school: School }[] = []
  for (const school of await schoolsOf(officer, deps.directory)) {
    for (const group of await deps.directory.groupsOfSchool(school.code)) if (group.active) groups.push({ group, school })
  }
  if (groups.length === 0) return ctx.reply({ text: say.noGroups })
  const lines = [say.upcomingHeader]
  for (const { group, school } of groups.slice(0, maxListedGroups)) {
    const next = await nextPost(deps, group, school, ctx.now)
    const title = group.title ?? say.unnamedGroup
    lines.push(next ? say.upcomingLine(title, school.name, formatDateTime(next.at), topicLabels[next.post.topic], next.post.title) : say.nothingUpcoming(title, school.name))
  }
  if (groups.length > maxListedGroups) lines.push(say.moreGroups(groups.length - maxListedGroups))
  await ctx.reply({ text: lines.join('\n') })
}

/** An officer answers for the schools named (or "*" for all) and, for ward police, the schools of their wards. */
async function schoolsOf(officer: Officer, directory: Directory): Promise<School[]> {
  const schools = await directory.listSchools()
  if (officer.schools.includes('*')) return schools
  return schools.filter((school) => officer.schools.includes(school.code) || officer.wards.includes(school.ward))
}

async function registeredGroup(ctx: HandlerContext<MessageEvent>, deps: ContentFeatureDeps): Promise<{ group: Group; school: School } | undefined> {
  const group = await deps.directory.getGroup(ctx.event.chat)
  const school = group?.schoolCode ? await deps.directory.getSchool(group.schoolCode) : undefined
  return group && school ? { group, school } : undefined
}

async function showGroupNext(ctx: HandlerContext<MessageEvent>, deps: ContentFeatureDeps): Promise<void> {
  const found = await registeredGroup(ctx, deps)
  if (!found) return ctx.reply({ text: say.groupNotRegistered })
  const next = await nextPost(deps, found.group, found.school, ctx.now)
  await ctx.reply({ text: next ? say.groupNext(formatDateTime(next.at), topicLabels[next.post.topic], next.post.title) : say.groupNothingNext })
}

async function setOrShowAudiences(ctx: HandlerContext<MessageEvent>, deps: ContentFeatureDeps): Promise<void> {
  if (ctx.event.chat.kind !== 'group') return ctx.reply({ text: say.audienceOnlyInGroups })
  const found = await registeredGroup(ctx, deps)
  if (!found) return ctx.reply({ text: say.groupNotRegistered })
  const args = ctx.event.command?.args ?? ''
  if (!args) {
    const labels = readersOf(found.group, found.school).audiences.map((audience) => audienceLabels[audience])
    return ctx.reply({ text: say.audienceCurrent(labels, (found.group.audiences?.length ?? 0) > 0) })
  }
  if (!(await ctx.isSenderChatAdmin())) return ctx.reply({ text: say.audienceOnlyAdmins })
  const parsed = parseAudienceList(args)
  if (parsed.unknown.length || parsed.audiences.length === 0) return ctx.reply({ text: say.audienceUnknown(args) })
  await deps.directory.setGroupAudiences(ctx.event.chat, parsed.audiences)
  await ctx.reply({ text: say.audienceUpdated(parsed.audiences.map((audience) => audienceLabels[audience])) })
}
