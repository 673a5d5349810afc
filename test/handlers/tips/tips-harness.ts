/**
 * The tips feature on a real Redis with a recording context instead of a platform: every reply,
 * send and toast lands in `outbox`, in order, with the chat it was for.
 */
import { isParkedUntilUserWrites } from '../../../src/platforms/zalo/zalo-window.js'
import { pino } from 'pino'
import { registerTipsFeature, type TipsFeature } from '../../../handlers/tips/tips-feature.js'
import { ManualClock } from '../../../src/core/clock.js'
import { parseCommand, type ButtonEvent, type IncomingEvent, type MessageEvent } from '../../../src/core/events.js'
import type { HandlerContext, SendRequest } from '../../../src/core/handler.js'
import { toPlainText, type OutgoingMessage } from '../../../src/core/message.js'
import type { ChatRef } from '../../../src/core/platform.js'
import { Router } from '../../../src/core/router.js'
import { Directory } from '../../../src/directory/directory.js'
import { readDirectoryFile, type DirectoryFile } from '../../../src/directory/directory-file.js'
import { loadEmergencyRules, type EmergencyMatch } from '../../../src/tips/emergency.js'
import type { TipLimitSettings } from '../../../src/tips/tip-limits.js'
import { loadTipResponseTimes, type TipResponseTimes } from '../../../src/tips/tip-response.js'
import { Keys } from '../../../src/store/redis.js'
import { connectTestRedis, deleteKeys, uniquePrefix } from '../../support/redis.js'

export interface Outgoing {
  chatId: string
  text: string
  /** What a reader sees. */
  plain: string
  buttons: { label: string; data?: string; payload?: string }[]
  photoFileId?: string
  purpose: string
  key?: string
  tag?: SendRequest['tag']
  kind: 'reply' | 'send' | 'toast' | 'edit'
  /** For an edit: the message it replaces. */
  messageId?: string
}

export const example = readDirectoryFile('schedules/schools.example.yaml')
export const key = Buffer.alloc(32, 7)
/** schedules/tip-response.yaml as the bot reads it at start. */
export const shippedResponseTimes = loadTipResponseTimes()
/** Monday 15/06/2026 09:00 in Vietnam: inside working hours. */
export const mondayMorning = new Date('2026-06-15T02:00:00Z')

let eventCounter = 0

export class TipsHarness {
  readonly redis = connectTestRedis()
  readonly keys = new Keys(uniquePrefix())
  readonly directory = new Directory(this.redis, this.keys)
  readonly clock: ManualClock
  readonly outbox: Outgoing[] = []
  router!: Router
  feature!: TipsFeature

  constructor(start: Date = mondayMorning) {
    this.clock = new ManualClock(start)
  }

  private responseTimes: TipResponseTimes = shippedResponseTimes

  /** `responseTimes`: the shipped schedules/tip-response.yaml unless given; kept over restarts. */
  async start(options: { directory?: DirectoryFile; limits?: TipLimitSettings; responseTimes?: TipResponseTimes; triage?: (text: string) => EmergencyMatch | null } = {}): Promise<this> {
    if (options.responseTimes) this.responseTimes = options.responseTimes
    await this.directory.importFile(options.directory ?? example)
    this.router = new Router()
    this.feature = registerTipsFeature(this.router, {
      redis: this.redis,
      keys: this.keys,
      clock: this.clock,
      logger: pino({ level: 'silent' }),
      directory: this.directory,
      outbox: {
        send: async (to, message, request) => this.record(to.chatId, message, 'send', request),
        edit: async (to, messageId, message, request) => this.record(to.chatId, message, 'edit', request, messageId),
      },
      tips: { encryptionKey: key, retentionDays: 90 },
      emergencyRules: loadEmergencyRules(),
      triage: options.triage,
      limits: options.limits,
      responseTimes: this.responseTimes,
      // As src/features.ts wires it: Zalo's window keeps a refused message for the student's next one.
      waitsForUser: isParkedUntilUserWrites,
    })
    return this
  }

  /** Same Redis data, a fresh router and feature: a restarted process. */
  async restart(): Promise<void> {
    await this.feature.stop()
    await this.start({ directory: undefined })
  }

  async stop(): Promise<void> {
    await this.feature.stop()
    await deleteKeys(this.redis, this.keys.prefix)
    await this.redis.quit()
  }

  private record(chatId: string, message: OutgoingMessage, kind: Outgoing['kind'], request?: SendRequest, messageId?: string): void {
    this.outbox.push({
      ...(messageId ? { messageId } : {}),
      chatId,
      text: message.text,
      plain: toPlainText(message.text),
      buttons: (message.buttons ?? []).flat().map((b) => ({ label: b.label, data: b.kind === 'action' ? b.data : undefined, payload: b.kind === 'deeplink' ? b.payload : undefined })),
      photoFileId: message.photo?.source.kind === 'platform' ? message.photo.source.fileId : undefined,
      purpose: request?.purpose ?? 'reply',
      key: request?.key,
      tag: request?.tag,
      kind,
    })
  }

