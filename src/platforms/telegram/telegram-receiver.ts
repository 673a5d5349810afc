import { timingSafeEqual } from 'node:crypto'
import { Bot } from 'grammy'
import type { Update, UserFromGetMe } from 'grammy/types'
import type { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { TelegramPlatform } from '../../core/platform.js'
import type { Dispatcher } from '../../dispatch/dispatcher.js'
import { defaultLeaseMs, LeaderLease } from '../../store/leader-lease.js'
import type { ProcessOwner } from '../../store/process-owner.js'
import type { Keys } from '../../store/redis.js'
import { toCoreEvent } from './telegram-events.js'

export const telegramAllowedUpdates = ['message', 'callback_query', 'my_chat_member'] as const
export const telegramWebhookPath = '/webhooks/telegram'

/** The default bot keeps /webhooks/telegram; a province bot telegram-<code> has /webhooks/telegram/<code>. */
export function telegramWebhookPathOf(platform: TelegramPlatform): string {
  return platform === 'telegram' ? telegramWebhookPath : `${telegramWebhookPath}/${platform.slice('telegram-'.length)}`
}

export interface TelegramReceiverDeps {
  /** The bot's platform: its updates become events there, and it polls under a lease of its own. */
  platform?: TelegramPlatform
  token: string
  apiRoot: string
  dispatcher: Dispatcher
  redis: Redis
  keys: Keys
  logger: Logger
  owner?: ProcessOwner
}

/** Updates in: long polling by one elected process, or a webhook any process can answer. */
export class TelegramReceiver {
  readonly bot: Bot
  private lease?: LeaderLease
  private polling?: Promise<void>
  readonly platform: TelegramPlatform

  constructor(private readonly deps: TelegramReceiverDeps) {
    const platform = (this.platform = deps.platform ?? 'telegram')
    this.bot = new Bot(deps.token, { client: { apiRoot: deps.apiRoot, timeoutSeconds: 60 } })
    this.bot.use(async (ctx) => {
      const event = toCoreEvent(ctx.update, ctx.me.id, ctx.me.username, platform)
      if (!event) return
      const result = await deps.dispatcher.handle(event)
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: result.toast }).catch(() => undefined)
    })
    this.bot.catch((error) => deps.logger.error({ platform, err: (error.error as Error)?.message }, 'telegram update failed'))
  }

  async init(): Promise<UserFromGetMe> {
    await this.bot.init()
    return this.bot.botInfo
  }

  /**
   * Polling runs in whichever process holds the lease; the others stand by and take over if it
   * dies (LeaderLease). Each bot has its own lease (lease:telegram-poller, lease:telegram-hn-poller…):
   * getUpdates admits one poller per token, and the bots' pollers may sit in different processes.
   */
  startPolling(): void {
    const { platform } = this
    this.lease = new LeaderLease(this.deps.redis, this.deps.keys.key('lease', `${platform}-poller`), {
      onAcquired: () => {
        this.deps.logger.info({ platform }, 'this process now polls Telegram for updates')
        this.polling = this.bot
          .start({ allowed_updates: [...telegramAllowedUpdates], drop_pending_updates: false })
          .catch((error: Error) => this.deps.logger.error({ platform, err: error.message }, 'telegram polling stopped'))
      },
      onLost: () => {
        this.deps.logger.warn({ platform }, 'lost the Telegram polling lease; stopping polling')
        void this.bot.stop()
      },
    }, defaultLeaseMs, this.deps.owner)
    this.lease.start()
  }

  async setWebhook(publicUrl: string, secret: string): Promise<void> {
    await this.bot.api.setWebhook(`${publicUrl}${telegramWebhookPathOf(this.platform)}`, { secret_token: secret, allowed_updates: [...telegramAllowedUpdates] })
  }

  /** The webhook body, checked: 401 for a wrong secret, 400 for what is not an update. */
  async handleWebhook(secretHeader: string | undefined, rawBody: Buffer, secret: string): Promise<{ status: number; body: string }> {
    if (!secretHeader || !constantTimeEqual(secretHeader, secret)) return { status: 401, body: 'wrong secret token' }
    let update: Update
    try {
      update = JSON.parse(rawBody.toString('utf8')) as Update
    } catch {
      return { status: 400, body: 'body is not JSON' }
    }
    if (typeof update !== 'object' || update === null || typeof update.update_id !== 'number') {
      return { status: 400, body: 'body is not a Telegram update (no update_id)' }
    }
    await this.bot.handleUpdate(update)
    return { status: 200, body: 'ok' }
  }

  async stop(): Promise<void> {
    await this.lease?.stop()
    if (this.bot.isRunning()) await this.bot.stop()
    await this.polling
  }
}

function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}
