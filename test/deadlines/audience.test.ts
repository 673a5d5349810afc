import { describe, expect, it } from 'vitest'
import { describeLevels, parseAudience } from '../../src/deadlines/audience.js'

describe('parseAudience', () => {
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
  ])('%s', (text, levels) => {
    expect(parseAudience(text)).toEqual(levels)
  })

  it.each(['', 'đại học', 'thcs, nhà trẻ'])('refuses %j', (text) => {
    expect(parseAudience(text)).toBeUndefined()
  })

  it('describes presets by name and other sets by their levels', () => {
    expect(describeLevels(['mam-non', 'tieu-hoc', 'thcs', 'thpt', 'gdtx', 'dh-cd-tc'])).toBe('tất cả các trường')
    expect(describeLevels(['thpt', 'thcs', 'gdtx', 'dh-cd-tc'])).toBe('THCS trở lên')
    expect(describeLevels(['tieu-hoc', 'mam-non'])).toBe('Mầm non & Tiểu học')
    expect(describeLevels(['thcs', 'thpt'])).toBe('THCS, THPT')
  })
})
