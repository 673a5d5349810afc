import type { Redis } from 'ioredis'
import type { Keys } from '../store/redis.js'
import { nextSendableTime } from '../core/quiet-hours.js'
import { chatKey } from '../core/platform.js'
import type { Outbox } from '../delivery/outbox.js'
import type { Directory } from '../directory/directory.js'
import type { Planner } from '../scheduling/planner-ticker.js'
import { announcementKey } from './announcement-sender.js'
import { announcementMessage } from './announcement-message.js'
import type { AnnouncementStore } from './announcement-store.js'

/** How long an announcement still reaches a group that registers after it went out. */
export const lateGroupDays = 14
const recentChecked = 20
const claimLeaseSeconds = 600

export interface LateGroupAnnouncementsDeps {
  redis: Redis
  keys: Keys
  directory: Directory
  outbox: Pick<Outbox, 'sendMany'>
  store: AnnouncementStore
}

/**
 * A school that registers its group a few days after an announcement still needs it ("nộp báo cáo
 * trước 10/12"): every planner run, each announcement of the last 14 days that has gone out is
 * queued for the chosen schools' groups registered after it was created, unless the school has
 * already acknowledged it. Each (announcement, group) is claimed with SET NX before it is queued,
 * so it is queued once across runs and processes; the delivery key is the one the announcement
 * used, so a group that did get it when it went out is never sent it again.
 */
export class LateGroupAnnouncements implements Planner {
  readonly name = 'announcements-late-groups'

  constructor(private readonly deps: LateGroupAnnouncementsDeps) {}

  async plan(now: Date): Promise<void> {
    const since = now.getTime() - lateGroupDays * 86_400_000
    const due = (await this.deps.store.recent(recentChecked)).filter((a) => Date.parse(a.sendAt) <= now.getTime() && Date.parse(a.createdAt) >= since)
    if (due.length === 0) return
    const groups = await this.deps.directory.listGroups({ activeOnly: true, registeredOnly: true })
    const sendAt = nextSendableTime(now)
    for (const announcement of due) {
      const chosen = new Set(announcement.schoolCodes)
      const createdAt = Date.parse(announcement.createdAt)
      const late = groups.filter((group) => chosen.has(group.schoolCode!) && group.registeredAt !== undefined && Date.parse(group.registeredAt) > createdAt)
      if (late.length === 0) continue
      const acknowledged = await this.deps.store.acknowledgements(announcement.id)
      const claimed = await this.claim(announcement.id, late.filter((group) => !acknowledged.has(group.schoolCode!)).map(chatKey))
      if (claimed.size === 0) continue
      const message = announcementMessage(announcement, { late: true })
      await this.deps.outbox.sendMany(
        late
          .filter((group) => claimed.has(chatKey(group)))
          .map((group) => ({
            to: { platform: group.platform, chatId: group.chatId },
            message,
            options: { key: announcementKey(announcement.id, chatKey(group)), purpose: 'announcement' as const, delayMs: sendAt.getTime() - now.getTime() },
          })),
      )
      await this.keep(announcement.id, [...claimed])
    }
  }

  /**
   * The chats this run may queue the announcement to: the ones no earlier run or other process
   * claimed. A claim is a 10-minute lease until the jobs are queued (keep), so a process that dies
   * in between leaves them to a later run instead of losing them.
   */
  private async claim(announcementId: string, chats: string[]): Promise<Set<string>> {
    if (chats.length === 0) return new Set()
    const pipeline = this.deps.redis.pipeline()
    for (const chat of chats) pipeline.set(this.claimKey(announcementId, chat), '1', 'EX', claimLeaseSeconds, 'NX')
    const results = (await pipeline.exec()) ?? []
    return new Set(chats.filter((_chat, i) => results[i]?.[1] === 'OK'))
  }

  private async keep(announcementId: string, chats: string[]): Promise<void> {
    const pipeline = this.deps.redis.pipeline()
    for (const chat of chats) pipeline.expire(this.claimKey(announcementId, chat), (lateGroupDays + 1) * 86_400)
    await pipeline.exec()
  }

  private claimKey(announcementId: string, chat: string): string {
    return this.deps.keys.key('announcements', 'late', announcementId, chat)
  }
}
