import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import type { z } from 'zod'
import { ConfigError } from './errors.js'

/** A YAML file's content, or one sentence naming the file and why it cannot be had. */
export function readYamlFile(path: string): unknown {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new ConfigError(`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`)
  }
  try {
    return parse(text)
  } catch (error) {
    throw new ConfigError(`${path}: cannot be read as YAML (${(error as Error).message.split('\n')[0]}).`)
  }
}

/** zod's first issue as "file: field.path: reason", the one sentence an operator needs. */
export function validateDataFile<T extends z.ZodType>(schema: T, raw: unknown, file: string): z.infer<T> {
  const parsed = schema.safeParse(raw)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]!
  const where = issue.path.length ? issue.path.join('.') : '(top level)'
  throw new ConfigError(`${file}: ${where} ${issue.message}.`)
}

/** Every issue as "field.path reason", for files typed by hand: fixed in one go rather than one error per run. */
export function dataFileIssues<T extends z.ZodType>(schema: T, raw: unknown): { data: z.infer<T> } | { issues: string[] } {
  const parsed = schema.safeParse(raw)
  if (parsed.success) return { data: parsed.data }
  return { issues: parsed.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(toàn tệp)'}: ${issue.message}`) }
}
