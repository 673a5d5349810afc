import { isFileLink, maxAnnouncementLength, parseTarget, selectSchools, describeTarget, type Acknowledgement } from '../../src/announcements/announcement.js'
import { AnnouncementDrafts } from '../../src/announcements/announcement-drafts.js'
import { acknowledgedMessage, announcementButtonPrefix, parseReadButton } from '../../src/announcements/announcement-message.js'
import { scheduleAnnouncement, type NewAnnouncement } from '../../src/announcements/announcement-sender.js'
import { AnnouncementStore } from '../../src/announcements/announcement-store.js'
import { LateGroupAnnouncements } from '../../src/announcements/late-group-announcements.js'
import type { Feature } from '../../src/feature.js'
import { announcementsDashboard } from './announcements-dashboard.js'
import { parseSendTime } from '../../src/announcements/send-time.js'
import type { ButtonEvent, MessageEvent } from '../../src/core/events.js'
import type { HandlerContext } from '../../src/core/handler.js'
import { actionButton } from '../../src/core/message.js'
import { nextSendableTime } from '../../src/core/quiet-hours.js'
import type { Router } from '../../src/core/router.js'
import { formatDateTime } from '../../src/core/vn-time.js'
import { maySpeakForSchool } from '../../src/deadlines/who-may-answer.js'
import type { Outbox } from '../../src/delivery/outbox.js'
import type { Directory } from '../../src/directory/directory.js'
import { announcementMessages as say } from './messages.js'

export interface AnnouncementsFeatureDeps {
  directory: Directory
  outbox: Outbox
  store: AnnouncementStore
  drafts: AnnouncementDrafts
}

const maxNameLength = 60

/** /thongbao and the "✅ Đã đọc" button; the dashboard's page sends through the same store. */
export const announcementsFeature: Feature = {
  name: 'announcements',
  register(router, deps) {
    const store = new AnnouncementStore(deps.redis, deps.keys)
    registerAnnouncementsFeature(router, { directory: deps.directory, outbox: deps.outbox, store, drafts: new AnnouncementDrafts(deps.redis, deps.keys) })
    return { dashboard: [announcementsDashboard(deps)], planners: [new LateGroupAnnouncements({ redis: deps.redis, keys: deps.keys, directory: deps.directory, outbox: deps.outbox, store })] }
  },
}

/** /thongbao (the coordinator, in private) and "✅ Đã đọc" under an announcement in a school group. */
export function registerAnnouncementsFeature(router: Router, deps: AnnouncementsFeatureDeps): void {
  router.command(['thongbao', 'thong_bao'], (ctx) => startAnnouncement(ctx, deps))
  router.button(announcementButtonPrefix, (ctx) => onAnnouncementButton(ctx, deps))
}

async function startAnnouncement(ctx: HandlerContext<MessageEvent>, deps: AnnouncementsFeatureDeps): Promise<void> {
  if (ctx.event.chat.kind !== 'private') return ctx.reply({ text: say.onlyPrivate })
  const officer = await deps.directory.officerByChat(ctx.event.chat)
  if (officer?.role !== 'coordinator') return ctx.reply({ text: say.onlyCoordinator })
  const args = ctx.event.command?.args ?? ''
  if (!args) return ctx.reply({ text: say.usage })
  const draft = await readDraft(args, ctx.now, deps.directory, officer.name)
  if (typeof draft === 'string') return ctx.reply({ text: draft })
  const schools = selectSchools(draft.target, await deps.directory.listSchools())
  if (schools.length === 0) return ctx.reply({ text: say.noSchools })
  const codes = new Set(schools.map((school) => school.code))
  const groupsHere = (await deps.directory.listGroups({ activeOnly: true, registeredOnly: true })).filter((group) => codes.has(group.schoolCode!))
  const groups = groupsHere.length
  // Schools, not groups: a school with two groups must not hide one with none.
  const withGroup = new Set(groupsHere.map((group) => group.schoolCode))
  const schoolsWithoutGroup = schools.filter((school) => !withGroup.has(school.code)).length
  const asked = draft.at ?? ctx.now
  const at = nextSendableTime(asked)
  await deps.drafts.save(ctx.event.chat, draft)
  await ctx.reply({
    text: say.review(describeTarget(draft.target), schools.length, groups, schoolsWithoutGroup, formatDateTime(at), at.getTime() !== asked.getTime(), draft.text, draft.fileUrl),
    buttons: [[actionButton(say.sendButton, `${announcementButtonPrefix}:send`), actionButton(say.cancelButton, `${announcementButtonPrefix}:cancel`)]],
  })
}

