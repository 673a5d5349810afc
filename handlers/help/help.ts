import type { MessageEvent } from '../../src/core/events.js'
import type { HandlerContext } from '../../src/core/handler.js'
import type { Router } from '../../src/core/router.js'
import { isSchoolStaff } from '../../src/deadlines/who-may-answer.js'
import type { Directory } from '../../src/directory/directory.js'
import { coordinatorHelp, groupMemberHelp, groupStaffHelp, officerHelp, privateHelp } from './messages.js'

export interface HelpDeps {
  directory: Directory
}

/** /help answers each role with what that role can do; on Zalo, which has no command menu, it is the menu. */
export function registerHelp(router: Router, deps: HelpDeps): void {
  router.command(['help', 'trogiup', 'huongdan'], (ctx) => showHelp(ctx, deps))
  router.command('start', (ctx) => showHelp(ctx, deps), 'group')
}

/** /start in a private chat when no other feature claimed it. */
export function registerPrivateStartFallback(router: Router, deps: HelpDeps): void {
  router.command('start', (ctx) => showHelp(ctx, deps), 'private')
}

async function showHelp(ctx: HandlerContext<MessageEvent>, deps: HelpDeps): Promise<void> {
  await ctx.reply({ text: ctx.event.chat.kind === 'group' ? await groupHelpFor(ctx, deps) : await privateHelpFor(ctx, deps) })
}

async function privateHelpFor(ctx: HandlerContext<MessageEvent>, deps: HelpDeps): Promise<string> {
  const officer = await deps.directory.officerByChat(ctx.event.chat)
  if (!officer) return privateHelp
  return officer.role === 'coordinator' ? coordinatorHelp : officerHelp
}

/** The group's admins and the school's staff learn the buttons and settings; other members what the group gets. */
async function groupHelpFor(ctx: HandlerContext<MessageEvent>, deps: HelpDeps): Promise<string> {
  const group = await deps.directory.getGroup(ctx.event.chat)
  const school = group?.schoolCode ? await deps.directory.getSchool(group.schoolCode) : undefined
  const { from } = ctx.event
  const officer = await deps.directory.officerByChat({ platform: from.platform, chatId: from.userId })
  const staff = (officer !== undefined && (school ? isSchoolStaff(officer, school.code) : true)) || (await ctx.isSenderChatAdmin({ verifiedOnly: true }))
  return staff ? groupStaffHelp(school?.name) : groupMemberHelp(school?.name)
}
