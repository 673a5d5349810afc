import { describe, expect, it } from 'vitest'
import { parseTypedDate } from '../../src/core/typed-date.js'

describe('parseTypedDate', () => {
  it.each([
    ['05/12/2026', '2026-12-05'],
    ['5/12', '2026-12-05'],
    ['ngày 5/12/2027', '2027-12-05'],
    ['Ngay 5/12', '2026-12-05'],
    ['hạn chót: 05/12/2026', '2026-12-05'],
    ['5 / 12 / 2026', '2026-12-05'],
    ['05/12/26', '2026-12-05'],
    ['5-12-2026', '2026-12-05'],
    ['5.12.2026.', '2026-12-05'],
    ['29/2/2028', '2028-02-29'],
    ['5/12/2026!!!...', '2026-12-05'],
  ])('%j is %s', (text, iso) => {
    const date = parseTypedDate(text, 2026)
    expect(date && `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`).toBe(iso)
  })

  it.each(['', 'mai', '31/2/2026', '29/2/2027', '5/13', '12/2026', 'ngày mai', `5/12/2026${'.'.repeat(100_000)}x`])('refuses %j', (text) => {
    expect(parseTypedDate(text, 2026)).toBeUndefined()
  })
})
