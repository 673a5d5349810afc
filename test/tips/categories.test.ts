import { describe, expect, it } from 'vitest'
import { hasVietnameseDiacritics } from '../../src/core/fold.js'
import { categoryById, categoryMenu, parseCategory, tipCategories } from '../../src/tips/categories.js'

describe('tip categories', () => {
  it('have unique kebab-case ascii ids and Vietnamese labels with diacritics', () => {
    const ids = tipCategories.map((c) => c.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const c of tipCategories) {
      expect(c.id).toMatch(/^[a-z]+(?:-[a-z]+)*$/)
      expect(hasVietnameseDiacritics(c.label)).toBe(true)
    }
    expect(ids).toEqual(['ma-tuy', 'bao-luc', 'xam-hai', 'lua-dao-mang', 'vat-nguy-hiem', 'giao-thong', 'chay-no', 'nguoi-la', 'khac', 'du-do-mua-ban-nguoi', 'tu-hai'])
  })

  it('are found by id', () => {
    expect(categoryById('xam-hai')?.label).toBe('Xâm hại trẻ em')
    expect(categoryById('Xâm hại')).toBeUndefined()
  })
})

describe('parseCategory', () => {
  it.each([
    ['ma-tuy', 'ma-tuy'],
    ['ma tuy', 'ma-tuy'],
    ['MA TÚY', 'ma-tuy'],
    ['Ma túy, thuốc lá điện tử', 'ma-tuy'],
    ['💊 Ma túy, thuốc lá điện tử', 'ma-tuy'],
    ['thuoc la dien tu', 'ma-tuy'],
    ['bắt nạt qua mạng', 'lua-dao-mang'],
    ['xam hai tre em', 'xam-hai'],
    ['Cháy nổ', 'chay-no'],
    ['nguoi la', 'nguoi-la'],
    ['khác', 'khac'],
    ['1', 'ma-tuy'],
    [' 2. ', 'bao-luc'],
    ['số 7', 'chay-no'],
    ['9', 'khac'],
    ['1. 💊 Ma túy, thuốc lá điện tử', 'ma-tuy'],
  ])('%s -> %s', (text, id) => expect(parseCategory(text)?.id).toBe(id))

  it.each(['', '0', '12', 'abc', 'ma', '2. Ma túy', 'tôi muốn báo tin'])('%j is no category', (text) => {
    expect(parseCategory(text)).toBeUndefined()
  })

  it('reads back every line of the numbered menu', () => {
    const lines = categoryMenu().split('\n')
    expect(lines).toHaveLength(tipCategories.length)
    expect(lines.map((line) => parseCategory(line)?.id)).toEqual(tipCategories.map((c) => c.id))
  })
})
