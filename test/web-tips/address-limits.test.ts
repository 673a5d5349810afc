import { describe, expect, it } from 'vitest'
import { AddressLimits } from '../../src/web-tips/address-limits.js'

const rule = { limit: 3, windowMs: 60_000 }

describe('per-address limits (memory only)', () => {
  it('count per address and bucket, and forget when the window ends', () => {
    const limits = new AddressLimits()
    const t = 1_000_000
    expect([1, 2, 3, 4].map(() => limits.hit('198.51.100.1', 'tips', rule, t))).toEqual([true, true, true, false])
    expect(limits.hit('198.51.100.2', 'tips', rule, t)).toBe(true)
    expect(limits.hit('198.51.100.1', 'other', rule, t)).toBe(true)
    expect(limits.isSpent('198.51.100.1', 'tips', rule, t)).toBe(true)
    expect(limits.minutesLeft('198.51.100.1', 'tips', t + 30_000)).toBe(1)
    expect(limits.isSpent('198.51.100.1', 'tips', rule, t + 60_000)).toBe(false)
    expect(limits.hit('198.51.100.1', 'tips', rule, t + 60_000)).toBe(true)
    // Expired windows are swept, so a flood of addresses does not stay in memory.
    limits.hit('198.51.100.3', 'tips', rule, t + 200_000)
    expect(limits.size).toBe(1)
  })

  it('give back a hit for a tip that was not filed', () => {
    const limits = new AddressLimits()
    for (let i = 0; i < 3; i++) limits.hit('a', 'tips', rule, 0)
    limits.release('a', 'tips', 0)
    expect(limits.hit('a', 'tips', rule, 0)).toBe(true)
    expect(limits.hit('a', 'tips', rule, 0)).toBe(false)
  })

  it('hold at most maxEntries windows', () => {
    const limits = new AddressLimits(10)
    for (let i = 0; i < 50; i++) limits.hit(`10.0.0.${i}`, 'tips', rule, 0)
    expect(limits.size).toBe(10)
  })
})
