import { describe, expect, it } from 'vitest'
import { foldVietnamese, hasVietnameseDiacritics } from '../../src/core/fold.js'
import { hashPassphrase, newPassphrase, normalizePassphrase, passphraseMatches, passphraseWords } from '../../src/tips/web-passphrase.js'

describe('web tip passphrases', () => {
  it('draw four words from a list of a few hundred, distinct once diacritics are dropped', () => {
    expect(passphraseWords.length).toBeGreaterThanOrEqual(256)
    expect(new Set(passphraseWords.map((word) => foldVietnamese(word))).size).toBe(passphraseWords.length)
    expect(passphraseWords.filter(hasVietnameseDiacritics).length).toBeGreaterThan(passphraseWords.length / 2)
    const phrase = newPassphrase()
    expect(phrase.split(' ')).toHaveLength(4)
    for (const word of phrase.split(' ')) expect(passphraseWords).toContain(word)
  })

  it('are stored only as a salted scrypt hash and match however they are typed', async () => {
    const phrase = 'mèo xanh chè núi'
    const one = await hashPassphrase(phrase)
    const two = await hashPassphrase(phrase)
    expect(one.encoded).toMatch(/^scrypt\$32768\$8\$1\$/)
    expect(one.encoded).not.toBe(two.encoded)
    expect(one.encoded).not.toContain('meo')
    expect(normalizePassphrase('  Mèo, XANH -  che   núi ')).toBe('meo xanh che nui')
    for (const typed of [phrase, 'MEO XANH CHE NUI', 'meo  xanh, che nui', phrase.normalize('NFD')]) expect(await passphraseMatches(typed, one.encoded)).toBe(true)
    for (const typed of ['meo xanh che', 'xanh meo che nui', '']) expect(await passphraseMatches(typed, one.encoded)).toBe(false)
    expect(await passphraseMatches(phrase, 'not-a-hash')).toBe(false)
  })
})
