/** A file part of a multipart/form-data body, as the fakes record it (its bytes are only counted). */
export interface MultipartFile {
  field: string
  filename: string
  size: number
  contentType?: string
}

/** The fields and files of a multipart/form-data body: what the real APIs accept for uploads. */
export function parseMultipart(raw: Buffer, boundary: string): { fields: Record<string, string>; files: MultipartFile[] } {
  const delimiter = Buffer.from(`--${boundary}`)
  const fields: Record<string, string> = {}
  const files: MultipartFile[] = []
  let pos = raw.indexOf(delimiter)
  while (pos >= 0) {
    let start = pos + delimiter.length
    if (raw.subarray(start, start + 2).toString() === '--') break
    if (raw.subarray(start, start + 2).toString() === '\r\n') start += 2
    const next = raw.indexOf(delimiter, start)
    if (next < 0) break
    const end = raw.subarray(next - 2, next).toString() === '\r\n' ? next - 2 : next
    const part = raw.subarray(start, end)
    const split = part.indexOf('\r\n\r\n')
    if (split >= 0) {
      const head = part.subarray(0, split).toString('utf8')
      const content = part.subarray(split + 4)
      const name = /(?:^|[;\s])name="([^"]*)"/i.exec(head)?.[1]
      const filename = /filename="?([^";\r\n]*)"?/i.exec(head)?.[1]
      const contentType = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1]?.trim()
      if (name !== undefined && filename !== undefined) files.push({ field: name, filename, size: content.length, ...(contentType ? { contentType } : {}) })
      else if (name !== undefined) fields[name] = content.toString('utf8')
    }
    pos = next
  }
  return { fields, files }
}