/** "<gửi tới> | <lúc gửi> | <nội dung> [| <link>]": the draft, or the sentence saying what is wrong. */
async function readDraft(args: string, now: Date, directory: Directory, createdBy: string): Promise<NewAnnouncement | string> {
  const [targetText, timeText, text, fileUrl, ...rest] = args.split('|').map((part) => part.trim())
  if (!targetText || timeText === undefined || !text || rest.length) return say.tooFewParts
  const target = parseTarget(targetText, await directory.listSchools())
  if ('problem' in target) return target.problem
  const at = parseSendTime(timeText, now)
  if ('problem' in at) return at.problem
  if (text.length < 5 || text.length > maxAnnouncementLength) return say.badText(maxAnnouncementLength)
  if (fileUrl && !isFileLink(fileUrl)) return say.badLink
  return { text, target, at, createdBy, ...(fileUrl ? { fileUrl } : {}) }
}

async function onAnnouncementButton(ctx: HandlerContext<ButtonEvent>, deps: AnnouncementsFeatureDeps): Promise<void> {
  const id = parseReadButton(ctx.event.data)
  if (id) return acknowledge(ctx, deps, id)
  const action = ctx.event.data.slice(announcementButtonPrefix.length + 1)
  if (ctx.event.chat.kind !== 'private') return ctx.toast(say.expiredToast)
  const officer = await deps.directory.officerByChat(ctx.event.chat)
  if (officer?.role !== 'coordinator') return ctx.toast(say.expiredToast)
  const draft = await deps.drafts.take(ctx.event.chat)
  if (!draft) return ctx.toast(say.expiredToast)
  if (action === 'cancel') return ctx.reply({ text: say.cancelled })
  const announcement = await scheduleAnnouncement(deps, draft, ctx.now)
  await ctx.reply({ text: say.scheduled(announcement.id, announcement.groups, announcement.schoolCodes.length, formatDateTime(new Date(announcement.sendAt))) })
}

/** "✅ Đã đọc": the school's first acknowledgement counts, by an admin of the group or the school's staff. */
async function acknowledge(ctx: HandlerContext<ButtonEvent>, deps: AnnouncementsFeatureDeps, id: string): Promise<void> {
  const [announcement, group] = await Promise.all([deps.store.get(id), deps.directory.getGroup(ctx.event.chat)])
  if (!announcement) return ctx.toast(say.readToasts.unknown)
  const schoolCode = group?.schoolCode
  if (!schoolCode || !announcement.schoolCodes.includes(schoolCode)) return ctx.toast(say.readToasts.notForThisGroup)
  if (!(await maySpeakForSchool(ctx, deps.directory, schoolCode))) return ctx.toast(say.readToasts.onlyStaff)
  const { from } = ctx.event
  const ack: Acknowledgement = { by: nameOf(from.displayName, from.username), platform: from.platform, userId: from.userId, at: ctx.now.toISOString() }
  const result = await deps.store.acknowledge(id, schoolCode, ack)
  if (ctx.event.messageId) await ctx.edit(ctx.event.messageId, acknowledgedMessage(announcement, result.ack))
  const school = await deps.directory.getSchool(schoolCode)
  ctx.toast(result.recorded ? say.readToasts.recorded(school?.name ?? schoolCode) : say.readToasts.already(result.ack.by, formatDateTime(new Date(result.ack.at))))
}

function nameOf(displayName: string | undefined, username: string | undefined): string {
  const name = displayName?.trim() || (username ? `@${username}` : say.fallbackName)
  return name.length > maxNameLength ? `${name.slice(0, maxNameLength - 1)}…` : name
}
