import type { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { Config } from '../../config.js'
import type { Clock } from '../../core/clock.js'
import type { DeliveryHooks } from '../../delivery/delivery-worker.js'
import type { DeliveryLedger } from '../../delivery/delivery-ledger.js'
import type { Outbox } from '../../delivery/outbox.js'
import type { Directory } from '../../directory/directory.js'
import type { Dispatcher } from '../../dispatch/dispatcher.js'
import type { Route } from '../../server/http-server.js'
import type { Keys } from '../../store/redis.js'
import { IdentityCipher } from '../../tips/identity-cipher.js'
import { zaloMessages } from './messages.js'
import { ZaloApi } from './zalo-api.js'
import { zaloOAuthCallbackPath, ZaloAuthorization } from './zalo-authorization.js'
import { ZaloChannel } from './zalo-channel.js'
import { zaloPrivacy } from './zalo-chat-ids.js'
import { ChoiceStore } from './zalo-choices.js'
import { ZaloOAuthClient } from './zalo-oauth.js'
import { alertReauthorizationNeeded } from './zalo-reauthorization.js'
import { ZaloReceiver } from './zalo-receiver.js'
import { ZaloTokenStore } from './zalo-token-store.js'
import { zaloWebhookPath } from './zalo-webhook.js'
import { ZaloInteractions, ZaloParkedMessages } from './zalo-window.js'

export type ZaloConfig = NonNullable<Config['zalo']>

export interface ZaloPlatformDeps {
  config: ZaloConfig
  /** TIP_ENCRYPTION_KEY: seals the tokens at rest. */
  encryptionKey?: Buffer
  redis: Redis
  workerConnection: Redis
  keys: Keys
  clock: Clock
  logger: Logger
  directory: Directory
  outbox: Outbox
  ledger: DeliveryLedger
  dispatcher: Dispatcher
  /** How often a working process checks whether the access token is due for refresh. */
  refreshCheckMs?: number
}

/** Everything Zalo, built once by the composition root. */
export interface ZaloPlatform {
  readonly channel: ZaloChannel
  readonly receiver: ZaloReceiver
  readonly tokens: ZaloTokenStore
  readonly authorization: ZaloAuthorization
  readonly interactions: ZaloInteractions
  readonly parked: ZaloParkedMessages
  readonly choices: ChoiceStore
  /** POST /webhooks/zalo and GET /zalo/oauth/callback. */
  readonly routes: Route[]
  /** The features' hooks with Zalo's window parking run first (see isParkedUntilUserWrites). */
  withParking(hooks: DeliveryHooks): DeliveryHooks
  start(parts: { receive: boolean; work: boolean }): void
  stop(): Promise<void>
}

export async function createZaloPlatform(deps: ZaloPlatformDeps): Promise<ZaloPlatform> {
  const { config, redis, keys, clock, logger } = deps
  const cipher = deps.encryptionKey ? new IdentityCipher(deps.encryptionKey) : undefined
  const privacy = zaloPrivacy(cipher)
  const oauth = new ZaloOAuthClient({ baseUrl: config.oauthBase, appId: config.appId, appSecret: config.appSecret })
  const tokens = new ZaloTokenStore({
    redis,
    keys,
    oauth,
    clock,
    logger,
    cipher,
    onReauthorizationNeeded: async (reason) => {
      await alertReauthorizationNeeded({ redis, keys, directory: deps.directory, outbox: deps.outbox, clock, logger }, reason)
    },
  })
  if (config.refreshToken) await tokens.seedRefreshToken(config.refreshToken)
  const api = new ZaloApi({ baseUrl: config.apiBase, tokens })
  const choices = new ChoiceStore(redis, keys, privacy)
  const interactions = new ZaloInteractions(redis, keys, privacy)
  const parked = new ZaloParkedMessages({ redis, keys, outbox: deps.outbox, ledger: deps.ledger, logger, now: () => clock.now(), privacy })
  const channel = new ZaloChannel({ api, redis, keys, clock, choices, interactions, messagesPerSecond: config.messagesPerSecond, privacy })
  const receiver = new ZaloReceiver({
    appId: config.appId,
    oaSecretKey: config.oaSecretKey,
    oaId: config.oaId,
    redis,
    workerConnection: deps.workerConnection,
    keys,
    clock,
    logger,
    dispatcher: deps.dispatcher,
    outbox: deps.outbox,
    choices,
    interactions,
    parked,
    privacy,
  })
  const authorization = new ZaloAuthorization({ redis, keys, oauth, tokens })
  const routes: Route[] = [
    { method: 'POST', path: zaloWebhookPath, handle: (request) => receiver.handleWebhook(request.headers, request.body) },
    {
      method: 'GET',
      path: zaloOAuthCallbackPath,
      handle: async (request) => {
        const code = request.query.get('code')
        const state = request.query.get('state')
        if (!code || !state) return { status: 400, body: zaloMessages.oauthUnknownState }
        try {
          await authorization.complete(code, state)
          logger.info('zalo: authorized through the OAuth callback')
          return { status: 200, body: zaloMessages.oauthDone }
        } catch (error) {
          return { status: 400, body: zaloMessages.oauthFailed((error as Error).message) }
        }
      },
    },
  ]

  let timer: NodeJS.Timeout | undefined
  const refreshWhenDue = () =>
    tokens.refreshIfDue().catch((error: Error) => logger.warn({ err: error.message }, 'zalo: proactive token refresh failed; sends will retry it'))

  return {
    channel,
    receiver,
    tokens,
    authorization,
    interactions,
    parked,
    choices,
    routes,
    withParking(hooks) {
      return {
        ...hooks,
        onUndeliverable: async (job, error) => {
          await parked.parkUndeliverable(job, error)
          await hooks.onUndeliverable?.(job, error)
        },
      }
    },
    start(parts) {
      if (parts.receive) receiver.start()
      if (parts.work && !timer) {
        // Keeps the 25-hour access token fresh (and the refresh token rotating) even when nothing is sent.
        timer = setInterval(() => void refreshWhenDue(), deps.refreshCheckMs ?? 10 * 60_000)
        timer.unref()
        void refreshWhenDue()
      }
    },
    async stop() {
      clearInterval(timer)
      timer = undefined
      await receiver.stop()
    },
  }
}
