import { z } from 'zod'
import { dataFileIssues, readYamlFile, validateDataFile } from '../core/data-file.js'
import { isPlatform, type Platform } from '../core/platform.js'
import { officerRoles, parseSchoolLevel, schoolLevels } from './model.js'

const code = z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,39}$/, { error: 'phải gồm 2–40 chữ in hoa, chữ số hoặc dấu gạch ngang, ví dụ THCS-NGO-QUYEN' })
/** An officer's chat per platform; a province bot's chats are under its own key (telegram-hn: 12345). */
const contacts = z
  .record(z.string(), z.coerce.string().regex(/^-?[A-Za-z0-9_]{1,64}$/).optional())
  .superRefine((chats, ctx) => {
    for (const platform of Object.keys(chats)) {
      if (!isPlatform(platform)) ctx.addIssue({ code: 'custom', path: [platform], message: 'không phải tên nền tảng: dùng telegram, telegram-<mã tỉnh> (một bot trong TELEGRAM_BOTS), zalo hoặc playground' })
    }
  })
  .transform((chats) => chats as Partial<Record<Platform, string>>)

export const directoryFileSchema = z
  .object({
    schools: z
      .array(
        z
          .object({
            code,
            name: z.string().min(3),
            level: z.string().transform((text, ctx) => {
              const level = parseSchoolLevel(text)
              if (!level) ctx.addIssue({ code: 'custom', message: `phải là một trong ${schoolLevels.join(', ')} (đang là “${text}”)` })
              return level ?? 'thcs'
            }),
            ward: z.string().min(2),
          })
          .strict(),
      )
      .min(1),
    officers: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z0-9-]{2,40}$/, { error: 'phải gồm 2–40 chữ thường, chữ số hoặc dấu gạch ngang' }),
            name: z.string().min(2),
            role: z.enum(officerRoles),
            schools: z.array(z.union([code, z.literal('*')])).default([]),
            wards: z.array(z.string()).default([]),
            categories: z.array(z.string()).default([]),
            contacts: contacts.default({}),
          })
          .strict(),
      )
      .default([]),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>()
    file.schools.forEach((school, index) => {
      if (seen.has(school.code)) ctx.addIssue({ code: 'custom', path: ['schools', index, 'code'], message: `trùng mã ${school.code}` })
      seen.add(school.code)
    })
    file.officers.forEach((officer, index) => {
      officer.schools.forEach((schoolCode, at) => {
        if (schoolCode !== '*' && !seen.has(schoolCode)) {
          ctx.addIssue({ code: 'custom', path: ['officers', index, 'schools', at], message: `ghi ${schoolCode}, không có trong danh sách trường` })
        }
      })
    })
    if (!file.officers.some((officer) => officer.role === 'coordinator')) {
      ctx.addIssue({ code: 'custom', path: ['officers'], message: 'phải có một cán bộ với role: coordinator (tin báo không có cán bộ gần hơn sẽ chuyển tới đó)' })
    }
  })

export type DirectoryFile = z.infer<typeof directoryFileSchema>

export function readDirectoryFile(path: string): DirectoryFile {
  const raw = readYamlFile(path)
  return validateDataFile(directoryFileSchema, raw, path)
}

/** The import's reading: the file, or every problem in it (one line each, field path first). */
export function checkDirectoryFile(path: string): { file: DirectoryFile } | { problems: string[] } {
  const checked = dataFileIssues(directoryFileSchema, readYamlFile(path))
  return 'data' in checked ? { file: checked.data } : { problems: checked.issues }
}
