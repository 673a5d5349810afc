import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkContentLibrary } from '../../src/content/content-check.js'
import { topics } from '../../src/content/topics.js'

const fixtures = 'test/fixtures/content-bad'
/** The day the real library is checked on: the laws in force are those of this day. */
const today = { year: 2026, month: 12, day: 2 }

/** The real library with one broken case laid over it, in a scratch folder. */
function libraryWith(caseName: string): { dir: string; baseline: string[] } {
  const dir = join(mkdtempSync(join(tmpdir(), 'content-')), 'content')
  cpSync('content', dir, { recursive: true })
  const baseline = checkContentLibrary(dir, { today }).errors
  cpSync(join(fixtures, caseName), dir, { recursive: true })
  return { dir, baseline }
}

describe('content check', () => {
  it('passes the real library: every topic, every campaign day, no errors', () => {
    const result = checkContentLibrary('content', { today })
    expect(result.errors).toEqual([])
    expect(result.topics).toBe(topics.length)
    expect(topics.length).toBeGreaterThanOrEqual(16)
    expect(result.posts).toBeGreaterThanOrEqual(topics.length * 5)
  })

  it.each([
    ['bad-front-matter', [/ma-tuy-90-front-matter-hong\.md: levels: is missing/, /audience\.1: "hieu-truong" is not one of hoc-sinh, phu-huynh, giao-vien/, /audiance: is not a known field/, /months\.0: /]],
    ['too-long', [/ma-tuy-91-qua-dai\.md: body: is 1179 characters; posts are at most 900/]],
    ['caption-too-long', [/92-chu-thich-dai\.md: body: is 1000 characters/, /92-chu-thich-dai\.md: body: with the title and signature the post is \d+ characters; Telegram takes at most 1024 in a photo caption/]],
    ['duplicate-id', [/bao-luc-hoc-duong\/trung-ma-bai\.md: id: "trung-ma-bai" is already used by .*an-toan-mang\/trung-ma-bai\.md/]],
    ['near-duplicate', [/94-mu-bao-hiem-2\.md: body: is nearly the same as .*93-mu-bao-hiem\.md \(\d+% of word triples shared\)/]],
    ['no-diacritics', [/95-khong-dau\.md: body: only 0% of its words carry diacritics/]],
    ['broken-image', [/96-anh-hong\.md: image: "images\/vach-ke-duong\.jpg" does not exist/]],
    ['no-sources', [/ma-tuy-98-khong-nguon\.md: sources: is missing/]],
    ['repealed-law', [/an-toan-mang-98-luat-cu\.md: sources: Luật An ninh mạng 2018 \(24\/2018\/QH14\) is repealed from 01\/07\/2026 \(cite 116\/2025\/QH15 instead\)/]],
    ['other-role-name', [/98-ten-khac\.md: body: calls the school's safety contact "đầu mối an ninh"; every post says "cán bộ phụ trách an ninh của trường"/, /98-ten-khac\.md: body: calls the ward or commune police "Công an xã, phường"; every post says "Công an phường, xã"/]],
    ['too-many-lines', [/98-qua-nhieu-dong\.md: body: has 15 lines \(paragraphs and bullets\); a phone screen shows about 12/]],
    ['wrong-place', [/97-sai-cho\.md: id: is "thuoc-la-dien-tu-97-ten-khac" but the file is named thuoc-la-dien-tu-97-sai-cho\.md/, /97-sai-cho\.md: topic: is "an-toan-mang" but the file sits in content\/thuoc-la-dien-tu\//]],
  ])('fails on %s, naming the file and the field', (caseName, expected) => {
    const { dir, baseline } = libraryWith(caseName)
    const added = checkContentLibrary(dir, { today }).errors.filter((error) => !baseline.includes(error))
    for (const pattern of expected) expect(added).toContainEqual(expect.stringMatching(pattern))
    // Every new error is about the case's own files.
    const caseFiles = readdirSync(join(fixtures, caseName), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.md'))
    for (const error of added) expect(caseFiles.some((file) => error.startsWith(join(dir, file)))).toBe(true)
  })

  it('reports a campaign day without its post, and a second post for one day', () => {
    const { dir } = libraryWith('near-duplicate')
    const result = checkContentLibrary(dir, { campaignDays: [{ day: '01/06', topic: 'xam-hai-tre-em', name: 'Ngày Quốc tế Thiếu nhi' }] })
    expect(result.errors).toContainEqual(expect.stringMatching(/days: no post is written for 01\/06 \(Ngày Quốc tế Thiếu nhi\)/))
    expect(result.errors).toContainEqual(expect.stringMatching(/days: 04\/10 is not a campaign day/))
  })

  it('reports a topic with fewer than five posts', () => {
    const result = checkContentLibrary(join(fixtures, 'duplicate-id'))
    expect(result.errors).toContainEqual(expect.stringMatching(/content-bad\/duplicate-id\/ma-tuy: \(folder\): has 0 regular post\(s\); every topic needs at least 5/))
  })

  it('warns ahead of time when a law a post cites is about to be replaced', () => {
    const { dir } = libraryWith('repealed-law')
    const result = checkContentLibrary(dir, { today: { year: 2026, month: 3, day: 1 } })
    expect(result.errors.filter((error) => error.includes('98-luat-cu'))).toEqual([])
    expect(result.warnings).toContainEqual(expect.stringMatching(/an-toan-mang-98-luat-cu\.md: sources: on 01\/07\/2026, when the post can go out, Luật An ninh mạng 2018 \(24\/2018\/QH14\) is repealed from 01\/07\/2026 \(cite 116\/2025\/QH15 instead\)/))
  })

  it('refuses a law the laws file does not list', () => {
    const { dir } = libraryWith('repealed-law')
    const file = join(dir, 'an-toan-mang/an-toan-mang-98-luat-cu.md')
    writeFileSync(file, readFileSync(file, 'utf8').replace('24/2018/QH14', '99/2099/QH99'))
    expect(checkContentLibrary(dir, { today }).errors).toContainEqual(expect.stringMatching(/98-luat-cu\.md: sources: cites 99\/2099\/QH99, which is not in laws\.yaml/))
  })

  it('reports a topic that cannot post in a school month', () => {
    const { dir } = libraryWith('near-duplicate')
    for (const name of readdirSync(join(dir, 'ma-tuy'))) {
      const file = join(dir, 'ma-tuy', name)
      const text = readFileSync(file, 'utf8')
      if (!text.includes('days:')) writeFileSync(file, text.replace('\ntopic: ma-tuy\n', '\ntopic: ma-tuy\nmonths: [6]\n'))
    }
    expect(checkContentLibrary(dir, { today }).errors).toContainEqual(expect.stringMatching(/ma-tuy: months: no post can go out in month\(s\) 9, 10, 11, 12, 1, 2, 3, 4, 5/))
  })
})
