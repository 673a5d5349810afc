import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { Channel } from '../core/channel.js'
import type { CommandMenu } from '../core/command-menu.js'
import type { Platform } from '../core/platform.js'
import type { Planner } from '../scheduling/planner-ticker.js'
import type { Keys } from '../store/redis.js'
import type { Directory } from './directory.js'
import type { Officer } from './model.js'

export interface CommandMenuSyncDeps {
  redis: Redis
  keys: Keys
  directory: Directory
  channels: Map<Platform, Channel>
  logger: Logger
  /** Every scope's menu for these officers on this platform (the help feature decides what each role sees). */
  menusFor(officers: readonly Officer[], platform: Platform): CommandMenu[]
}

/**
 * Keeps each platform's command menus in line with the directory: published at start-up, and
 * again by the planner tick when the officers changed (an import runs in another process, so
 * the tick compares a digest of the menus with the one last published, kept in Redis). Officers
 * who left lose their chat's menu.
 */
export class CommandMenuSync implements Planner {
  readonly name = 'command-menus'

  constructor(private readonly deps: CommandMenuSyncDeps) {}

  private k(platform: Platform, what: 'digest' | 'chats'): string {
    return this.deps.keys.key('menus', platform, what)
  }

  async plan(): Promise<void> {
    await this.publish({ force: false })
  }

  async publish(options: { force: boolean }): Promise<void> {
    const officers = await this.deps.directory.listOfficers()
    for (const channel of this.deps.channels.values()) {
      if (!channel.setCommandMenu) continue
      const menus = this.deps.menusFor(officers, channel.platform)
      const digest = createHash('sha256').update(JSON.stringify(menus)).digest('hex')
      if (!options.force && (await this.deps.redis.get(this.k(channel.platform, 'digest'))) === digest) continue
      await this.publishOn(channel, menus)
      await this.deps.redis.set(this.k(channel.platform, 'digest'), digest)
    }
  }

  private async publishOn(channel: Channel, menus: CommandMenu[]): Promise<void> {
    const { platform } = channel
    const chats = menus.flatMap((menu) => (menu.scope.kind === 'chat' ? [menu.scope.chatId] : []))
    const before = await this.deps.redis.smembers(this.k(platform, 'chats'))
    let failed = 0
    for (const menu of menus) {
      // An officer who never pressed Start has no chat yet; the others must still get theirs.
      await channel.setCommandMenu!(menu).catch(() => void failed++)
    }
    for (const gone of before.filter((chatId) => !chats.includes(chatId))) {
      await channel.clearCommandMenu?.({ kind: 'chat', chatId: gone }).catch(() => void failed++)
    }
    const tx = this.deps.redis.multi().del(this.k(platform, 'chats'))
    if (chats.length) tx.sadd(this.k(platform, 'chats'), ...chats)
    await tx.exec()
    if (failed) this.deps.logger.warn({ platform, failed }, 'command menus: some could not be set (an officer may not have opened the bot yet); retried at the next start')
    else this.deps.logger.info({ platform, menus: menus.length }, 'command menus published')
  }
}
