import type { Logger } from 'pino'
import type { Directory } from '../directory/directory.js'
import type { OfficerReachability } from '../directory/officer-reachability.js'
import { officerChats, type Officer, type School } from '../directory/model.js'
import { categoryById } from './categories.js'
import { newReceiptCode } from './receipt-code.js'
import { routeTip } from './routing.js'
import { sendTipToOfficer, type TipSender } from './tip-notifier.js'
import type { TipResponseTimes } from './tip-response.js'
import { initialDeadlines, type TipSla } from './tip-sla.js'
import type { TipStore } from './tip-store.js'
import { unlistedSchoolCode, type Tip } from './tip.js'

/** What filing a tip needs, whichever door it came in by (a chat conversation or the web page). */
export interface TipFilingDeps {
  store: TipStore
  directory: Directory
  sla: Pick<TipSla, 'schedule'>
  responseTimes: TipResponseTimes
  logger: Logger
  /** Officers whose chat refuses messages are passed over; without it, everyone counts as reachable. */
  reachability?: Pick<OfficerReachability, 'reachable' | 'reachableChats'>
}

/** A tip as its tipster gave it, before it has a receipt code, a chain or deadlines. */
export interface TipToFile extends Pick<Tip, 'schoolNote' | 'category' | 'text' | 'whenWhere' | 'photos' | 'urgent' | 'emergencyKinds' | 'anonymous' | 'contact'> {
  /** Missing (or unlisted) when the tipster could not name the school: it goes to the coordinators. */
  schoolCode?: string
  /** How to write back to a chat tipster; absent when there is no chat (the web page). */
  tipster?: { sealed: string; pseudonym: string }
}

export interface FiledTip {
  tip: Tip
  /** The officers the tip was sent to just now (queued in the outbox), in the order they were sent. */
  notified: Officer[]
  /** Officers of the chain passed over because their chat refuses messages. */
  skipped?: Officer[]
}

const maxReceiptDraws = 6

/**
 * Files a tip: stored first (under a fresh receipt code), then sent, then the SLA timers. An
 * urgent tip goes to every reachable officer of its chain at once (case officers, the school's
 * focal point, the ward police, the coordinators): the first to take it up owns it. Any other
 * goes to the first reachable one, and on down the chain when nobody acknowledges in time.
 * A failure to queue the timers only delays escalation: the planner tick checks every open tip.
 */
export async function fileTip(deps: TipFilingDeps, send: TipSender, input: TipToFile, now: Date): Promise<FiledTip> {
  const { tip, recipients, skipped } = await storeTip(deps, input, now)
  deps.logger.info({ tipId: tip.id, urgent: tip.urgent, routedTo: recipients.map((o) => o.id), skipped: skipped.map((o) => o.id) }, 'tip filed')
  for (const officer of recipients) {
    const chats = deps.reachability ? await deps.reachability.reachableChats(officer) : officerChats(officer)
    await sendTipToOfficer(send, deps.directory, tip, officer, 'new', undefined, chats)
  }
  if (recipients.length === 0) deps.logger.error({ tipId: tip.id }, 'tip filed but no officer of its chain can be reached')
  try {
    await deps.sla.schedule(tip)
  } catch (error) {
    deps.logger.warn({ tipId: tip.id, err: (error as Error).message }, 'tip SLA timers not queued; the planner tick will cover them')
  }
  return { tip, notified: recipients, skipped }
}

async function storeTip(deps: TipFilingDeps, input: TipToFile, now: Date): Promise<{ tip: Tip; recipients: Officer[]; skipped: Officer[] }> {
  const schoolCode = input.schoolCode ?? unlistedSchoolCode
  const school: School = (schoolCode !== unlistedSchoolCode ? await deps.directory.getSchool(schoolCode) : undefined) ?? { code: schoolCode, name: '', level: 'thcs', ward: '' }
  const officers = await deps.directory.listOfficers()
  const category = categoryById(input.category)?.id ?? 'khac'
  const chain = routeTip({ school, category, text: input.text }, officers)
  // An officer with no chat, or whose chat refuses messages, would sit on the tip unread.
  const withChats = chain.filter((officer) => officerChats(officer).length > 0)
  const reachable = deps.reachability ? await deps.reachability.reachable(withChats) : withChats
  const skipped = chain.filter((officer) => !reachable.includes(officer))
  const recipients = input.urgent ? reachable : reachable.slice(0, 1)
  const holder = recipients[0] ?? chain[0]
  const { ackDueAt, nextReminderAt } = initialDeadlines(now, category, input.urgent, deps.responseTimes)
  const base: Omit<Tip, 'id'> = {
    schoolCode,
    ...(input.schoolNote ? { schoolNote: input.schoolNote } : {}),
    category,
    text: input.text,
    ...(input.whenWhere ? { whenWhere: input.whenWhere } : {}),
    photos: input.photos,
    urgent: input.urgent,
    emergencyKinds: input.emergencyKinds,
    anonymous: input.anonymous || !input.contact,
    ...(!input.anonymous && input.contact ? { contact: input.contact } : {}),
    ...(input.tipster ? { tipsterSealed: input.tipster.sealed, tipsterPseudonym: input.tipster.pseudonym } : {}),
    status: 'new',
    ...(holder ? { holder: holder.id } : {}),
    holders: recipients.length > 0 ? recipients.map((officer) => officer.id) : holder ? [holder.id] : [],
    chain: chain.map((officer) => officer.id),
    createdAt: now,
    ackDueAt,
    slaRound: 0,
    nextReminderAt,
  }
  for (let draw = 0; draw < maxReceiptDraws; draw++) {
    const tip: Tip = { id: newReceiptCode(), ...base }
    if (await deps.store.create(tip)) return { tip, recipients, skipped }
  }
  throw new Error(`no free receipt code after ${maxReceiptDraws} draws`)
}
