import type { Router } from '../../src/core/router.js'
import type { Directory } from '../../src/directory/directory.js'
import type { RegistrationAttempts } from '../../src/directory/registration-attempts.js'
import { schoolLevelLabels } from '../../src/directory/model.js'
import { registrationMessages as say } from './messages.js'

export interface GroupRegistrationDeps {
  directory: Directory
  attempts: RegistrationAttempts
}

/** The bot's life in a group: greeted on arrival, bound to a school by /dangky, deactivated on removal. */
export function registerGroupRegistration(router: Router, { directory, attempts }: GroupRegistrationDeps): void {
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
