/**
 * Many users type Vietnamese without diacritics ("ma tuy" for "ma túy"). Everything that
 * matches words, commands or keywords compares folded text so both spellings meet.
 */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
}

/** True when every word of `query` appears in `text`, diacritics and case ignored. */
export function containsAllWords(text: string, query: string): boolean {
  const haystack = foldVietnamese(text)
  return foldVietnamese(query)
    .split(' ')
    .filter(Boolean)
    .every((word) => haystack.includes(word))
}

/** Letters with Vietnamese diacritics; a long text with none of them was likely typed or copied without. */
export function hasVietnameseDiacritics(text: string): boolean {
  return /[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]/i.test(text)
}
