import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isInForce, lawNumbersIn, readLaws } from '../../src/content/laws.js'

function lawsFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'laws-')), 'laws.yaml')
  writeFileSync(path, text)
  return path
}

describe('laws a post cites', () => {
  it('finds the numbered texts in a source line, not notices without a year', () => {
    expect(lawNumbersIn('Luật TTATGT đường bộ số 36/2024/QH15, Điều 59; Nghị định 168/2024/NĐ-CP')).toEqual(['36/2024/QH15', '168/2024/NĐ-CP'])
    expect(lawNumbersIn('Nghị quyết số 147/NQ-CP ngày 22/5/2025; https://tongdai111.vn')).toEqual([])
  })

  it('knows which law is in force on a day: the real file, around 01/07/2026', () => {
    const { laws, errors } = readLaws('content/laws.yaml')
    expect(errors).toEqual([])
    const drugs2021 = laws.find((law) => law.number === '73/2021/QH14')!
    const drugs2025 = laws.find((law) => law.number === '120/2025/QH15')!
    expect(isInForce(drugs2021, { year: 2026, month: 6, day: 30 })).toBe(true)
    expect(isInForce(drugs2021, { year: 2026, month: 7, day: 1 })).toBe(false)
    expect(isInForce(drugs2025, { year: 2026, month: 7, day: 1 })).toBe(true)
    expect(isInForce(drugs2025, { year: 2026, month: 6, day: 30 })).toBe(false)
  })

  it('names the field of a broken laws file', () => {
    const path = lawsFile('laws:\n  - { number: "1/2020/QH14", name: "Luật thử nghiệm", inForce: "31/02/2020" }\n  - { number: "2/2020/QH14", name: "Luật thử hai", inForce: "01/01/2021", repealed: "01/01/2020", replacedBy: "9/2029/QH99" }\n')
    const { errors } = readLaws(path)
    expect(errors).toContainEqual(expect.stringMatching(/laws\.0\.inForce: "31\/02\/2020" is not a date/))
  })

  it('refuses a repeal before the law took effect and a replacement it does not list', () => {
    const path = lawsFile('laws:\n  - { number: "2/2020/QH14", name: "Luật thử hai", inForce: "01/01/2021", repealed: "01/01/2020", replacedBy: "9/2029/QH99" }\n')
    const { errors } = readLaws(path)
    expect(errors).toContainEqual(expect.stringMatching(/2\/2020\/QH14: repealed 01\/01\/2020 is not after inForce 01\/01\/2021/))
    expect(errors).toContainEqual(expect.stringMatching(/2\/2020\/QH14: replacedBy 9\/2029\/QH99 is not listed/))
  })
})
