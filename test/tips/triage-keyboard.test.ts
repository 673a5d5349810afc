import { describe, expect, it } from 'vitest'
import { readKeyboardLeftovers } from '../../src/tips/triage-keyboard.js'

describe('keyboard leftovers', () => {
  it.each([
    ['nha2 e dang chay1 roi', 'nhà e dang cháy roi'],
    ['nguo7i2 la5 o73 co63ng', 'người lạ ở cổng'],
  ])('reads VNI digits: %s', (typed, meant) => {
    expect(readKeyboardLeftovers(typed)).toBe(meant)
  })

  it.each([
    ['banj em bij ngaats', 'bạn em bị ngất'],
    ['cos nguowif caafm dao', 'có người cầm dao'],
    ['cos nguowif mang dao vaof lowps', 'có người mang dao vào lớp'],
  ])('reads Telex keys when two or more words are Telex: %s', (typed, meant) => {
    expect(readKeyboardLeftovers(typed)).toBe(meant)
  })

  it.each(['my friend is being beaten', 'the school is on fire', 'bình gas nhà e bị rò', 'lop 10a3 hoc phong 204', 'free fire rank kim cương'])('leaves English, numbers and a lone look-alike as typed: %s', (text) => {
    expect(readKeyboardLeftovers(text)).toBe(text)
  })
})
