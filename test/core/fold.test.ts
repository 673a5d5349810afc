import { describe, expect, it } from 'vitest'
import { containsAllWords, foldVietnamese, hasVietnameseDiacritics } from '../../src/core/fold.js'

describe('foldVietnamese', () => {
  it.each([
    ['ma túy', 'ma tuy'],
    ['MA TÚY', 'ma tuy'],
    ['Đăng ký', 'dang ky'],
    ['  Trường   THCS  ', 'truong thcs'],
    ['ma tu\u0301y', 'ma tuy'],
  ])('%s -> %s', (input, folded) => expect(foldVietnamese(input)).toBe(folded))

  it('finds a school by any words of its name typed without diacritics', () => {
    expect(containsAllWords('Trường THCS Ngô Quyền', 'ngo quyen')).toBe(true)
    expect(containsAllWords('Trường THCS Ngô Quyền', 'thcs tran')).toBe(false)
  })

  it('tells text with diacritics from text without', () => {
    expect(hasVietnameseDiacritics('Phòng chống ma túy')).toBe(true)
    expect(hasVietnameseDiacritics('Phong chong ma tuy')).toBe(false)
  })
})
