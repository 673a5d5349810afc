import { foldVietnamese } from '../core/fold.js'
import { audiences, type Audience } from '../directory/model.js'

/**
 * Readers as people type them: "học sinh", "hoc-sinh", "HS", "phụ huynh và giáo viên".
 * Words are folded first, so diacritics and case never matter.
 */
const audienceWords: Record<Audience, string[]> = {
  'hoc-sinh': ['hoc sinh', 'hocsinh', 'hs'],
  'phu-huynh': ['phu huynh', 'phuhuynh', 'ph', 'cha me', 'bo me'],
  'giao-vien': ['giao vien', 'giaovien', 'gv', 'thay co'],
}
const everyoneWords = ['tat ca', 'ca ba', 'all']
const joiningWords = new Set(['va', 'voi', 'and'])

function wordsOf(text: string): string[] {
  return foldVietnamese(text)
    .replace(/[-_,;/+&.]+/g, ' ')
    .split(' ')
    .filter(Boolean)
}

/** One reader, e.g. a front-matter value; undefined when the words name none. */
export function parseAudience(text: string): Audience | undefined {
  const phrase = wordsOf(text).join(' ')
  return audiences.find((audience) => audienceWords[audience].includes(phrase))
}

export interface AudienceList {
  audiences: Audience[]
  /** Words that named no reader, so the caller can say which. */
  unknown: string[]
}

/** "học sinh, phụ huynh", "hs gv", "tất cả" -> the readers named, in the canonical order. */
export function parseAudienceList(text: string): AudienceList {
  const words = wordsOf(text)
  const found = new Set<Audience>()
  const unknown: string[] = []
  for (let i = 0; i < words.length; i++) {
    const two = words.slice(i, i + 2).join(' ')
    if (everyoneWords.includes(two) || everyoneWords.includes(words[i]!)) {
      audiences.forEach((audience) => found.add(audience))
      if (everyoneWords.includes(two)) i++
      continue
    }
    const byTwo = audiences.find((audience) => audienceWords[audience].includes(two))
    if (byTwo && words[i + 1] !== undefined) {
      found.add(byTwo)
      i++
      continue
    }
    const byOne = audiences.find((audience) => audienceWords[audience].includes(words[i]!))
    if (byOne) found.add(byOne)
    else if (!joiningWords.has(words[i]!)) unknown.push(words[i]!)
  }
  return { audiences: audiences.filter((audience) => found.has(audience)), unknown }
}
