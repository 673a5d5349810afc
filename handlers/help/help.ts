import type { Router } from '../../src/core/router.js'
import { groupHelp, privateHelp } from './messages.js'

export function registerHelp(router: Router): void {
  router.command(['help', 'trogiup', 'huongdan'], (ctx) => ctx.reply({ text: ctx.event.chat.kind === 'group' ? groupHelp : privateHelp }))
  router.command('start', (ctx) => ctx.reply({ text: groupHelp }), 'group')
}

/** /start in a private chat when no other feature claimed it. */
export function registerPrivateStartFallback(router: Router): void {
  router.command('start', (ctx) => ctx.reply({ text: privateHelp }), 'private')
}
