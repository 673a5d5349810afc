import type { Logger } from 'pino'
import type { Directory } from '../directory/directory.js'
import { officerChats, type Officer, type School } from '../directory/model.js'
import { categoryById } from './categories.js'
import { newReceiptCode } from './receipt-code.js'
import { routeTip } from './routing.js'
import { sendTipToOfficer, type TipSender } from './tip-notifier.js'
import type { TipResponseTimes } from './tip-response.js'
import { initialDeadlines, type TipSla } from './tip-sla.js'
import type { TipStore } from './tip-store.js'
import { unlistedSchoolCode, type Tip, type TipPhoto } from './tip.js'

/** What filing a tip needs, whichever door it came in by (a chat conversation or the web page). */
export interface TipFilingDeps {
  store: TipStore
  directory: Directory
  sla: Pick<TipSla, 'schedule'>
  responseTimes: TipResponseTimes
  logger: Logger
}

/** A tip as its tipster gave it, before it has a receipt code, a chain or deadlines. */
export interface TipToFile {
  /** Missing (or unlisted) when the tipster could not name the school: it goes to the coordinators. */
  schoolCode?: string
  schoolNote?: string
  category: string
  text: string
  whenWhere?: string
  photos: TipPhoto[]
  urgent: boolean
  emergencyKinds: string[]
  anonymous: boolean
  contact?: string
  /** How to write back to a chat tipster; absent when there is no chat (the web page). */
  tipster?: { sealed: string; pseudonym: string }
}

export interface FiledTip {
  tip: Tip
  /** The officers the tip was sent to just now (queued in the outbox), in the order they were sent. */
  notified: Officer[]
}

const maxReceiptDraws = 6

/**
 * Files a tip: stored first (under a fresh receipt code), then sent to the officers, then the SLA
 * timers. A failure to queue the timers only delays escalation: the planner tick checks every
 * open tip against its deadlines.
 */
export async function fileTip(deps: TipFilingDeps, send: TipSender, input: TipToFile, now: Date): Promise<FiledTip> {
  const { tip, holder } = await storeTip(deps, input, now)
  deps.logger.info({ tipId: tip.id, urgent: tip.urgent, routedTo: tip.holder }, 'tip filed')
  if (holder) await sendTipToOfficer(send, deps.directory, tip, holder, 'new')
  else deps.logger.error({ tipId: tip.id }, 'tip filed but the directory has no officer to receive it')
  try {
    await deps.sla.schedule(tip)
  } catch (error) {
    deps.logger.warn({ tipId: tip.id, err: (error as Error).message }, 'tip SLA timers not queued; the planner tick will cover them')
  }
  return { tip, notified: holder ? [holder] : [] }
}

async function storeTip(deps: TipFilingDeps, input: TipToFile, now: Date): Promise<{ tip: Tip; holder?: Officer }> {
  const schoolCode = input.schoolCode ?? unlistedSchoolCode
  const school: School = (schoolCode !== unlistedSchoolCode ? await deps.directory.getSchool(schoolCode) : undefined) ?? { code: schoolCode, name: '', level: 'thcs', ward: '' }
  const officers = await deps.directory.listOfficers()
  const category = categoryById(input.category)?.id ?? 'khac'
  const chain = routeTip({ school, category, text: input.text }, officers)
  // An officer with no chat the bot can reach would sit on the tip until the SLA moved it on.
  const holder = chain.find((officer) => officerChats(officer).length > 0) ?? chain[0]
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
    holders: holder ? [holder.id] : [],
    chain: chain.map((officer) => officer.id),
    createdAt: now,
    ackDueAt,
    slaRound: 0,
    nextReminderAt,
  }
  for (let draw = 0; draw < maxReceiptDraws; draw++) {
    const tip: Tip = { id: newReceiptCode(), ...base }
    if (await deps.store.create(tip)) return { tip, holder }
  }
  throw new Error(`no free receipt code after ${maxReceiptDraws} draws`)
}
