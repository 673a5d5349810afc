import type { Redis } from 'ioredis'
import type { Config } from '../../config.js'
import { systemClock } from '../../core/clock.js'
import { parseChatKey } from '../../core/platform.js'
import { formatDateTime } from '../../core/vn-time.js'
import { DeliveryLedger } from '../../delivery/delivery-ledger.js'
import { Directory } from '../../directory/directory.js'
import { createLogger } from '../../logger.js'
import type { Keys } from '../../store/redis.js'
import { IdentityCipher } from '../../tips/identity-cipher.js'
import { ZaloApi, zaloPaths } from './zalo-api.js'
import { zaloOAuthCallbackPath, ZaloAuthorization } from './zalo-authorization.js'
import { zaloChatKind } from './zalo-chat-ids.js'
import { ZaloOAuthClient, ZaloOAuthError } from './zalo-oauth.js'
import { ZaloTokenStore } from './zalo-token-store.js'
import { zaloWebhookPath } from './zalo-webhook.js'

export interface ZaloAdminContext {
  config: Config
  redis: Redis
  keys: Keys
  print(line: string): void
}

export const zaloAdminUsage = `  zalo authorize [--redirect-uri <url>]   print the Zalo OA permission URL (OAuth v4 + PKCE) for an OA admin to open
  zalo authorize --code <code>            finish it with the code Zalo gave back (when the callback did not)
  zalo status                             Zalo tokens, webhook address, messages waiting for users`

/** `npm run admin -- zalo …`: authorize the OA (OAuth v4 with PKCE) and see the state of its tokens. */
export async function zaloAdminCommand(args: string[], ctx: ZaloAdminContext): Promise<number> {
  const zalo = ctx.config.zalo
  if (!zalo) {
    ctx.print('Zalo is not configured: set ZALO_APP_ID, ZALO_APP_SECRET and ZALO_OA_SECRET_KEY (see .env.example and docs/zalo.md).')
    return 1
  }
  const oauth = new ZaloOAuthClient({ baseUrl: zalo.oauthBase, appId: zalo.appId, appSecret: zalo.appSecret })
  const key = ctx.config.tips.encryptionKey
  const tokens = new ZaloTokenStore({ redis: ctx.redis, keys: ctx.keys, oauth, clock: systemClock, logger: createLogger('silent'), cipher: key ? new IdentityCipher(key) : undefined })
  const authorization = new ZaloAuthorization({ redis: ctx.redis, keys: ctx.keys, oauth, tokens })
  const [sub, ...rest] = args
  const flag = (name: string) => {
    const at = rest.indexOf(name)
    return at >= 0 ? rest[at + 1] : undefined
  }

  if (sub === 'authorize') {
    const code = flag('--code')
    if (code) {
      try {
        await authorization.complete(code)
      } catch (error) {
        const reason = error instanceof ZaloOAuthError ? `Zalo refused the code (${error.code} ${error.errorName}); codes work once, for 10 minutes` : (error as Error).message
        ctx.print(`Not authorized: ${reason}.`)
        return 1
      }
      ctx.print('Authorized: the OA access and refresh tokens are stored; the bot picks them up at once.')
      return 0
    }
    const redirectUri = flag('--redirect-uri') ?? (ctx.config.publicUrl ? `${ctx.config.publicUrl}${zaloOAuthCallbackPath}` : undefined)
    if (!redirectUri) {
      ctx.print('zalo authorize needs a callback address registered in the Zalo app: set PUBLIC_URL, or pass --redirect-uri <url>.')
      return 1
    }
    const { url } = await authorization.begin(redirectUri)
    ctx.print('An admin of the Official Account opens this address (logged in to Zalo) and agrees:')
    ctx.print(url)
    ctx.print(`Zalo then sends them to ${redirectUri}; when that is this bot, it finishes by itself.`)
    ctx.print('Otherwise copy the "code" from the address Zalo opened and run, within 10 minutes:')
    ctx.print('  npm run admin -- zalo authorize --code <code>')
    return 0
  }

  if (sub === 'status') {
    const status = await tokens.status()
    ctx.print(`App ${zalo.appId}${zalo.oaId ? `, OA ${zalo.oaId}` : ''}; API ${zalo.apiBase}, OAuth ${zalo.oauthBase}`)
    ctx.print(`Webhook address for developers.zalo.me: ${ctx.config.publicUrl ? `${ctx.config.publicUrl}${zaloWebhookPath}` : `<PUBLIC_URL>${zaloWebhookPath} (PUBLIC_URL is not set)`}`)
    if (status.broken) ctx.print(`Tokens: UNUSABLE (${status.broken}); run: npm run admin -- zalo authorize`)
    else if (!status.authorized) ctx.print('Tokens: none yet; run: npm run admin -- zalo authorize (or set ZALO_REFRESH_TOKEN)')
    else {
      const expires = status.accessExpiresAt && status.accessExpiresAt.getTime() > 0 ? formatDateTime(status.accessExpiresAt) : 'not fetched yet'
      ctx.print(`Tokens: stored (version ${status.version}); access token valid until ${expires}; last refresh ${status.refreshedAt ? formatDateTime(status.refreshedAt) : 'never'}`)
      try {
        const oa = await new ZaloApi({ baseUrl: zalo.apiBase, tokens }).get<{ oa_id?: string; name?: string }>(zaloPaths.oaInfo)
        ctx.print(`Zalo answers: OA "${oa.name ?? '?'}" (${oa.oa_id ?? '?'})`)
      } catch (error) {
        ctx.print(`Zalo check failed: ${(error as Error).message}`)
      }
    }
    const waiting = await ctx.redis.scard(ctx.keys.key('zalo', 'parked-users'))
    ctx.print(`Users with messages waiting until they write again (48-hour/7-day window): ${waiting}`)
    for (const line of await unreachableZaloChats(ctx)) ctx.print(line)
    return 0
  }

  ctx.print(`npm run admin -- zalo <authorize|status>\n${zaloAdminUsage}`)
  return sub ? 1 : 0
}

const unreachableShown = 20

/**
 * The Zalo chats the last delivery could not reach, and Zalo's reason (window codes, a disabled
 * GMF group…), from the delivery ledger. Users appear by pseudonym: the ledger keeps no Zalo id.
 */
async function unreachableZaloChats(ctx: ZaloAdminContext): Promise<string[]> {
  const failures = (await new DeliveryLedger(ctx.redis, ctx.keys).unreachableChats()).filter((failure) => failure.chat.startsWith('zalo:')).sort((a, b) => b.at.localeCompare(a.at))
  if (failures.length === 0) return ['Zalo chats the bot could not reach: none']
  const directory = new Directory(ctx.redis, ctx.keys)
  const lines = [`Zalo chats the bot could not reach (${failures.length}; newest first):`]
  for (const failure of failures.slice(0, unreachableShown)) {
    const chat = parseChatKey(failure.chat)
    const who = zaloChatKind(chat.chatId) === 'group' ? `group ${(await directory.getGroup(chat))?.title ?? chat.chatId}` : `user ${chat.chatId}`
    lines.push(`  ${who}: ${failure.purpose} at ${formatDateTime(new Date(failure.at))}: ${failure.reason}`)
  }
  if (failures.length > unreachableShown) lines.push(`  … and ${failures.length - unreachableShown} more (see the admin pages)`)
  return lines
}
