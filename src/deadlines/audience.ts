import { foldVietnamese } from '../core/fold.js'
import { parseSchoolLevel, schoolLevelLabels, schoolLevels, type SchoolLevel } from '../directory/model.js'

/** The three audiences the coordinator picks from when adding an ad hoc deadline. */
export const audiencePresets = {
  all: { label: 'Tất cả các trường', levels: [...schoolLevels] },
  'thcs-up': { label: 'THCS trở lên', levels: ['thcs', 'thpt', 'gdtx', 'dh-cd-tc'] },
  'mn-th': { label: 'Mầm non & Tiểu học', levels: ['mam-non', 'tieu-hoc'] },
} as const satisfies Record<string, { label: string; levels: readonly SchoolLevel[] }>

export type AudiencePreset = keyof typeof audiencePresets

export function isAudiencePreset(text: string): text is AudiencePreset {
  return Object.hasOwn(audiencePresets, text)
}

/** What coordinators call the levels in full, folded; the short names (thcs, mam non…) are the levels' own. */
const levelNames: Record<string, SchoolLevel> = {
  'mau giao': 'mam-non',
  'trung hoc co so': 'thcs',
  'trung hoc pho thong': 'thpt',
  'giao duc thuong xuyen': 'gdtx',
  'gdnn-gdtx': 'gdtx',
  'dai hoc': 'dh-cd-tc',
  'cao dang': 'dh-cd-tc',
  'trung cap': 'dh-cd-tc',
}

const maxAudienceLength = 200

/**
 * "tất cả", "tat ca", "THCS trở lên", "tiểu học trở lên", "mầm non & tiểu học", or levels
 * joined by commas ("thcs, thpt", "trường THCS và THPT", "đại học, cao đẳng"); undefined when
 * any part is not a level.
 */
export function parseAudience(text: string): SchoolLevel[] | undefined {
  // The longest real answer lists every level; the cap keeps the regexes below cheap whatever is pasted in.
  if (text.length > maxAudienceLength) return undefined
  // The lookbehind starts a match only at the first of a run of dots: linear on "....x".
  const folded = foldVietnamese(text).replace(/(?<![.!])[.!]+$/, '').trim()
  if (!folded) return undefined
  if (/^(?:all|\*|(?:tat ca|toan bo|moi)(?: (?:cac )?(?:truong|don vi|co so(?: giao duc)?))?)$/.test(folded)) return [...audiencePresets.all.levels]
  if (folded === 'thcs+') return [...audiencePresets['thcs-up'].levels]
  const upward = /^(.+?) tro len$/.exec(folded)
  if (upward) {
    const lowest = levelOf(upward[1]!)
    return lowest ? schoolLevels.slice(schoolLevels.indexOf(lowest)) : undefined
  }
  const parts = folded.split(/\s*(?:,|;|&|\+|\/|\bva\b)\s*/).filter(Boolean)
  const levels = parts.map(levelOf)
  if (levels.some((level) => level === undefined)) return undefined
  return schoolLevels.filter((level) => levels.includes(level))
}

/** One level, folded: "thcs", "truong thcs", "cap trung hoc co so". */
function levelOf(part: string): SchoolLevel | undefined {
  const name = part.replace(/^(?:cac )?(?:truong|cap|khoi|co so) /, '').trim()
  return parseSchoolLevel(name) ?? levelNames[name]
}

/** "tất cả các trường", "THCS trở lên", "Mầm non & Tiểu học", or the levels' names. */
export function describeLevels(levels: readonly SchoolLevel[]): string {
  const same = (preset: readonly SchoolLevel[]) => preset.length === levels.length && preset.every((level) => levels.includes(level))
  if (same(audiencePresets.all.levels)) return 'tất cả các trường'
  if (same(audiencePresets['thcs-up'].levels)) return 'THCS trở lên'
  if (same(audiencePresets['mn-th'].levels)) return 'Mầm non & Tiểu học'
  const lowest = schoolLevels.findIndex((level) => levels.includes(level))
  // "trở lên" reads as a ladder of general-education levels, up to THPT.
  if (levels.length > 1 && lowest <= schoolLevels.indexOf('thpt') && same(schoolLevels.slice(lowest))) return `${schoolLevelLabels[schoolLevels[lowest]!]} trở lên`
  return levels.map((level) => schoolLevelLabels[level]).join(', ')
}
