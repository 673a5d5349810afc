import type { Router } from '../../src/core/router.js'

export const notUnderstoodMessages = {
  unreadable: 'Mình chưa hiểu tin này: mình chỉ đọc được chữ và ảnh. Gõ /help để xem mình giúp được gì, hoặc /baotin để báo tin (có thể kèm ảnh).',
  unknownCommand: (name: string) => `Mình chưa hiểu lệnh /${name}. Gõ /help để xem các lệnh mình hiểu.`,
}

/**
 * A sticker, a voice message or a file in a private chat: a short word back instead of silence.
 * Registered before every other message handler, so no conversation takes an empty message for
 * an answer. In groups the bot stays quiet.
 */
export function registerUnreadableMessages(router: Router): void {
  router.message(async (ctx) => {
    if (!ctx.event.unreadable) return false
    await ctx.reply({ text: notUnderstoodMessages.unreadable })
    return true
  }, 'private')
}

/** A command no feature knows, in a private chat; registered last. Commands for other bots never get here. */
export function registerUnknownCommands(router: Router): void {
  router.message(async (ctx) => {
    const command = ctx.event.command
    if (!command) return false
    await ctx.reply({ text: notUnderstoodMessages.unknownCommand(command.name.replace(/[^a-z0-9_]/g, '')) })
    return true
  }, 'private')
}
