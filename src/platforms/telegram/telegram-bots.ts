import type { Config } from '../../config.js'
import { telegramPlatform, type TelegramPlatform } from '../../core/platform.js'

export interface TelegramBotSetting {
  platform: TelegramPlatform
  token: string
}

/**
 * Every Telegram bot of the deployment, the default one (TELEGRAM_BOT_TOKEN, platform 'telegram',
 * the keys and queue names of a one-bot deployment) first, then a province's each (TELEGRAM_BOTS).
 */
export function telegramBotsOf(telegram: NonNullable<Config['telegram']> | undefined): TelegramBotSetting[] {
  if (!telegram) return []
  return [{ platform: telegramPlatform(), token: telegram.token }, ...telegram.provinceBots.map((bot) => ({ platform: telegramPlatform(bot.code), token: bot.token }))]
}
