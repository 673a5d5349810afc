import type { ChatRef, Platform } from '../../src/core/platform.js'
import type { Router } from '../../src/core/router.js'
import type { Directory } from '../../src/directory/directory.js'
import type { RegistrationAttempts } from '../../src/directory/registration-attempts.js'
import { schoolLevelLabels, type Group } from '../../src/directory/model.js'
import { registrationMessages as say } from './messages.js'

export interface GroupRegistrationDeps {
  directory: Directory
  attempts: RegistrationAttempts
  /** The other bots a chat can be reached through (one per province, TELEGRAM_BOTS): the same Telegram chat id under another platform. */
  otherBotsOf?(platform: Platform): Platform[]
}

/** The bot's life in a group: greeted on arrival, bound to a school by /dangky, deactivated on removal. */
export function registerGroupRegistration(router: Router, { directory, attempts, otherBotsOf = () => [] }: GroupRegistrationDeps): void {
  router.on('bot_added', async (ctx) => {
    await directory.noteGroupJoined(ctx.event.chat, ctx.event.chat.title)
    await ctx.reply({ text: say.welcome })
  })

  router.on('bot_removed', async (ctx) => {
    await directory.deactivateGroup(ctx.event.chat, 'bot removed from the group')
  })

  router.on('chat_migrated', async (ctx) => {
    await directory.migrateGroup(ctx.event.chat, ctx.event.newChatId)
  })

  router.command(['dangky', 'đăngký', 'dang_ky'], async (ctx) => {
    if (ctx.event.chat.kind !== 'group') return ctx.reply({ text: say.onlyInGroups })
    const code = ctx.event.command?.args.split(/\s+/)[0] ?? ''
    if (!code) return ctx.reply({ text: say.usage })
    if (!(await ctx.isSenderChatAdmin())) return ctx.reply({ text: say.onlyAdmins })
    const sender = ctx.event.from.userId
    if (!(await attempts.allowed(ctx.event.chat, sender))) return ctx.reply({ text: say.tooManyAttempts })
    // Registered through two bots, a group would get every post and reminder twice. Asked
    // before the code is redeemed, so the code stays good for after the other bot has left.
    const elsewhere = await registeredThroughAnotherBot(directory, ctx.event.chat, otherBotsOf(ctx.event.chat.platform))
    if (elsewhere) return ctx.reply({ text: say.registeredThroughAnotherBot((await directory.getSchool(elsewhere.schoolCode!))?.name ?? elsewhere.schoolCode!) })
    const schoolCode = await directory.redeemRegistrationCode(code.slice(0, 40))
    if (!schoolCode) {
      await attempts.recordFailure(ctx.event.chat, sender)
      return ctx.reply({ text: say.badCode })
    }
    const school = await directory.getSchool(schoolCode)
    if (!school) return ctx.reply({ text: say.unknownSchool })
    await directory.registerGroup(ctx.event.chat, school.code, ctx.now, ctx.event.chat.title)
    await ctx.reply({ text: say.registered(school.name, schoolLevelLabels[school.level], school.ward) })
  })
}

async function registeredThroughAnotherBot(directory: Directory, chat: ChatRef, otherBots: readonly Platform[]): Promise<Group | undefined> {
  for (const platform of otherBots) {
    const group = await directory.getGroup({ platform, chatId: chat.chatId })
    if (group?.active && group.schoolCode) return group
  }
  return undefined
}
