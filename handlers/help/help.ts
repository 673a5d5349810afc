import type { Router } from '../../src/core/router.js'
import { webTipUrl, type WebTipBase } from '../../src/tips/web-tip-link.js'
import { groupHelp, privateHelp, withWebTipLine } from './messages.js'

/** `webTipBase`: where the web tip page is, so /help offers it beside the chat tip. */
export function registerHelp(router: Router, webTipBase?: WebTipBase): void {
  router.command(['help', 'trogiup', 'huongdan'], (ctx) => {
    const base = webTipBase?.(ctx.event.chat.platform)
    const help = ctx.event.chat.kind === 'group' ? groupHelp : privateHelp
    return ctx.reply({ text: base === undefined ? help : withWebTipLine(help, webTipUrl(base)) })
  })
  router.command('start', (ctx) => ctx.reply({ text: groupHelp }), 'group')
}

/** /start in a private chat when no other feature claimed it. */
export function registerPrivateStartFallback(router: Router): void {
  router.command('start', (ctx) => ctx.reply({ text: privateHelp }), 'private')
}
