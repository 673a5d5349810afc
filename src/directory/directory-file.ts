import { z } from 'zod'
import { readYamlFile, validateDataFile } from '../core/data-file.js'
import { platforms } from '../core/platform.js'
import { officerRoles, parseSchoolLevel, schoolLevels } from './model.js'

const code = z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,39}$/, { error: 'must be 2-40 capital letters, digits or dashes, such as THCS-NGO-QUYEN' })
const contacts = z
  .object(Object.fromEntries(platforms.map((p) => [p, z.coerce.string().regex(/^-?[A-Za-z0-9_]{1,64}$/).optional()])))
  .strict()

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
              if (!level) ctx.addIssue({ code: 'custom', message: `must be one of ${schoolLevels.join(', ')}` })
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
            id: z.string().regex(/^[a-z0-9-]{2,40}$/, { error: 'must be 2-40 lowercase letters, digits or dashes' }),
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
      if (seen.has(school.code)) ctx.addIssue({ code: 'custom', path: ['schools', index, 'code'], message: `duplicates ${school.code}` })
      seen.add(school.code)
    })
    file.officers.forEach((officer, index) => {
      officer.schools.forEach((schoolCode, at) => {
        if (schoolCode !== '*' && !seen.has(schoolCode)) {
          ctx.addIssue({ code: 'custom', path: ['officers', index, 'schools', at], message: `names ${schoolCode}, which is not among the schools` })
        }
      })
    })
    if (!file.officers.some((officer) => officer.role === 'coordinator')) {
      ctx.addIssue({ code: 'custom', path: ['officers'], message: 'must include one officer with role coordinator (tips without a closer officer go there)' })
    }
  })

export type DirectoryFile = z.infer<typeof directoryFileSchema>

export function readDirectoryFile(path: string): DirectoryFile {
  const raw = readYamlFile(path)
  return validateDataFile(directoryFileSchema, raw, path)
}
