import type { MessageEvent } from '../../src/core/events.js'
import type { HandlerContext } from '../../src/core/handler.js'
import type { Router } from '../../src/core/router.js'
import { isSchoolStaff } from '../../src/deadlines/who-may-answer.js'
import type { Directory } from '../../src/directory/directory.js'
import { webTipUrl, type WebTipBase } from '../../src/tips/web-tip-link.js'
import { coordinatorHelp, groupMemberHelp, groupStaffHelp, officerHelp, privateHelp, withWebTipLine } from './messages.js'

export interface HelpDeps {
  directory: Directory
  /** Where the web tip page is, so /help offers it beside the chat tip to students and groups. */
  webTipBase?: WebTipBase
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
  const help = ctx.event.chat.kind === 'group' ? await groupHelpFor(ctx, deps) : await privateHelpFor(ctx, deps)
  const base = deps.webTipBase?.(ctx.event.chat.platform)
  // Officers file no tips: only the help that offers the chat tip gets the web page's line.
  const offersTip = help === privateHelp || ctx.event.chat.kind === 'group'
  await ctx.reply({ text: base !== undefined && offersTip ? withWebTipLine(help, webTipUrl(base)) : help })
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
