import type { Config } from '../../config.js'
import { telegramPlatform, type TelegramPlatform } from '../../core/platform.js'

type TelegramConfig = NonNullable<Config['telegram']>

/** One bot's settings: its platform and token, and what every bot shares (API root, paces, webhook secret). */
export type TelegramBotSetting = Omit<TelegramConfig, 'token' | 'provinceBots'> & { platform: TelegramPlatform; token: string }

/**
 * Every Telegram bot of the deployment, the default one (TELEGRAM_BOT_TOKEN, platform 'telegram',
 * the keys and queue names of a one-bot deployment) first, then a province's each (TELEGRAM_BOTS).
 */
export function telegramBotsOf(telegram: TelegramConfig | undefined): TelegramBotSetting[] {
  if (!telegram) return []
  const { token, provinceBots, ...shared } = telegram
  return [{ ...shared, platform: telegramPlatform(), token }, ...provinceBots.map((bot) => ({ ...shared, platform: telegramPlatform(bot.code), token: bot.token }))]
}