  private context(event: IncomingEvent): HandlerContext {
    const chat: ChatRef = { platform: event.chat.platform, chatId: event.chat.chatId }
    return {
      event,
      now: this.clock.now(),
      reply: async (message) => this.record(chat.chatId, message, 'reply'),
      edit: async () => undefined,
      send: async (to, message, request) => this.record(to.chatId, message, 'send', request),
      toast: (text) => this.record(chat.chatId, { text }, 'toast'),
      isSenderChatAdmin: async () => false,
    }
  }

  /** What the bot said in answer to this one event. */
  async text(userId: string | number, text: string, options: { photos?: string[]; username?: string; name?: string; eventId?: string } = {}): Promise<Outgoing[]> {
    const event: MessageEvent = {
      type: 'message',
      eventId: options.eventId ?? `e${++eventCounter}`,
      chat: { platform: 'telegram', chatId: String(userId), kind: 'private' },
      from: { platform: 'telegram', userId: String(userId), displayName: options.name ?? 'Nguyễn Văn Bình', username: options.username ?? 'binh_2010' },
      messageId: String(eventCounter),
      text,
      photos: (options.photos ?? []).map((fileId) => ({ platform: 'telegram', fileId })),
      command: parseCommand(text),
    }
    return this.route(event)
  }

  async groupText(groupId: string, userId: string | number, text: string): Promise<Outgoing[]> {
    const event: MessageEvent = {
      type: 'message',
      eventId: `e${++eventCounter}`,
      chat: { platform: 'telegram', chatId: groupId, kind: 'group' },
      from: { platform: 'telegram', userId: String(userId) },
      messageId: String(eventCounter),
      text,
      photos: [],
      command: parseCommand(text),
    }
    return this.route(event)
  }

  async press(userId: string | number, data: string): Promise<Outgoing[]> {
    const event: ButtonEvent = { type: 'button', eventId: `e${++eventCounter}`, chat: { platform: 'telegram', chatId: String(userId), kind: 'private' }, from: { platform: 'telegram', userId: String(userId) }, data, messageId: '1' }
    return this.route(event)
  }

  /** Presses the button labelled (partly) `label` on the last message to this user that had one. */
  async pressLabel(userId: string | number, label: string): Promise<Outgoing[]> {
    const withButton = this.outbox.filter((m) => m.chatId === String(userId) && m.buttons.some((b) => b.label.includes(label))).at(-1)
    const button = withButton?.buttons.find((b) => b.label.includes(label))
    if (!button?.data) throw new Error(`no button "${label}" for ${userId}; sent:\n${this.describe(userId)}`)
    return this.press(userId, button.data)
  }

  private async route(event: IncomingEvent): Promise<Outgoing[]> {
    const before = this.outbox.length
    const handled = await this.router.route(this.context(event))
    const said = this.outbox.slice(before)
    return handled ? said : [...said, { chatId: event.chat.chatId, text: '(unhandled)', plain: '(unhandled)', buttons: [], purpose: 'none', kind: 'reply' }]
  }

  to(chatId: string | number): Outgoing[] {
    return this.outbox.filter((m) => m.chatId === String(chatId))
  }

  describe(chatId?: string | number): string {
    return this.outbox
      .filter((m) => chatId === undefined || m.chatId === String(chatId))
      .map((m) => `${m.kind} → ${m.chatId}: ${m.plain.slice(0, 100).replace(/\n/g, ' ⏎ ')} [${m.buttons.map((b) => b.label).join(' | ')}]`)
      .join('\n')
  }

  /** Files a complete tip the short way and returns its id. */
  async fileTip(userId: string | number, options: { school?: string; category?: string; text?: string; whenWhere?: string; contact?: string; photos?: string[] } = {}): Promise<string> {
    // A minute per tip keeps the scripted typing under the 20-messages-a-minute flood limit.
    this.clock.advance(60_000)
    await this.text(userId, '/baotin')
    await this.text(userId, options.school ?? 'Ngô Quyền')
    await this.text(userId, options.category ?? '1')
    await this.text(userId, options.text ?? 'Có người lạ bán thuốc lá điện tử ở cổng sau.', { photos: options.photos })
    await (options.whenWhere ? this.text(userId, options.whenWhere) : this.text(userId, 'bỏ qua'))
    if (options.contact) {
      await this.text(userId, '2')
      await this.text(userId, options.contact)
    } else {
      await this.text(userId, '1')
    }
    const receipt = await this.text(userId, 'gửi')
    const code = /Mã tin báo: ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(receipt.map((m) => m.plain).join('\n'))?.[1]
    if (!code) throw new Error(`no receipt; sent:\n${this.describe(userId)}`)
    return code.replace('-', '')
  }
}
