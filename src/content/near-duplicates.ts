import { foldVietnamese } from '../core/fold.js'

/**
 * Two posts that share most of their word triples are one post written twice, whatever the
 * diacritics, case or punctuation; a group would read the same thing again.
 */
export function wordShingles(text: string, size = 3): Set<string> {
  const words = foldVietnamese(text)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .split(' ')
    .filter(Boolean)
  if (words.length < size) return new Set(words.length ? [words.join(' ')] : [])
  const shingles = new Set<string>()
  for (let i = 0; i + size <= words.length; i++) shingles.add(words.slice(i, i + size).join(' '))
  return shingles
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0
  let shared = 0
  for (const shingle of a) if (b.has(shingle)) shared++
  return shared / (a.size + b.size - shared)
}

export interface NearDuplicate<T> {
  first: T
  second: T
  similarity: number
}

/** Every pair at or above `threshold`, each pair once, in the order the items came. */
export function findNearDuplicates<T>(items: readonly { item: T; text: string }[], threshold: number): NearDuplicate<T>[] {
  const shingled = items.map(({ item, text }) => ({ item, shingles: wordShingles(text) }))
  const pairs: NearDuplicate<T>[] = []
  shingled.forEach((a, i) => {
    for (const b of shingled.slice(i + 1)) {
      const similarity = jaccard(a.shingles, b.shingles)
      if (similarity >= threshold) pairs.push({ first: a.item, second: b.item, similarity })
    }
  })
  return pairs
}
