import type { Redis } from 'ioredis'
import type { Config } from '../../config.js'
import { systemClock } from '../../core/clock.js'
import { parseChatKey } from '../../core/platform.js'
import { formatDateTime } from '../../core/vn-time.js'
import { DeliveryLedger } from '../../delivery/delivery-ledger.js'
import { purposeLabels } from '../../delivery/purpose-labels.js'
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

export const zaloAdminUsage = `  zalo authorize [--redirect-uri <url>]   in địa chỉ cấp quyền Zalo OA (OAuth v4 + PKCE) để quản trị viên OA mở
  zalo authorize --code <mã>              hoàn tất bằng mã Zalo trả về (khi địa chỉ gọi lại không tự làm)
  zalo status                             token Zalo, địa chỉ webhook, tin đang chờ người dùng nhắn lại`

/** `npm run admin -- zalo …`: authorize the OA (OAuth v4 with PKCE) and see the state of its tokens. */
export async function zaloAdminCommand(args: string[], ctx: ZaloAdminContext): Promise<number> {
  const zalo = ctx.config.zalo
  if (!zalo) {
    ctx.print('Chưa cấu hình Zalo: đặt ZALO_APP_ID, ZALO_APP_SECRET và ZALO_OA_SECRET_KEY (xem .env.example và docs/zalo.md).')
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
        const reason = error instanceof ZaloOAuthError ? `Zalo từ chối mã (${error.code} ${error.errorName}); mỗi mã chỉ dùng được một lần, trong 10 phút` : (error as Error).message
        ctx.print(`Chưa cấp quyền: ${reason}.`)
        return 1
      }
      ctx.print('Đã cấp quyền: đã lưu access token và refresh token của OA; bot dùng ngay.')
      return 0
    }
    const redirectUri = flag('--redirect-uri') ?? (ctx.config.publicUrl ? `${ctx.config.publicUrl}${zaloOAuthCallbackPath}` : undefined)
    if (!redirectUri) {
      ctx.print('zalo authorize cần một địa chỉ gọi lại đã khai báo trong ứng dụng Zalo: đặt PUBLIC_URL, hoặc thêm --redirect-uri <url>.')
      return 1
    }
    const { url } = await authorization.begin(redirectUri)
    ctx.print('Một quản trị viên của Official Account mở địa chỉ này (đã đăng nhập Zalo) và bấm đồng ý:')
    ctx.print(url)
    ctx.print(`Zalo sẽ chuyển họ tới ${redirectUri}; nếu đó là bot này thì việc cấp quyền tự hoàn tất.`)
    ctx.print('Nếu không, chép giá trị "code" trong địa chỉ Zalo mở ra và chạy, trong vòng 10 phút:')
    ctx.print('  npm run admin -- zalo authorize --code <mã>')
    return 0
  }

  if (sub === 'status') {
    const status = await tokens.status()
    ctx.print(`Ứng dụng ${zalo.appId}${zalo.oaId ? `, OA ${zalo.oaId}` : ''}; API ${zalo.apiBase}, OAuth ${zalo.oauthBase}`)
    ctx.print(`Địa chỉ webhook khai báo ở developers.zalo.me: ${ctx.config.publicUrl ? `${ctx.config.publicUrl}${zaloWebhookPath}` : `<PUBLIC_URL>${zaloWebhookPath} (chưa đặt PUBLIC_URL)`}`)
    if (status.broken) ctx.print(`Token: KHÔNG DÙNG ĐƯỢC (${status.broken}); chạy: npm run admin -- zalo authorize`)
    else if (!status.authorized) ctx.print('Token: chưa có; chạy: npm run admin -- zalo authorize (hoặc đặt ZALO_REFRESH_TOKEN)')
    else {
      const expires = status.accessExpiresAt && status.accessExpiresAt.getTime() > 0 ? formatDateTime(status.accessExpiresAt) : 'chưa lấy'
      ctx.print(`Token: đã lưu (phiên bản ${status.version}); access token dùng được tới ${expires}; làm mới lần cuối ${status.refreshedAt ? formatDateTime(status.refreshedAt) : 'chưa lần nào'}`)
      try {
        const oa = await new ZaloApi({ baseUrl: zalo.apiBase, tokens }).get<{ oa_id?: string; name?: string }>(zaloPaths.oaInfo)
        ctx.print(`Zalo trả lời: OA "${oa.name ?? '?'}" (${oa.oa_id ?? '?'})`)
      } catch (error) {
        ctx.print(`Không kiểm tra được với Zalo: ${(error as Error).message}`)
      }
    }
    const waiting = await ctx.redis.scard(ctx.keys.key('zalo', 'parked-users'))
    ctx.print(`Số người dùng có tin đang chờ tới khi họ nhắn lại (khung 48 giờ/7 ngày của Zalo): ${waiting}`)
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
  if (failures.length === 0) return ['Trò chuyện Zalo bot không gửi tới được: không có']
  const directory = new Directory(ctx.redis, ctx.keys)
  const lines = [`Trò chuyện Zalo bot không gửi tới được (${failures.length}; mới nhất trước):`]
  for (const failure of failures.slice(0, unreachableShown)) {
    const chat = parseChatKey(failure.chat)
    const who = zaloChatKind(chat.chatId) === 'group' ? `nhóm ${(await directory.getGroup(chat))?.title ?? chat.chatId}` : `người dùng ${chat.chatId}`
    lines.push(`  ${who}: ${purposeLabels[failure.purpose] ?? failure.purpose} lúc ${formatDateTime(new Date(failure.at))}; lý do: ${failure.reason}`)
  }
  if (failures.length > unreachableShown) lines.push(`  … và ${failures.length - unreachableShown} trò chuyện khác (xem bảng điều khiển /admin)`)
  return lines
}
