import { describe, expect, it } from 'vitest'
import { clausesOf, type Word } from '../../src/tips/triage-normalise.js'

const teencode = new Map([
  ['đg', ['đang']],
  ['bj', ['bị']],
  ['mn', ['mọi', 'người']],
])

function spelled(text: string): string[] {
  const word = (letters: Word) => letters.map((l) => l.base + l.marks).join('')
  return clausesOf(text, teencode).map((clause) => clause.map(word).join(' '))
}

describe('clausesOf', () => {
  it.each([
    ['hoà', 'hòa'],
    ['hoả hoạn', 'hỏa họan'],
    ['doạ', 'dọa'],
    ['khoẻ', 'khỏe'],
    ['thuỷ', 'thủy'],
    ['uý', 'úy'],
    ['Đe Doạ', 'đe dọa'],
    ['rôì', 'rồi'],
    ['noí', 'nói'],
    ['maú', 'máu'],
  ])('reads the tone of %j and %j as one spelling', (a, b) => {
    expect(spelled(a)).toEqual(spelled(b))
  })

  it('reads a horn typed on the o alone as on both vowels', () => {
    expect(spelled('truơng')).toEqual(spelled('trương'))
    expect(spelled('truờng')).toEqual(spelled('trường'))
  })

  it('keeps words that differ by more than tone placement apart', () => {
    expect(spelled('hóa')).not.toEqual(spelled('hoa'))
    expect(spelled('chạy')).not.toEqual(spelled('cháy'))
    expect(spelled('rồi')).not.toEqual(spelled('rỗi'))
  })

  it('squeezes repeated letters, but keeps a doubled "o" or "u" after a consonant', () => {
    expect(spelled('cứuuuu giúppp vớiiii')).toEqual(spelled('cứu giúp với'))
    expect(spelled('cuuuu')).toEqual(spelled('cuu'))
    expect(spelled('cuu')).not.toEqual(spelled('cu'))
    expect(spelled('xoong')).not.toEqual(spelled('xong'))
  })

  it('reads a digit between letters as a letter, and leaves class names and prices alone', () => {
    expect(spelled('ch3t')).toEqual(spelled('chet'))
    expect(spelled('10a3 500k')).toEqual(['10a3 500k'])
  })

  it('spells out shorthand, one word or several', () => {
    expect(spelled('đg bj mn')).toEqual(spelled('đang bị mọi người'))
  })

  it('splits clauses at sentence ends, commas and line breaks', () => {
    expect(spelled('a. b, c\nd!e?f;g…h')).toHaveLength(8)
  })
})
