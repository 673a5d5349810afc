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

/**
 * "tất cả", "tat ca", "THCS trở lên", "mầm non & tiểu học", or levels joined by commas
 * ("thcs, thpt"); undefined when any part is not a level.
 */
export function parseAudience(text: string): SchoolLevel[] | undefined {
  const folded = foldVietnamese(text).replace(/[.!]+$/, '')
  if (!folded) return undefined
  if (['tat ca', 'tat ca cac truong', 'all', 'moi truong', '*'].includes(folded)) return [...audiencePresets.all.levels]
  if (folded === 'thcs tro len' || folded === 'thcs+') return [...audiencePresets['thcs-up'].levels]
  const parts = folded.split(/\s*(?:,|;|&|\+|\/|\bva\b)\s*/).filter(Boolean)
  const levels = parts.map((part) => parseSchoolLevel(part))
  if (levels.some((level) => level === undefined)) return undefined
  return schoolLevels.filter((level) => levels.includes(level))
}

/** "tất cả các trường", "THCS trở lên", "Mầm non & Tiểu học", or the levels' names. */
export function describeLevels(levels: readonly SchoolLevel[]): string {
  const same = (preset: readonly SchoolLevel[]) => preset.length === levels.length && preset.every((level) => levels.includes(level))
  if (same(audiencePresets.all.levels)) return 'tất cả các trường'
  if (same(audiencePresets['thcs-up'].levels)) return 'THCS trở lên'
  if (same(audiencePresets['mn-th'].levels)) return 'Mầm non & Tiểu học'
  return levels.map((level) => schoolLevelLabels[level]).join(', ')
}
