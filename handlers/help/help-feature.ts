import { CommandMenuSync } from '../../src/directory/command-menu-sync.js'
import type { Feature } from '../../src/feature.js'
import { webTipBaseFor } from '../../src/tips/web-tip-link.js'
import { commandMenus } from './command-menus.js'
import { registerHelp, registerPrivateStartFallback } from './help.js'
import { registerUnknownCommands, registerUnreadableMessages } from './not-understood.js'

/**
 * /help for each role, and each role's command menu on Telegram, kept in step by a planner and
 * published once at start. After tips in the list: a private /start is the tip conversation's.
 */
export const helpFeature: Feature = {
  name: 'help',
  register(router, deps) {
    registerHelp(router, { directory: deps.directory, webTipBase: webTipBaseFor(deps.config.publicUrl) })
    const menus = new CommandMenuSync({ ...deps, menusFor: commandMenus })
    return {
      planners: [menus],
      start: () => menus.publish({ force: true }).catch((error: Error) => deps.logger.warn({ err: error.message }, 'command menus: publishing failed; the next tick retries')),
    }
  },
}

/** A private /start that no feature before it claimed gets the help: last in the list. */
export const privateStartFallbackFeature: Feature = {
  name: 'private-start-fallback',
  register(router, deps) {
    registerPrivateStartFallback(router, { directory: deps.directory })
    return {}
  },
}

/** A sticker, a voice message or a file in a private chat gets a pointer to /help: first in the list. */
export const unreadableMessagesFeature: Feature = {
  name: 'unreadable-messages',
  register(router) {
    registerUnreadableMessages(router)
    return {}
  },
}

/** A private command no feature before it took gets a pointer to /help: last in the list. */
export const unknownCommandsFeature: Feature = {
  name: 'unknown-commands',
  register(router) {
    registerUnknownCommands(router)
    return {}
  },
}
