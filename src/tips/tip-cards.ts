import type { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { OutgoingMessage } from '../core/message.js'
import type { ChatRef, Platform } from '../core/platform.js'
import type { SendOptions } from '../delivery/outbox.js'
import type { Directory } from '../directory/directory.js'
import { officerChats } from '../directory/model.js'
import type { Keys } from '../store/redis.js'
import { officerTipMessage } from './tip-notifier.js'
import { isOpen, type Tip } from './tip.js'

/** outbox.edit: a card lives in another officer's chat, so the handler's own ctx.edit cannot reach it. */
export type CardEditor = (to: ChatRef, messageId: string, message: OutgoingMessage, options: SendOptions) => Promise<void>

/** Edits of a card: a failed one says nothing about whether the officer can be reached. */
export const tipCardEditTagKind = 'tip-card-edit'

interface Card {
  officerId: string
  platform: Platform
  messageId: string
}

/**
 * The officers' copies of a tip ("cards"), by message id, so each can be brought up to date after
 * every change: who took it up, its status, only the buttons that still apply. Kept while the
 * tip is open; the last edit, when it closes, forgets them.
 *
 *   tips:cards:<id>   hash   "<officer id>:<platform>" → message id, and "#v" the edit counter
 */
export class TipCards {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly directory: Directory,
    private readonly edit: CardEditor,
    private readonly logger: Logger,
  ) {}

  private key(tipId: string): string {
    return this.keys.key('tips', 'cards', tipId)
  }

  async record(tipId: string, officerId: string, platform: Platform, messageId: string): Promise<void> {
    await this.redis.hset(this.key(tipId), `${officerId}:${platform}`, messageId)
  }

  async list(tipId: string): Promise<Card[]> {
    const raw = await this.redis.hgetall(this.key(tipId))
    return Object.entries(raw)
      .filter(([field]) => field !== '#v')
      .map(([field, messageId]) => {
        const split = field.lastIndexOf(':')
        return { officerId: field.slice(0, split), platform: field.slice(split + 1) as Platform, messageId }
      })
  }

  /** Every card edited to the tip as it is now; a finished tip's cards lose their buttons and are forgotten. */
  async refresh(tip: Tip): Promise<number> {
    const cards = await this.list(tip.id)
    if (cards.length === 0) {
      if (!isOpen(tip)) await this.forget(tip.id)
      return 0
    }
    const version = await this.redis.hincrby(this.key(tip.id), '#v', 1)
    let edited = 0
    for (const card of cards) {
      const officer = await this.directory.getOfficer(card.officerId)
      const chat = officer ? officerChats(officer).find((c) => c.platform === card.platform) : undefined
      if (!officer || !chat) continue
      const message = await officerTipMessage(this.directory, tip, chat, undefined, officer)
      await this.edit(chat, card.messageId, message, {
        key: `tip:${tip.id}:card:${card.officerId}:${card.platform}:v${version}`,
        purpose: 'tip-status',
        tag: { kind: tipCardEditTagKind, ref: tip.id },
      })
      edited++
    }
    if (!isOpen(tip)) await this.forget(tip.id)
    this.logger.debug({ tipId: tip.id, edited }, 'tip cards brought up to date')
    return edited
  }

  async forget(tipId: string): Promise<void> {
    await this.redis.del(this.key(tipId))
  }
}
