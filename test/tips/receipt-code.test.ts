import { describe, expect, it } from 'vitest'
import { unambiguousAlphabet } from '../../src/directory/directory.js'
import { formatReceiptCode, newReceiptCode, normalizeReceiptCode } from '../../src/tips/receipt-code.js'

describe('receipt codes', () => {
  it('are 8 symbols of the unambiguous alphabet, distinct over many draws, using every symbol', () => {
    const codes = Array.from({ length: 5000 }, newReceiptCode)
    for (const code of codes) expect(code).toMatch(new RegExp(`^[${unambiguousAlphabet}]{8}$`))
    expect(new Set(codes).size).toBe(codes.length)
    expect(new Set(codes.join('')).size).toBe(unambiguousAlphabet.length)
  })

  it.each([
    ['ACDEFGHJ', 'ACDEFGHJ'],
    ['acde-fghj', 'ACDEFGHJ'],
    [' ACDE FGHJ ', 'ACDEFGHJ'],
    ['ACDE–FGHJ', 'ACDEFGHJ'],
    ['a-c-d-e-f-g-h-j', 'ACDEFGHJ'],
  ])('reads %j as %s', (typed, code) => expect(normalizeReceiptCode(typed)).toBe(code))

  it.each(['', 'ACDEFGH', 'ACDEFGHJK', 'ACDEFGHB', 'ACDEFGH0', 'ACDEFGH1', 'ACDE.FGHJ', 'ĐCDEFGHJ'])('refuses %j', (typed) => {
    expect(normalizeReceiptCode(typed)).toBeUndefined()
  })

  it('shows as two groups of four and reads back', () => {
    expect(formatReceiptCode('ACDEFGHJ')).toBe('ACDE-FGHJ')
    const code = newReceiptCode()
    expect(normalizeReceiptCode(formatReceiptCode(code))).toBe(code)
    expect(() => formatReceiptCode('nope')).toThrow(RangeError)
  })
})
