/**
 * When the bot may post to people: Monday to Saturday, 06:30 until 20:00 Vietnam time. Sunday
 * and nights are quiet for every schedule (deadline nudges, awareness posts).
 */
import { addDays, atLocal, localDateOf, toLocal, weekdayOf, type LocalDate } from './vn-time.js'

export interface TimeOfDay {
  hour: number
  minute: number
}

/** Sending is allowed from `opens` (inclusive) until `closes` (exclusive). */
export const sendingHours = {
  opens: { hour: 6, minute: 30 },
  closes: { hour: 20, minute: 0 },
} as const satisfies Record<string, TimeOfDay>

const sunday = 0
const minuteMs = 60_000

export function isSendingDay(weekday: number): boolean {
  return weekday !== sunday
}

/** True for 06:30 … 19:59, the times of day a schedule may name. */
export function isWithinSendingHours(time: TimeOfDay): boolean {
  const minutes = minutesOfDay(time)
  return minutes >= minutesOfDay(sendingHours.opens) && minutes < minutesOfDay(sendingHours.closes)
}

export function isQuietTime(at: Date): boolean {
  const local = toLocal(at)
  if (!isSendingDay(local.weekday)) return true
  const sinceMidnightMs = at.getTime() - atLocal(local).getTime()
  return sinceMidnightMs < minutesOfDay(sendingHours.opens) * minuteMs || sinceMidnightMs >= minutesOfDay(sendingHours.closes) * minuteMs
}

/** `at` itself when sending is allowed then, otherwise the moment sending opens next. */
export function nextSendableTime(at: Date): Date {
  if (!isQuietTime(at)) return new Date(at.getTime())
  return firstSendingDayTimeAfter(at, sendingHours.opens)
}

/**
 * The first Monday–Saturday at `hour:minute` strictly after `at`: at 06:00 on a Monday that is
 * the same morning, at 07:30 or later it is the next sending day. Used for "remind me later".
 */
export function nextWorkingMorning(at: Date, hour = 7, minute = 30): Date {
  if (!isWithinSendingHours({ hour, minute })) {
    throw new RangeError(`${pad(hour)}:${pad(minute)} is outside the sending hours 06:30–20:00`)
  }
  return firstSendingDayTimeAfter(at, { hour, minute })
}

function firstSendingDayTimeAfter(at: Date, time: TimeOfDay): Date {
  let day: LocalDate = localDateOf(at)
  for (;;) {
    const candidate = atLocal(day, time.hour, time.minute)
    if (candidate.getTime() > at.getTime() && isSendingDay(weekdayOf(day))) return candidate
    day = addDays(day, 1)
  }
}

function minutesOfDay(time: TimeOfDay): number {
  return time.hour * 60 + time.minute
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
}
