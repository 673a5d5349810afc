/**
 * The command menu a platform shows beside the text box (Telegram's "/" list), per audience:
 * everyone, private chats, groups, group admins, or one chat (an officer's own).
 */
export type CommandMenuScope =
  | { kind: 'default' }
  | { kind: 'private-chats' }
  | { kind: 'group-chats' }
  | { kind: 'group-admins' }
  | { kind: 'chat'; chatId: string }

export interface MenuCommand {
  /** Without the slash: lowercase latin letters, digits and "_". */
  command: string
  description: string
}

export interface CommandMenu {
  scope: CommandMenuScope
  commands: MenuCommand[]
}
