/** Who may answer a reminder for a school, and who may take an answer back: pure rules. */
import type { ButtonEvent } from '../core/events.js'
import type { HandlerContext } from '../core/handler.js'
import type { Platform } from '../core/platform.js'
import type { Directory } from '../directory/directory.js'
import type { Officer } from '../directory/model.js'
import type { Confirmation } from './deadline-store.js'

/** How long the person who answered may take it back. */
export const undoWindowMs = 24 * 3_600_000

/** The directory lists this officer as working for the school (named in its schools, or all); ward police are not the school's staff. */
export function isSchoolStaff(officer: Officer, schoolCode: string): boolean {
  if (officer.role === 'coordinator') return true
  if (officer.role === 'ward-police') return false
  return officer.schools.includes(schoolCode) || officer.schools.includes('*')
}

export type UndoVerdict = 'allowed' | 'too-late' | 'not-yours'

/** The same person within 24 hours; a coordinator at any time (the department corrects its own records). */
export function mayUndo(confirmation: Confirmation, who: { platform: Platform; userId: string; isCoordinator: boolean }, now: Date): UndoVerdict {
  if (who.isCoordinator) return 'allowed'
  const samePerson = confirmation.platform === who.platform && confirmation.userId === who.userId
  if (!samePerson) return 'not-yours'
  return now.getTime() - Date.parse(confirmation.at) <= undoWindowMs ? 'allowed' : 'too-late'
}

/**
 * The presser answers for the school of this group: its staff in the directory (no platform call),
 * or a group admin where the platform can tell (Telegram); on Zalo the directory decides alone.
 */
export async function maySpeakForSchool(ctx: HandlerContext<ButtonEvent>, directory: Directory, schoolCode: string): Promise<boolean> {
  const { from } = ctx.event
  const officer = await directory.officerByChat({ platform: from.platform, chatId: from.userId })
  if (officer && isSchoolStaff(officer, schoolCode)) return true
  return ctx.isSenderChatAdmin({ verifiedOnly: true })
}
