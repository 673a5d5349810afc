import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { readYamlFile, validateDataFile } from '../../src/core/data-file.js'

const dir = mkdtempSync(join(tmpdir(), 'ssb-data-file-'))
const fileWith = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

describe('data files', () => {
  it('names a missing file and why, in one sentence', () => {
    const path = join(dir, 'missing.yaml')
    expect(() => readYamlFile(path)).toThrow(`${path}: cannot be read (ENOENT).`)
  })

  it('names a file that is not YAML', () => {
    const path = fileWith('broken.yaml', 'times: [07:30\n')
    expect(() => readYamlFile(path)).toThrow(new RegExp(`^${path}: cannot be read as YAML \\(.+\\)\\.$`))
  })

  it('names the file, the field and the reason for a wrong value', () => {
    const schema = z.object({ slots: z.array(z.object({ time: z.string().regex(/^\d\d:\d\d$/, { error: 'must be a time such as 07:30' }) })) })
    const path = fileWith('slots.yaml', 'slots:\n  - time: "7h30"\n')
    expect(() => validateDataFile(schema, readYamlFile(path), path)).toThrow(`${path}: slots.0.time must be a time such as 07:30.`)
  })
})
