import { describe, expect, it } from 'vitest'
import { describeLevels, parseAudience } from '../../src/deadlines/audience.js'

describe('parseAudience', () => {
  it('refuses a pasted wall of text at once, dots and all', () => {
    expect(parseAudience(`thcs${'.'.repeat(100_000)}x`)).toBeUndefined()
    expect(parseAudience('THCS, THPT!!!')).toEqual(['thcs', 'thpt'])
  })

  it.each([
    ['tất cả', ['mam-non', 'tieu-hoc', 'thcs', 'thpt', 'gdtx', 'dh-cd-tc']],
    ['TAT CA', ['mam-non', 'tieu-hoc', 'thcs', 'thpt', 'gdtx', 'dh-cd-tc']],
    ['Tất cả các trường', ['mam-non', 'tieu-hoc', 'thcs', 'thpt', 'gdtx', 'dh-cd-tc']],
    ['THCS trở lên', ['thcs', 'thpt', 'gdtx', 'dh-cd-tc']],
    ['thcs tro len', ['thcs', 'thpt', 'gdtx', 'dh-cd-tc']],
    ['Mầm non & Tiểu học', ['mam-non', 'tieu-hoc']],
    ['mam non va tieu hoc', ['mam-non', 'tieu-hoc']],
    ['thpt,thcs', ['thcs', 'thpt']],
    ['THPT', ['thpt']],
    ['tat ca truong', ['mam-non', 'tieu-hoc', 'thcs', 'thpt', 'gdtx', 'dh-cd-tc']],
    ['Toàn bộ các đơn vị', ['mam-non', 'tieu-hoc', 'thcs', 'thpt', 'gdtx', 'dh-cd-tc']],
    ['tiểu học trở lên', ['tieu-hoc', 'thcs', 'thpt', 'gdtx', 'dh-cd-tc']],
    ['cap trung hoc co so tro len.', ['thcs', 'thpt', 'gdtx', 'dh-cd-tc']],
    ['các trường THCS và THPT', ['thcs', 'thpt']],
    ['trung hoc pho thong, giao duc thuong xuyen', ['thpt', 'gdtx']],
    ['Đại học, cao đẳng', ['dh-cd-tc']],
  ])('%s', (text, levels) => {
    expect(parseAudience(text)).toEqual(levels)
  })

  it.each(['', 'trường chuyên', 'thcs, nhà trẻ', 'lớp 9 trở lên'])('refuses %j', (text) => {
    expect(parseAudience(text)).toBeUndefined()
  })

  it('describes presets by name and other sets by their levels', () => {
    expect(describeLevels(['mam-non', 'tieu-hoc', 'thcs', 'thpt', 'gdtx', 'dh-cd-tc'])).toBe('tất cả các trường')
    expect(describeLevels(['thpt', 'thcs', 'gdtx', 'dh-cd-tc'])).toBe('THCS trở lên')
    expect(describeLevels(['tieu-hoc', 'mam-non'])).toBe('Mầm non & Tiểu học')
    expect(describeLevels(['thcs', 'thpt'])).toBe('THCS, THPT')
    expect(describeLevels(['tieu-hoc', 'thcs', 'thpt', 'gdtx', 'dh-cd-tc'])).toBe('Tiểu học trở lên')
    expect(describeLevels(['thpt', 'gdtx', 'dh-cd-tc'])).toBe('THPT trở lên')
    expect(describeLevels(['gdtx', 'dh-cd-tc'])).toBe('GDTX, ĐH-CĐ-TC')
    expect(describeLevels(['dh-cd-tc'])).toBe('ĐH-CĐ-TC')
  })
})
