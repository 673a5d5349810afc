import { isQuietTime } from '../core/quiet-hours.js'
import { addDays, atLocal, compareDates, localDateOf, weekdayOf, type LocalDate } from '../core/vn-time.js'
import type { CampaignDay, PostingPlan } from './posting-schedule.js'

export interface PostingSlot {
  at: Date
  /** Set when this slot carries a campaign day's post. */
  campaign?: CampaignDay
}

const dayMs = 86_400_000
/** A campaign day on a Sunday waits for the next regular slot, at most a week away. */
const carryDays = 7

export function campaignDayOn(date: LocalDate, days: readonly CampaignDay[]): CampaignDay | undefined {
  const text = `${String(date.day).padStart(2, '0')}/${String(date.month).padStart(2, '0')}`
  return days.find((day) => day.day === text)
}

function regularSlotsOn(date: LocalDate, plan: PostingPlan): PostingSlot[] {
  const weekday = weekdayOf(date)
  return plan.slots
    .filter((slot) => slot.weekday === weekday)
    .map((slot) => ({ at: atLocal(date, slot.time.hour, slot.time.minute) }))
    .filter((slot) => !isQuietTime(slot.at))
    .sort(byTime)
}

/**
 * The posting slots of one school from `from` to `to` (local days, inclusive). Pure and
 * independent of the window asked for: days around the window are worked out too, so that a
 * campaign carried over a Sunday and the minimum gap around a campaign post come out the same
 * whichever process asks and from which day.
 */
export function slotsBetween(from: LocalDate, to: LocalDate, plan: PostingPlan): PostingSlot[] {
  const margin = Math.ceil(plan.minGapMs / dayMs) + carryDays
  const end = addDays(to, margin)
  const slots: PostingSlot[] = []
  const waiting: CampaignDay[] = []
  for (let date = addDays(from, -margin); compareDates(date, end) <= 0; date = addDays(date, 1)) {
    const daySlots = regularSlotsOn(date, plan)
    const own = campaignDayOn(date, plan.campaignDays)
    let ownWaits = false
    if (own) {
      const free = daySlots[0]
      const extra = atLocal(date, plan.campaignSlotTime.hour, plan.campaignSlotTime.minute)
      if (free) free.campaign = own
      else if (!isQuietTime(extra)) daySlots.push({ at: extra, campaign: own })
      else ownWaits = true
    }
    for (const slot of daySlots) {
      if (!slot.campaign && waiting.length) slot.campaign = waiting.shift()
    }
    if (ownWaits && own) waiting.push(own)
    slots.push(...daySlots)
  }
  return keepGapAroundCampaigns(slots, plan.minGapMs)
    .filter((slot) => compareDates(localDateOf(slot.at), from) >= 0 && compareDates(localDateOf(slot.at), to) <= 0)
    .sort(byTime)
}

/** Regular slots are spaced by the schedule's own check; only an extra campaign post can crowd one. */
function keepGapAroundCampaigns(slots: PostingSlot[], minGapMs: number): PostingSlot[] {
  const campaigns = slots.filter((slot) => slot.campaign)
  return slots.filter(
    (slot) => slot.campaign || !campaigns.some((campaign) => Math.abs(campaign.at.getTime() - slot.at.getTime()) < minGapMs),
  )
}

function byTime(a: PostingSlot, b: PostingSlot): number {
  return a.at.getTime() - b.at.getTime()
}
