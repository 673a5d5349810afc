import sharp from 'sharp'

/** A phone-like JPEG carrying GPS, camera and comment metadata, as a student's photo would. */
export async function jpegWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'PhoneMaker', Model: 'SchoolPhone 12', Software: 'Camera 1.0', ImageDescription: 'Nhà xe cổng sau' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '20/1 51/1 3000/100', GPSLongitudeRef: 'E', GPSLongitude: '106/1 41/1 1200/100' },
    })
    .toBuffer()
}

export interface TipFormInput {
  school?: string
  schoolCode?: string
  category?: string
  text?: string
  whenWhere?: string
  contact?: string
  danger?: 'co' | 'khong'
  photos?: { name: string; bytes: Buffer; type?: string }[]
}

export function tipForm(input: TipFormInput): FormData {
  const form = new FormData()
  form.set('truong', input.school ?? '')
  form.set('ma_truong', input.schoolCode ?? '')
  form.set('loai', input.category ?? '')
  form.set('noi_dung', input.text ?? '')
  form.set('thoi_gian_dia_diem', input.whenWhere ?? '')
  form.set('lien_he', input.contact ?? '')
  if (input.danger) form.set('nguy_hiem', input.danger)
  for (const photo of input.photos ?? []) form.append('anh', new Blob([photo.bytes], { type: photo.type ?? 'image/jpeg' }), photo.name)
  return form
}

/** The receipt code and passphrase on a confirmation page. */
export function receiptOf(html: string): { code: string; passphrase: string } {
  const code = /id="receipt-code">([^<]+)</.exec(html)?.[1]
  const passphrase = /id="passphrase" lang="vi">([^<]+)</.exec(html)?.[1]
  if (!code || !passphrase) throw new Error(`no receipt on the page:\n${html.slice(0, 2000)}`)
  return { code, passphrase }
}
