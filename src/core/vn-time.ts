/**
 * Dates as people in Vietnam read them. Asia/Ho_Chi_Minh is UTC+7 all year (no daylight
 * saving since 1975), so local time is a fixed offset and needs no time-zone database.
 */
export const timeZone = 'Asia/Ho_Chi_Minh'
const offsetMs = 7 * 3600_000
const dayMs = 86_400_000

export interface LocalDate {
  year: number
  month: number
  day: number
}

export interface LocalDateTime extends LocalDate {
  hour: number
  minute: number
  /** 0 = Sunday … 6 = Saturday */
  weekday: number
}

export function toLocal(at: Date): LocalDateTime {
  const shifted = new Date(at.getTime() + offsetMs)
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    weekday: shifted.getUTCDay(),
  }
}

export function localDateOf(at: Date): LocalDate {
  const { year, month, day } = toLocal(at)
  return { year, month, day }
}

/** The instant at which the wall clock in Vietnam shows this date and time. */
export function atLocal(date: LocalDate, hour = 0, minute = 0): Date {
  return new Date(Date.UTC(date.year, date.month - 1, date.day, hour, minute) - offsetMs)
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * dayMs)
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() }
}

export function weekdayOf(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay()
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((Date.UTC(to.year, to.month - 1, to.day) - Date.UTC(from.year, from.month - 1, from.day)) / dayMs)
}

export function compareDates(a: LocalDate, b: LocalDate): number {
  return daysBetween(b, a)
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

export function isValidDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false
  const daysInMonth = [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!
  return day <= daysInMonth
}

/** "2026-06-15": sortable, used in keys and job ids. */
export function isoDay(date: LocalDate): string {
  return `${date.year}-${pad(date.month)}-${pad(date.day)}`
}

export function parseIsoDay(text: string): LocalDate | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!match) return undefined
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  return isValidDate(year, month, day) ? { year, month, day } : undefined
}

/** "15/06/2026" or "15/6/2026"; a two-part "15/6" takes `defaultYear`. */
export function parseVietnameseDate(text: string, defaultYear?: number): LocalDate | undefined {
  const match = /^\s*(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?\s*$/.exec(text)
  if (!match) return undefined
  const day = Number(match[1])
  const month = Number(match[2])
  const year = match[3] ? Number(match[3]) : defaultYear
  if (year === undefined || !isValidDate(year, month, day)) return undefined
  return { year, month, day }
}

export const weekdayNames = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'] as const

/** "15/06/2026" */
export function formatDate(date: LocalDate): string {
  return `${pad(date.day)}/${pad(date.month)}/${date.year}`
}

/** "Thứ Hai, 15/06/2026" */
export function formatDateWithWeekday(date: LocalDate): string {
  return `${weekdayNames[weekdayOf(date)]}, ${formatDate(date)}`
}

/** "07:30 Thứ Hai, 15/06/2026" */
export function formatDateTime(at: Date): string {
  const local = toLocal(at)
  return `${pad(local.hour)}:${pad(local.minute)} ${formatDateWithWeekday(local)}`
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
}
