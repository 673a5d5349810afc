import type { Channel } from '../core/channel.js'
import { systemClock, type Clock } from '../core/clock.js'
import { ChatUnavailableError } from '../core/errors.js'
import { isTelegram, type ChatRef, type Platform } from '../core/platform.js'
import { formatDateTime } from '../core/vn-time.js'
import { officerChats, officerRoleLabels, type Officer } from '../directory/model.js'
import { OfficerReachability } from '../directory/officer-reachability.js'
import { telegramBotsOf } from '../platforms/telegram/telegram-bots.js'
import { TelegramChannel } from '../platforms/telegram/telegram-channel.js'
import type { CliContext, CliCommand } from '../cli-command.js'

export const officersUsage = `officers [--check]           các cán bộ và bot có nhắn tới được họ không; --check hỏi Telegram về từng người ngay bây giờ`

/** Probes run one after another, well under Telegram's 30 requests a second. */
const probeSpacingMs = 50

/**
 * `officers`: every officer, and who the bot cannot reach (blocked it, never pressed Start). With
 * --check each Telegram chat is probed now, through the bot it belongs to (the default bot for
 * `telegram:`, the Hanoi bot for `telegram-hn:`), the marks updated, and those who have never
 * started that bot listed: a tip sent to them would wait unread.
 */
export function createOfficerAdminCommands(options: { clock?: Clock; channelsFor?: (ctx: CliContext) => Channel[] } = {}): Record<string, CliCommand> {
  const clock = options.clock ?? systemClock
  const channelsFor = options.channelsFor ?? telegramChannelsOf
  return {
    officers: async (args, ctx) => {
      const check = args.includes('--check')
      if (args.some((arg) => arg !== '--check')) {
        ctx.print(`Cách dùng: npm run admin -- ${officersUsage}`)
        return 1
      }
      const reachability = new OfficerReachability(ctx.redis, ctx.keys)
      const officers = await ctx.directory.listOfficers()
      const channels = check ? channelsFor(ctx).filter((channel) => channel.probe) : []
      if (check && channels.length === 0) {
        ctx.print('Chưa cấu hình bot Telegram (TELEGRAM_BOT_TOKEN) nên không có gì để kiểm tra.')
        return 1
      }
      for (const channel of channels) await probeAll(officers, channel, reachability, clock)
      return report(officers, reachability, ctx, check ? channels.map((channel) => channel.platform) : undefined)
    },
  }
}

export const officerAdminCommands = createOfficerAdminCommands()

function telegramChannelsOf(ctx: CliContext): Channel[] {
  return telegramBotsOf(ctx.config.telegram).map((bot) => new TelegramChannel({ platform: bot.platform, token: bot.token, apiRoot: bot.apiRoot, botUsername: '', messagesPerSecond: bot.messagesPerSecond }))
}

async function probeAll(officers: Officer[], channel: Channel, reachability: OfficerReachability, clock: Clock): Promise<void> {
  for (const officer of officers) {
    const chat = officerChats(officer).find((c) => c.platform === channel.platform)
    if (!chat) continue
    try {
      await channel.probe!(chat.chatId)
      await reachability.markReachable(officer.id, chat.platform)
    } catch (error) {
      // Only a refusal marks the officer; a network error says nothing about them.
      if (error instanceof ChatUnavailableError) await reachability.markUnreachable(officer.id, chat.platform, error.reason, clock.now())
    }
    await new Promise((done) => setTimeout(done, probeSpacingMs))
  }
}

/** `checked`: the platforms just probed; others show "được" only as far as the bot knows from failed sends. */
async function report(officers: Officer[], reachability: OfficerReachability, ctx: CliContext, checked: Platform[] | undefined): Promise<number> {
  const marks = await reachability.list()
  // A chat under a Telegram bot this deployment does not run (a typo, a province left out of TELEGRAM_BOTS) gets nothing.
  const bots = telegramBotsOf(ctx.config.telegram).map((bot) => bot.platform as Platform)
  const withoutBot = (chat: ChatRef) => isTelegram(chat.platform) && !bots.includes(chat.platform)
  for (const officer of officers) {
    const platforms = officerChats(officer).map((chat) => {
      const mark = marks.find((m) => m.officerId === officer.id && m.platform === chat.platform)
      if (withoutBot(chat)) return `${chat.platform}: KHÔNG CÓ BOT NÀY (TELEGRAM_BOT_TOKEN, TELEGRAM_BOTS)`
      return `${chat.platform}: ${mark ? 'KHÔNG NHẮN TỚI ĐƯỢC' : checked && !checked.includes(chat.platform) ? 'chưa thấy lỗi (không hỏi lại)' : 'được'}`
    })
    ctx.print(`${officer.id}\t${officer.name}\t${officerRoleLabels[officer.role]}\t${platforms.join(', ') || 'chưa có trò chuyện'}`)
  }
  const unreachable = marks.filter((mark) => officers.some((o) => o.id === mark.officerId))
  const withoutChat = officers.filter((o) => officerChats(o).length === 0)
  const botless = officers.flatMap((officer) => officerChats(officer).filter(withoutBot).map((chat) => ({ officer, chat })))
  if (unreachable.length === 0 && withoutChat.length === 0 && botless.length === 0) {
    ctx.print(checked ? 'Bot nhắn tới được mọi cán bộ.' : 'Không cán bộ nào bị ghi là không nhắn tới được (thêm --check để hỏi Telegram ngay).')
    return 0
  }
  if (unreachable.length > 0) {
    ctx.print('')
    ctx.print('Không nhắn tới được (chưa bấm Start trong trò chuyện riêng với bot, hoặc đã chặn bot); tin báo bỏ qua họ cho tới khi họ nhắn cho bot:')
    for (const mark of unreachable) {
      const officer = officers.find((o) => o.id === mark.officerId)!
      ctx.print(`  ${officer.id} ${officer.name} (${mark.platform}) từ ${formatDateTime(new Date(mark.at))}; nền tảng trả lời: ${mark.reason}`)
    }
  }
  for (const officer of withoutChat) ctx.print(`  ${officer.id} ${officer.name}: danh bạ chưa có trò chuyện nào của người này`)
  for (const { officer, chat } of botless) ctx.print(`  ${officer.id} ${officer.name}: danh bạ ghi ${chat.platform} nhưng không có bot Telegram nào như vậy; tin gửi qua đó sẽ không đi`)
  return 2
}
