import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defaultTipResponsePath, loadTipResponseTimes, type TipResponseTimes } from '../../src/tips/tip-response.js'

/**
 * The shipped schedules/tip-response.yaml as a department would edit it: `categories: {}`
 * replaced by `categories` (YAML text), written to a file of its own and read as the bot reads it.
 */
export function responseTimesWithCategories(categories: string): TipResponseTimes {
  const shipped = readFileSync(defaultTipResponsePath, 'utf8')
  if (!shipped.includes('\n  categories: {}\n')) throw new Error(`${defaultTipResponsePath} no longer has "categories: {}"; update this helper`)
  const path = join(mkdtempSync(join(tmpdir(), 'tip-response-')), 'tip-response.yaml')
  writeFileSync(path, shipped.replace('\n  categories: {}\n', `\n  categories: ${categories}\n`))
  return loadTipResponseTimes(path)
}
