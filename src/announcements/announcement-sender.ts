import { nextSendableTime } from '../core/quiet-hours.js'
import { chatKey } from '../core/platform.js'
import type { Outbox } from '../delivery/outbox.js'
import type { Directory } from '../directory/directory.js'
import { selectSchools, type Announcement, type AnnouncementTarget } from './announcement.js'
import { announcementMessage } from './announcement-message.js'
import type { AnnouncementStore } from './announcement-store.js'

export interface AnnouncementSenderDeps {
  directory: Directory
  outbox: Outbox
  store: AnnouncementStore
}

export interface NewAnnouncement {
  text: string
  fileUrl?: string
  target: AnnouncementTarget
  /** When the coordinator asked for it; now when left out. Moved out of the night and Sunday. */
  at?: Date
  createdBy: string
}

/** One announcement to one group: the same key whether it went out at once or to a group registered later. */
export function announcementKey(announcementId: string, chat: string): string {
  return `announce:${announcementId}:${chat}`
}

/**
 * Saves the announcement and queues it, delayed to its time, for every active group of the chosen
 * schools: the delivery queue (any process) sends it, paced like the other broadcasts and behind
 * tips. The time is moved to the next sending hour when it falls at night or on a Sunday.
 */
export async function scheduleAnnouncement(deps: AnnouncementSenderDeps, input: NewAnnouncement, now: Date): Promise<Announcement> {
  const schools = selectSchools(input.target, await deps.directory.listSchools())
  const chosen = new Set(schools.map((school) => school.code))
  const groups = (await deps.directory.listGroups({ activeOnly: true, registeredOnly: true })).filter((group) => chosen.has(group.schoolCode!))
  const sendAt = nextSendableTime(new Date(Math.max(now.getTime(), input.at?.getTime() ?? 0)))
  const announcement = await deps.store.save({
    text: input.text,
    ...(input.fileUrl ? { fileUrl: input.fileUrl } : {}),
    target: input.target,
    schoolCodes: schools.map((school) => school.code),
    groups: groups.length,
    sendAt: sendAt.toISOString(),
    createdAt: now.toISOString(),
    createdBy: input.createdBy,
  })
  const message = announcementMessage(announcement)
  await deps.outbox.sendMany(
    groups.map((group) => ({
      to: { platform: group.platform, chatId: group.chatId },
      message,
      options: { key: announcementKey(announcement.id, chatKey(group)), purpose: 'announcement' as const, delayMs: sendAt.getTime() - now.getTime() },
    })),
  )
  return announcement
}
