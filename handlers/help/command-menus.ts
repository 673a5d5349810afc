import type { CommandMenu, MenuCommand } from '../../src/core/command-menu.js'
import type { Platform } from '../../src/core/platform.js'
import type { Officer } from '../../src/directory/model.js'
import { menuDescriptions } from './messages.js'

type MenuName = keyof typeof menuDescriptions

function menu(...names: MenuName[]): MenuCommand[] {
  return names.map((command) => ({ command, description: menuDescriptions[command] }))
}

/** What each role's menu lists: the commands that role can use, and no other. */
export const roleMenus = {
  everyone: menu('help'),
  privateChats: menu('baotin', 'theodoi', 'bosung', 'help'),
  groupChats: menu('baiviet', 'help'),
  groupAdmins: menu('dangky', 'doituong', 'baiviet', 'help'),
  officer: menu('tiendo', 'baiviet', 'help'),
  coordinator: menu('tiendo', 'baocao_moi', 'thongbao', 'thongke', 'baiviet', 'help'),
}

/**
 * Every scope's menu on one platform: students (every private chat) see only the tip commands;
 * each officer's own chat gets its role's menu, which Telegram shows instead of the wider one.
 */
export function commandMenus(officers: readonly Officer[], platform: Platform): CommandMenu[] {
  const officerMenus: CommandMenu[] = officers.flatMap((officer) => {
    const chatId = officer.contacts[platform]
    if (!chatId) return []
    return [{ scope: { kind: 'chat', chatId }, commands: officer.role === 'coordinator' ? roleMenus.coordinator : roleMenus.officer }]
  })
  return [
    { scope: { kind: 'default' }, commands: roleMenus.everyone },
    { scope: { kind: 'private-chats' }, commands: roleMenus.privateChats },
    { scope: { kind: 'group-chats' }, commands: roleMenus.groupChats },
    { scope: { kind: 'group-admins' }, commands: roleMenus.groupAdmins },
    ...officerMenus,
  ]
}
