import { foldVietnamese } from '../core/fold.js'
import type { ChatRef, Platform } from '../core/platform.js'

export const schoolLevels = ['mam-non', 'tieu-hoc', 'thcs', 'thpt', 'gdtx', 'dh-cd-tc'] as const
export type SchoolLevel = (typeof schoolLevels)[number]

export const schoolLevelLabels: Record<SchoolLevel, string> = {
  'mam-non': 'Mầm non',
  'tieu-hoc': 'Tiểu học',
  thcs: 'THCS',
  thpt: 'THPT',
  gdtx: 'GDTX',
  'dh-cd-tc': 'ĐH-CĐ-TC',
}

/** "Mầm non", "mam non", "THCS", "ĐH-CĐ-TC" … -> the level id. */
export function parseSchoolLevel(text: string): SchoolLevel | undefined {
  const folded = foldVietnamese(text).replace(/[\s_/]+/g, '-')
  return schoolLevels.find((level) => level === folded)
}

export interface School {
  code: string
  name: string
  level: SchoolLevel
  ward: string
}

export const audiences = ['hoc-sinh', 'phu-huynh', 'giao-vien'] as const
export type Audience = (typeof audiences)[number]

export const audienceLabels: Record<Audience, string> = {
  'hoc-sinh': 'học sinh',
  'phu-huynh': 'phụ huynh',
  'giao-vien': 'giáo viên',
}

export interface Group extends ChatRef {
  title?: string
  schoolCode?: string
  /** Who reads this group; awareness posts are chosen for them. All three when unset. */
  audiences?: Audience[]
  active: boolean
  registeredAt?: string
  /** Why the group stopped taking messages, when it did. */
  inactiveReason?: string
}

export const officerRoles = ['coordinator', 'ward-police', 'focal-point', 'officer'] as const
export type OfficerRole = (typeof officerRoles)[number]

export const officerRoleLabels: Record<OfficerRole, string> = {
  coordinator: 'Điều phối viên (Văn phòng Sở GD&ĐT)',
  'ward-police': 'Công an phường/xã',
  'focal-point': 'Đầu mối ANTT của trường',
  officer: 'Cán bộ phụ trách',
}

export interface Officer {
  id: string
  name: string
  role: OfficerRole
  /** School codes this officer answers for ("*" for all). */
  schools: string[]
  /** Wards a ward-police officer covers. */
  wards: string[]
  /** Tip categories this officer takes; empty = all. */
  categories: string[]
  contacts: Partial<Record<Platform, string>>
}

export function officerChats(officer: Officer): ChatRef[] {
  return (Object.entries(officer.contacts) as [Platform, string][]).map(([platform, chatId]) => ({ platform, chatId }))
}
