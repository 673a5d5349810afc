import { z } from 'zod'
import { audiences, parseSchoolLevel, schoolLevels } from '../directory/model.js'
import { parseAudience } from './audience-words.js'
import { topics } from './topics.js'

/** "26/06": a day of the year, checked against a leap year so 29/02 is allowed. */
export const dayOfYear = z
  .string()
  .regex(/^\d{2}\/\d{2}$/, { error: 'must be "dd/mm" in quotes, such as "26/06"' })
  .refine((text) => {
    const [day, month] = text.split('/').map(Number) as [number, number]
    return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(2028, month, 0)).getUTCDate()
  }, { error: 'is not a day of the year' })

const audience = z.string().transform((text, ctx) => {
  const parsed = parseAudience(text)
  if (!parsed) ctx.addIssue({ code: 'custom', message: `"${text}" is not one of ${audiences.join(', ')}` })
  return parsed ?? 'hoc-sinh'
})

const level = z.string().transform((text, ctx) => {
  const parsed = parseSchoolLevel(text)
  if (!parsed) ctx.addIssue({ code: 'custom', message: `"${text}" is not one of ${schoolLevels.join(', ')}` })
  return parsed ?? 'thcs'
})

/**
 * Where a post's facts come from: a legal text or notice with its number ("Luật … số
 * 36/2024/QH15, Điều 59", "Quyết định 793/QĐ-TTg ngày 19/6/2017", "QCVN 2:2021/BKHCN"), a
 * department's notice by its date when it carries no number yet ("Kế hoạch ngày 27/02/2026 của
 * Sở GD&ĐT Hải Phòng"), or an official page ("https://…"). A reader, or the department, must be able to look it up.
 */
const source = z
  .string({ error: 'must be text' })
  .trim()
  .refine((text) => /https:\/\/\S+\.\S+/.test(text) || /\d+(?:\/\d{4}|:\d{4})?\/[A-ZĐ]/u.test(text) || /\b\d{1,2}\/\d{1,2}\/\d{4}\b/.test(text), {
    error: 'must give the document number, such as "Luật Trật tự, an toàn giao thông đường bộ số 36/2024/QH15, Điều 59", the date of an official notice, or an official page https://…',
  })

/** The front matter of a post file. Unknown keys are refused: a typo ("audiance") must not pass silently. */
export const postFrontMatterSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: 'must be lowercase letters, digits and single dashes, such as ma-tuy-01-loi-moi-thu' }),
    topic: z.enum(topics, { error: `must be one of ${topics.join(', ')}` }),
    title: z.string({ error: 'must be text' }).trim().min(5, { error: 'must be at least 5 characters' }).max(90, { error: 'must be at most 90 characters (it is the bold first line)' }),
    audience: z.array(audience, { error: 'must be a list, such as [hoc-sinh, phu-huynh]' }).min(1, { error: 'must name at least one reader' }),
    levels: z.array(level, { error: 'must be a list, such as [thcs, thpt]' }).min(1, { error: 'must name at least one school level' }),
    tags: z.array(z.coerce.string(), { error: 'must be a list' }).default([]),
    months: z.array(z.number().int().min(1).max(12), { error: 'must be a list of month numbers 1-12, such as [6]' }).min(1).optional(),
    days: z.array(dayOfYear, { error: 'must be a list of "dd/mm" days, such as ["26/06"]' }).min(1).optional(),
    sources: z
      .array(source, { error: 'must be a list of the laws, decrees, official notices or pages the post rests on' })
      .min(1, { error: 'must name at least one law, decree, official notice or official page' }),
    image: z.string().min(1).optional(),
    image_alt: z.string().trim().min(3, { error: 'must describe the image in a few words' }).optional(),
  }, { error: 'must be a YAML mapping of fields' })
  .strict()
  .superRefine((front, ctx) => {
    if (front.image && !front.image_alt) ctx.addIssue({ code: 'custom', path: ['image_alt'], message: 'is required when image is set (it is read aloud to people who cannot see the picture)' })
    if (front.image_alt && !front.image) ctx.addIssue({ code: 'custom', path: ['image'], message: 'is missing, but image_alt is set' })
  })

export type PostFrontMatter = z.infer<typeof postFrontMatterSchema>
