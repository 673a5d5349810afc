import type { Logger } from 'pino'
import type { Directory } from '../directory/directory.js'
import type { School } from '../directory/model.js'
import { detectEmergency, emergencyReply, type EmergencyRules } from '../tips/emergency.js'
import { fileTip, type TipFilingDeps } from '../tips/tip-filing.js'
import type { TipSender } from '../tips/tip-notifier.js'
import type { Tip } from '../tips/tip.js'
import { hashPassphrase, newPassphrase } from '../tips/web-passphrase.js'
import { cleanPhoto, type WebPhotoStore } from '../tips/web-photos.js'
import type { WebThread } from '../tips/web-thread.js'
import { fieldErrors } from './messages.js'
import { checkTipForm, resolveSchool, type TipFormErrors, type TipFormValues, type UploadedPhoto } from './web-tip-form.js'
import type { WebTipGuard } from './web-tip-guard.js'
import { SlotsBusyError, type WorkSlots } from './work-slots.js'

export interface WebTipIntakeDeps {
  filing: TipFilingDeps
  send: TipSender
  directory: Directory
  thread: WebThread
  photos: WebPhotoStore
  guard: WebTipGuard
  emergencyRules: EmergencyRules
  logger: Logger
  /** Photo decoding and scrypt share these, so a flood cannot take the thread pool. */
  slots: WorkSlots
}

export type IntakeResult =
  | { kind: 'invalid'; errors: TipFormErrors; school?: School; schoolChoices: School[] }
  | { kind: 'busy' }
  | { kind: 'filed'; tip: Tip; passphrase: string; officers: number; hotlineLines?: string[] }

/**
 * A tip from the web page, through the same filing as a chat tip (triage, routing, officer card,
 * SLA). It gets a receipt code and a passphrase; only the passphrase's scrypt hash is kept.
 */
export async function intakeWebTip(deps: WebTipIntakeDeps, values: TipFormValues, uploads: UploadedPhoto[], now: Date): Promise<IntakeResult> {
  const errors = checkTipForm(values, uploads.length)
  const resolved = await resolveSchool(deps.directory, values)
  if (resolved.error) errors.school = resolved.error
  const match = detectEmergency(deps.emergencyRules, [values.text, values.whenWhere].filter(Boolean).join('\n'))
  // "Possible" danger (a negation, a past event) needs the student's own answer before it is urgent or not.
  if (match?.level === 'possible' && values.danger === '' && !errors.text) errors.danger = fieldErrors.dangerUnanswered
  const cleaned: Buffer[] = []
  if (!errors.photos) {
    for (const upload of uploads) {
      const result = await deps.slots.run(() => cleanPhoto(upload.bytes)).catch((error: unknown) => {
        if (error instanceof SlotsBusyError) return 'busy' as const
        throw error
      })
      if (result === 'busy') return { kind: 'busy' }
      if (result.ok) cleaned.push(result.jpeg)
      else {
        errors.photos = result.problem === 'too-large' ? fieldErrors.photoTooLarge(upload.name) : result.problem === 'not-an-image' ? fieldErrors.photoNotImage(upload.name) : fieldErrors.photoUnreadable(upload.name)
        break
      }
    }
  }
  if (Object.values(errors).some(Boolean) || !resolved.school) return { kind: 'invalid', errors, school: resolved.school, schoolChoices: resolved.choices }

  const urgent = match?.level === 'emergency' || values.danger === 'co'
  // Urgent tips are never held back by the global rate: danger matters more than a flood.
  if (!urgent && !(await deps.guard.takeTipSlot(now))) return { kind: 'busy' }
  const passphrase = newPassphrase()
  // The tip is filed even when the slots are full: it has passed every limit, and losing it would be worse.
  const hash = await hashPassphrase(passphrase)
  const refs = await deps.photos.save(cleaned)
  const filed = await fileTip(
    deps.filing,
    deps.send,
    {
      schoolCode: resolved.school.code,
      category: values.category,
      text: values.text,
      ...(values.whenWhere ? { whenWhere: values.whenWhere } : {}),
      photos: refs.map((ref) => ({ platform: 'web' as const, stored: ref })),
      urgent,
      emergencyKinds: urgent ? (match?.kinds ?? []) : [],
      anonymous: !values.contact,
      ...(values.contact ? { contact: values.contact } : {}),
    },
    now,
  )
  await deps.thread.saveCredential(filed.tip.id, hash.encoded)
  await deps.photos.attach(filed.tip.id, refs)
  deps.logger.info({ tipId: filed.tip.id, urgent, photos: refs.length }, 'web tip filed')
  const hotlineLines = urgent ? emergencyReply(match ?? { hotlines: [] }).split('\n') : undefined
  return { kind: 'filed', tip: filed.tip, passphrase, officers: filed.notified.length, hotlineLines }
}
