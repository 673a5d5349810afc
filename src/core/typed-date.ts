import { foldVietnamese } from './fold.js'
import { parseVietnameseDate, type LocalDate } from './vn-time.js'

const maxTypedDateLength = 60

/**
 * A date as a coordinator types it: "05/12/2026", "5/12" (this year), "ngày 5/12/2026",
 * "5 / 12 / 26", "5-12-2026"; undefined when it is not a real date.
 */
export function parseTypedDate(text: string, defaultYear: number): LocalDate | undefined {
  // A date is short; the cap keeps the regexes below cheap whatever is pasted in.
  if (text.length > maxTypedDateLength) return undefined
  const cleaned = foldVietnamese(text)
    .replace(/^(?:han chot|han|ngay)\s*:?\s*/, '')
    .replace(/\s*([/.-])\s*/g, '$1')
    .replace(/(?<![.!])[.!]+$/, '')
    .replace(/^(\d{1,2}[/.-]\d{1,2}[/.-])(\d{2})$/, '$120$2')
  return parseVietnameseDate(cleaned, defaultYear)
}

/**
 * "31/02/2026 không phải là một ngày có thật." when the text has a date's shape (dd/mm/yyyy or
 * dd/mm) but names no day of the calendar; undefined otherwise (no date at all, or a real one).
 */
export function notARealDate(text: string, defaultYear: number): string | undefined {
  const typed = text.trim()
  if (!/^\d{1,2}\s*[/.-]\s*\d{1,2}(\s*[/.-]\s*\d{2,4})?$/.test(typed)) return undefined
  return parseTypedDate(typed, defaultYear) ? undefined : `${typed} không phải là một ngày có thật.`
}
