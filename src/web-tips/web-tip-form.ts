import type { Directory } from '../directory/directory.js'
import type { School } from '../directory/model.js'
import { categoryById } from '../tips/categories.js'
import { maxWebPhotos } from '../tips/web-photos.js'
import { fieldErrors, maxWebContactLength, maxWebTextLength, maxWebWhenWhereLength } from './messages.js'

/** What the student typed, sent back into the form on any error so nothing is lost. */
export interface TipFormValues {
  schoolQuery: string
  /** A school picked from the list (the page's search, or the choices after an ambiguous name). */
  schoolCode: string
  category: string
  text: string
  whenWhere: string
  contact: string
  /** The answer to "are you or someone in danger now?": 'co', 'khong' or unanswered. */
  danger: '' | 'co' | 'khong'
}

export interface UploadedPhoto {
  name: string
  bytes: Buffer
}

export type TipFormField = 'school' | 'category' | 'text' | 'whenWhere' | 'photos' | 'contact' | 'danger'
export type TipFormErrors = Partial<Record<TipFormField, string>>

export const emptyTipForm: TipFormValues = { schoolQuery: '', schoolCode: '', category: '', text: '', whenWhere: '', contact: '', danger: '' }

/** A form body (urlencoded or multipart) read with the platform's own parser (undici's FormData). */
export async function readForm(body: Buffer, contentType: string | undefined): Promise<FormData | undefined> {
  if (!contentType || !/^(multipart\/form-data|application\/x-www-form-urlencoded)/i.test(contentType)) return undefined
  try {
    return await new Request('http://form.invalid/', { method: 'POST', headers: { 'content-type': contentType }, body }).formData()
  } catch {
    return undefined
  }
}

export function textField(form: FormData | undefined, name: string): string {
  const value = form?.get(name)
  return typeof value === 'string' ? value.normalize('NFC').replace(/\r\n/g, '\n').trim() : ''
}

export async function tipFormFrom(form: FormData | undefined): Promise<{ values: TipFormValues; photos: UploadedPhoto[] }> {
  const danger = textField(form, 'nguy_hiem')
  // A school picked among the choices an ambiguous name gave wins over whatever the box still says.
  const chosen = textField(form, 'chon_truong')
  const values: TipFormValues = {
    schoolQuery: chosen ? '' : textField(form, 'truong'),
    schoolCode: chosen || textField(form, 'ma_truong'),
    category: textField(form, 'loai'),
    text: textField(form, 'noi_dung'),
    whenWhere: textField(form, 'thoi_gian_dia_diem'),
    contact: textField(form, 'lien_he'),
    danger: danger === 'co' || danger === 'khong' ? danger : '',
  }
  const photos: UploadedPhoto[] = []
  for (const entry of form?.getAll('anh') ?? []) {
    // An empty file input still sends one part with no name and no bytes.
    if (typeof entry === 'string' || (entry.size === 0 && !entry.name)) continue
    photos.push({ name: entry.name.slice(0, 80) || 'ảnh', bytes: Buffer.from(await entry.arrayBuffer()) })
  }
  return { values, photos }
}

/** The school the student meant: a picked code, else the one school the typed name matches. */
export async function resolveSchool(directory: Directory, values: TipFormValues): Promise<{ school?: School; choices: School[]; error?: string }> {
  if (values.schoolCode) {
    const school = await directory.getSchool(values.schoolCode)
    // Without the script the preselected code stays in the form: typing another name overrides it.
    const typedOther = values.schoolQuery !== '' && values.schoolQuery !== school?.name && values.schoolQuery.toUpperCase() !== school?.code
    if (school && !typedOther) return { school, choices: [] }
  }
  const typed = values.schoolQuery
  if (!typed) return { choices: [], error: fieldErrors.schoolMissing }
  const exact = /^[A-Za-z0-9-]+$/.test(typed) ? await directory.getSchool(typed.toUpperCase()) : undefined
  if (exact) return { school: exact, choices: [] }
  const found = await directory.findSchools(typed, 8)
  if (found.length === 1) return { school: found[0], choices: [] }
  if (found.length === 0) return { choices: [], error: fieldErrors.schoolNotFound(typed) }
  return { choices: found, error: fieldErrors.schoolAmbiguous }
}

/** Each field's problem, in Vietnamese, shown next to it. Photos are checked when they are cleaned. */
export function checkTipForm(values: TipFormValues, photoCount: number): TipFormErrors {
  const errors: TipFormErrors = {}
  if (!categoryById(values.category)) errors.category = fieldErrors.categoryMissing
  const textLength = [...values.text].length
  if (textLength === 0) errors.text = fieldErrors.textMissing
  else if (textLength > maxWebTextLength) errors.text = fieldErrors.textTooLong(textLength)
  const whenWhereLength = [...values.whenWhere].length
  if (whenWhereLength > maxWebWhenWhereLength) errors.whenWhere = fieldErrors.whenWhereTooLong(whenWhereLength)
  const contactLength = [...values.contact].length
  if (contactLength > maxWebContactLength) errors.contact = fieldErrors.contactTooLong(contactLength)
  if (photoCount > maxWebPhotos) errors.photos = fieldErrors.tooManyPhotos
  return errors
}
