import { foldVietnamese } from '../core/fold.js'
import { atLocal, localDateOf } from '../core/vn-time.js'
import { notARealDate, parseTypedDate } from '../core/typed-date.js'

/**
 * "ngay" (now), "08:00 05/12/2026", "05/12/2026 08:00", "5/12 8h" (this year), or a date alone
 * (07:30 that day): the moment the coordinator asked for, or the sentence saying what is wrong.
 */
export function parseSendTime(text: string, now: Date): Date | { problem: string } {
  const folded = foldVietnamese(text)
  if (['ngay', 'bay gio', 'luon', 'now', ''].includes(folded)) return now
  const time = /(\d{1,2})\s*(?:[:h]\s*(\d{2})?)/.exec(folded)
  const dateText = folded.replace(time?.[0] ?? '', ' ').replace(/\s+/g, ' ').trim()
  const year = localDateOf(now).year
  const day = parseTypedDate(dateText, year)
  if (!day) return { problem: notARealDate(dateText, year) ?? 'Giờ gửi chưa rõ: gõ “ngay”, hoặc giờ và ngày, ví dụ “08:00 05/12/2026”.' }
  const [hour, minute] = time ? [Number(time[1]), Number(time[2] ?? 0)] : [7, 30]
  if (hour > 23 || minute > 59) return { problem: `${time![0]} không phải là một giờ có thật.` }
  return atLocal(day, hour, minute)
}
