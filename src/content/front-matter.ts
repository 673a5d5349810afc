export interface FrontMatterSplit {
  frontMatter: string
  body: string
}

/**
 * "---\n<yaml>\n---\n<body>" -> its two parts; undefined when the file does not open with a
 * front-matter block. Windows line ends and a byte-order mark are tolerated, because posts are
 * written in whatever editor the writer has.
 */
export function splitFrontMatter(text: string): FrontMatterSplit | undefined {
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n')
  if (lines[0]?.trim() !== '---') return undefined
  const close = lines.findIndex((line, index) => index > 0 && line.trim() === '---')
  if (close < 0) return undefined
  return { frontMatter: lines.slice(1, close).join('\n'), body: lines.slice(close + 1).join('\n') }
}
