import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadContentLibrary } from '../../src/content/content-library.js'
import { splitFrontMatter } from '../../src/content/front-matter.js'
import { renderPost } from '../../src/content/post-message.js'
import { jaccard, wordShingles } from '../../src/content/near-duplicates.js'

function library(files: Record<string, string>): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'lib-')), 'content')
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  return dir
}

const goodPost = (id: string, extra = '') =>
  `---\r\nid: ${id}\r\ntopic: ma-tuy\r\ntitle: "Khi có người mời \\"thử một lần\\""\r\naudience: [học sinh, phu-huynh]\r\nlevels: [THCS, thpt]\r\ntags: [ma túy]\r\nsources: ["Luật Phòng, chống ma túy số 120/2025/QH15"]\r\n${extra}---\r\nCâu trả lời là: không.\r\n\r\nGọi 113.\r\n`

describe('splitFrontMatter', () => {
  it('splits on the --- lines and tolerates a BOM and Windows line ends', () => {
    expect(splitFrontMatter('\uFEFF---\r\na: 1\r\n---\r\nthân bài')).toEqual({ frontMatter: 'a: 1', body: 'thân bài' })
    expect(splitFrontMatter('no front matter')).toBeUndefined()
    expect(splitFrontMatter('---\na: 1\n')).toBeUndefined()
  })
})

describe('loadContentLibrary', () => {
  it('reads posts, skips content/tips, normalises readers and levels typed in Vietnamese', () => {
    const dir = library({
      'ma-tuy/ma-tuy-01.md': goodPost('ma-tuy-01'),
      'tips/emergency-keywords.yaml': 'keywords: []\n',
      'README.md': '# Nội dung\n',
    })
    const result = loadContentLibrary(dir)
    expect(result.errors).toEqual([])
    expect(result.posts).toEqual([
      expect.objectContaining({ id: 'ma-tuy-01', title: 'Khi có người mời "thử một lần"', audience: ['hoc-sinh', 'phu-huynh'], levels: ['thcs', 'thpt'], body: 'Câu trả lời là: không.\n\nGọi 113.' }),
    ])
  })

  it('reports each problem as "file: field: reason" and leaves the broken post out', () => {
    const dir = library({
      'ma-tuy/a.md': goodPost('a', 'image: anh.jpg\n'),
      'ma-tuy/b.md': 'no front matter',
      'ma-tuy/c.md': '---\nid: [c\n---\nbody',
      'chu-de-la/d.md': goodPost('d'),
      'e.md': goodPost('e'),
    })
    const result = loadContentLibrary(dir)
    expect(result.posts).toEqual([])
    expect(result.errors).toEqual([
      `${dir}/chu-de-la: (folder): is not a topic; topics are the folder names listed in src/content/topics.ts`,
      `${dir}/e.md: (file): posts go in a topic folder, content/<topic>/<id>.md`,
      `${dir}/ma-tuy/a.md: image_alt: is required when image is set (it is read aloud to people who cannot see the picture)`,
      `${dir}/ma-tuy/b.md: (front matter): the file must start with a "---" line, the fields, and another "---" line`,
      expect.stringMatching(new RegExp(`^${dir}/ma-tuy/c.md: \\(front matter\\): is not valid YAML`)),
    ])
  })
})

describe('renderPost', () => {
  it('escapes the writer’s text and adds the signature and the tip button', () => {
    const message = renderPost({ id: 'x', topic: 'ma-tuy', title: 'A < B', audience: ['hoc-sinh'], levels: ['thcs'], tags: [], sources: ['https://tongdai111.vn'], body: 'Gọi 113 & 111', file: 'x.md' }, 'THCS-A')
    expect(message.text).toBe('<b>A &lt; B</b>\n\nGọi 113 &amp; 111\n\n<i>— Trợ lý An toàn Trường học</i>')
    expect(message.buttons).toEqual([[{ kind: 'deeplink', label: '📩 Báo tin ẩn danh', payload: 'tip-THCS-A' }]])
  })
})

describe('near duplicates', () => {
  it('compares word triples with diacritics, case and punctuation folded', () => {
    const a = wordShingles('Đội mũ bảo hiểm, cài quai chặt!')
    const b = wordShingles('doi mu bao hiem cai quai chat')
    expect(jaccard(a, b)).toBe(1)
    expect(jaccard(a, wordShingles('Sang đường ở vạch kẻ cho người đi bộ'))).toBe(0)
  })
})
