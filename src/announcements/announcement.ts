/** A one-off message from the department to chosen schools, and who acknowledged it ("✅ Đã đọc"). */
import { containsAllWords, foldVietnamese } from '../core/fold.js'
import type { Platform } from '../core/platform.js'
import { describeLevels, parseAudience } from '../deadlines/audience.js'
import type { School, SchoolLevel } from '../directory/model.js'

export type AnnouncementTarget =
  | { kind: 'levels'; levels: SchoolLevel[] }
  | { kind: 'wards'; wards: string[] }
  | { kind: 'schools'; codes: string[] }

export interface Announcement {
  id: string
  text: string
  /** A link to the attached file (a report template), shown as a button. */
  fileUrl?: string
  target: AnnouncementTarget
  /** The schools chosen when it was created. */
  schoolCodes: string[]
  /** How many active groups it was queued to. */
  groups: number
  /** When it goes out (ISO): never at night or on a Sunday. */
  sendAt: string
  createdAt: string
  createdBy: string
}

/** One school's "✅ Đã đọc": the first press counts, with who pressed. */
export interface Acknowledgement {
  by: string
  platform: Platform
  userId: string
  at: string
}

export const maxAnnouncementLength = 2000

/**
 * "tất cả", "THCS trở lên", "thcs, thpt" (levels); "phường Lê Chân, xã An Dương" (wards);
 * "trường THCS-NGO-QUYEN, TH-LE-VAN-TAM" or the codes alone (a list). Diacritics optional.
 * Undefined when nothing matches, with the reason.
 */
export function parseTarget(text: string, schools: readonly School[]): AnnouncementTarget | { problem: string } {
  const folded = foldVietnamese(text)
  if (!folded) return { problem: 'Chưa rõ gửi tới trường nào.' }
  const levels = parseAudience(text)
  if (levels?.length) return { kind: 'levels', levels }
  const parts = text.split(/[,;]/).map((part) => part.trim()).filter(Boolean)
  if (/^(phuong|xa|dac khu|thi tran)\b/.test(folded)) {
    const wards = [...new Set(schools.map((school) => school.ward))]
    const chosen = parts.map((part) => wards.find((ward) => foldVietnamese(ward) === foldVietnamese(part)) ?? wards.find((ward) => containsAllWords(ward, part)))
    const missing = parts.filter((_part, i) => !chosen[i])
    if (missing.length) return { problem: `Không có trường nào ở ${missing.join(', ')}.` }
    return { kind: 'wards', wards: [...new Set(chosen as string[])] }
  }
  const codes = parts.map((part) => part.replace(/^(trường|truong)\s+/i, '').trim().toUpperCase())
  const known = new Set(schools.map((school) => school.code))
  const unknown = codes.filter((code) => !known.has(code))
  if (unknown.length) return { problem: `Không có trường mang mã ${unknown.join(', ')} trong danh bạ.` }
  return { kind: 'schools', codes: [...new Set(codes)] }
}

export function selectSchools(target: AnnouncementTarget, schools: readonly School[]): School[] {
  switch (target.kind) {
    case 'levels':
      return schools.filter((school) => target.levels.includes(school.level))
    case 'wards':
      return schools.filter((school) => target.wards.includes(school.ward))
    case 'schools':
      return schools.filter((school) => target.codes.includes(school.code))
  }
}

/** "THCS trở lên", "Phường Lê Chân, Xã An Dương", "3 trường: THCS-NGO-QUYEN, …". */
export function describeTarget(target: AnnouncementTarget): string {
  switch (target.kind) {
    case 'levels':
      return describeLevels(target.levels)
    case 'wards':
      return target.wards.join(', ')
    case 'schools':
      return `${target.codes.length} trường: ${target.codes.slice(0, 5).join(', ')}${target.codes.length > 5 ? ', …' : ''}`
  }
}

/** Only web links: the button opens it in the reader's browser. */
export function isFileLink(text: string): boolean {
  try {
    const url = new URL(text)
    return url.protocol === 'https:' || url.protocol === 'http:'
  } catch {
    return false
  }
}
