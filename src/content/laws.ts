import { existsSync, readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { z } from 'zod'
import { compareDates, formatDate, parseVietnameseDate, type LocalDate } from '../core/vn-time.js'

/** A law, decree or resolution a post may cite, with the days it applies (content/laws.yaml). */
export interface Law {
  number: string
  name: string
  inForce: LocalDate
  /** The first day it no longer applies. */
  repealed?: LocalDate
  replacedBy?: string
}

export const defaultLawsFileName = 'laws.yaml'

/**
 * How Vietnamese legal texts are numbered: "36/2024/QH15", "168/2024/NĐ-CP", "48/2025/TT-BCA".
 * A source naming such a number cites that text; the ones without a year ("147/NQ-CP") are
 * notices and plans, whose dates the source itself gives.
 */
const lawNumberPattern = /\b\d+\/\d{4}\/[A-ZĐ][A-ZĐ0-9-]*[A-ZĐ0-9]/gu

const day = z.string().transform((text, ctx) => {
  const parsed = parseVietnameseDate(text)
  if (!parsed) ctx.addIssue({ code: 'custom', message: `"${text}" is not a date written dd/mm/yyyy` })
  return parsed ?? { year: 1970, month: 1, day: 1 }
})

const lawsFileSchema = z.object({
  laws: z.array(
    z
      .object({
        number: z.string().regex(/^\d+\/\d{4}\/[A-ZĐ][A-ZĐ0-9-]*$/u, { error: 'must be written as the text is numbered, such as "36/2024/QH15"' }),
        name: z.string().trim().min(5),
        inForce: day,
        repealed: day.optional(),
        replacedBy: z.string().optional(),
      })
      .strict(),
  ),
})

/** The laws file, read and checked; a broken file is an error of the content check, never a crash. */
export function readLaws(path: string): { laws: Law[]; errors: string[] } {
  if (!existsSync(path)) return { laws: [], errors: [`${path}: (file): does not exist; it lists the laws posts cite, with their dates`] }
  let raw: unknown
  try {
    raw = parse(readFileSync(path, 'utf8'))
  } catch (error) {
    return { laws: [], errors: [`${path}: (file): is not valid YAML (${(error as Error).message.split('\n')[0]})`] }
  }
  const parsed = lawsFileSchema.safeParse(raw)
  if (!parsed.success) return { laws: [], errors: parsed.error.issues.map((issue) => `${path}: ${issue.path.join('.') || '(file)'}: ${issue.message}`) }
  const errors: string[] = []
  const laws = parsed.data.laws
  for (const law of laws) {
    if (law.repealed && compareDates(law.repealed, law.inForce) <= 0) errors.push(`${path}: ${law.number}: repealed ${formatDate(law.repealed)} is not after inForce ${formatDate(law.inForce)}`)
    if (law.replacedBy && !laws.some((other) => other.number === law.replacedBy)) errors.push(`${path}: ${law.number}: replacedBy ${law.replacedBy} is not listed in the file`)
  }
  return { laws, errors }
}

/** The law numbers a source line names, in order. */
export function lawNumbersIn(source: string): string[] {
  return [...source.normalize('NFC').matchAll(lawNumberPattern)].map((match) => match[0])
}

export function isInForce(law: Law, on: LocalDate): boolean {
  return compareDates(on, law.inForce) >= 0 && (!law.repealed || compareDates(on, law.repealed) < 0)
}

export function isRepealedOn(law: Law, on: LocalDate): boolean {
  return law.repealed !== undefined && compareDates(on, law.repealed) >= 0
}

/** Why a law does not apply on a day, in one clause: "is repealed from 01/07/2026 (cite 120/2025/QH15)". */
export function whyNotInForce(law: Law, on: LocalDate): string | undefined {
  if (compareDates(on, law.inForce) < 0) return `takes effect only on ${formatDate(law.inForce)}`
  if (law.repealed && compareDates(on, law.repealed) >= 0) return `is repealed from ${formatDate(law.repealed)}${law.replacedBy ? ` (cite ${law.replacedBy} instead)` : ''}`
  return undefined
}
