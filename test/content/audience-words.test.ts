import { describe, expect, it } from 'vitest'
import { parseAudience, parseAudienceList } from '../../src/content/audience-words.js'

describe('parseAudienceList', () => {
  it.each([
    ['học sinh', ['hoc-sinh'], []],
    ['phu huynh', ['phu-huynh'], []],
    ['Học sinh, phụ huynh và giáo viên', ['hoc-sinh', 'phu-huynh', 'giao-vien'], []],
    ['giao-vien hoc-sinh', ['hoc-sinh', 'giao-vien'], []],
    ['HS GV', ['hoc-sinh', 'giao-vien'], []],
    ['tất cả', ['hoc-sinh', 'phu-huynh', 'giao-vien'], []],
    ['hiệu trưởng', [], ['hieu', 'truong']],
    ['học sinh, bảo vệ', ['hoc-sinh'], ['bao', 've']],
  ])('%s', (text, audiences, unknown) => {
    expect(parseAudienceList(text)).toEqual({ audiences, unknown })
  })

  it('reads one front-matter value', () => {
    expect(parseAudience('hoc-sinh')).toBe('hoc-sinh')
    expect(parseAudience('Phụ huynh')).toBe('phu-huynh')
    expect(parseAudience('học sinh phụ huynh')).toBeUndefined()
  })
})
