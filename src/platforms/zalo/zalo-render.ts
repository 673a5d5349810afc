/**
 * Core messages as Zalo shows them. CS and GMF messages carry no buttons (the CS button shape is
 * undocumented and GMF refuses templates), so buttons become text: action buttons numbered
 * choices the reader answers by typing, links "label: url" lines, deep links the command to type.
 */
import { foldVietnamese } from '../../core/fold.js'
import { toPlainText, type Button, type OutgoingMessage } from '../../core/message.js'
import { schoolCodeFromStartPayload } from '../../tips/tip-deep-link.js'
import { zaloMessages } from './messages.js'

export const zaloMaxTextLength = 2000

export interface Choice {
  number: number
  label: string
  data: string
}

export interface RenderedMessage {
  /** The message's own text, flattened: what an edit compares. */
  body: string
  /** What the reader gets: body, appended choices and link lines. */
  text: string
  choices: Choice[]
}

export function renderForZalo(message: OutgoingMessage): RenderedMessage {
  const body = toPlainText(message.text).trim()
  const buttons = (message.buttons ?? []).flat()
  const choices = numberChoices(body, buttons.filter((b): b is Extract<Button, { kind: 'action' }> => b.kind === 'action'))
  const appended = choices.filter((choice) => !choice.inText)
  const blocks = [body]
  if (appended.length) blocks.push([...appended.map((choice) => `${choice.number}. ${choice.label}`), zaloMessages.answerWithNumber].join('\n'))
  const lines = buttons.flatMap((button) => (button.kind === 'action' ? [] : [linkLine(button)]))
  if (lines.length) blocks.push(lines.join('\n'))
  return { body, text: blocks.filter(Boolean).join('\n\n'), choices: choices.map(({ number, label, data }) => ({ number, label, data })) }
}

function linkLine(button: Exclude<Button, { kind: 'action' }>): string {
  if (button.kind === 'url') return zaloMessages.urlLine(button.label, button.url)
  const school = schoolCodeFromStartPayload(button.payload)
  return school ? zaloMessages.tipLine(button.label, school) : zaloMessages.deepLinkLine(button.label, button.payload)
}

/**
 * Numbers for the action buttons. A feature that already lists its choices in the text ("1. 🙈 Ẩn
 * danh") keeps its numbers, so nothing is listed twice and typed numbers mean what the text says;
 * the other buttons (e.g. "✖️ Hủy") follow with the next numbers.
 */
function numberChoices(body: string, buttons: Extract<Button, { kind: 'action' }>[]): (Choice & { inText: boolean })[] {
  const listed = new Map<string, number>()
  for (const line of body.split('\n')) {
    const match = /^\s*(\d{1,2})[.)]\s+(.+?)\s*$/.exec(line)
    const label = match ? comparable(match[2]!) : ''
    if (match && label && !listed.has(label)) listed.set(label, Number(match[1]))
  }
  const used = new Set<number>()
  const numbered = buttons.map((button) => {
    const inText = listed.get(comparable(button.label))
    const fits = inText !== undefined && !used.has(inText)
    if (fits) used.add(inText)
    return { button, number: fits ? inText : undefined }
  })
  let next = Math.max(0, ...used) + 1
  return numbered.map(({ button, number }) => {
    if (number !== undefined) return { number, label: button.label, data: button.data, inText: true }
    while (used.has(next)) next++
    used.add(next)
    return { number: next, label: button.label, data: button.data, inText: false }
  })
}

/**
 * The choice a typed answer means: "2", "số 2", "2.", a copied line "2. 📞 Để lại liên hệ", or the
 * label itself without diacritics ("de lai lien he"). Commands, long texts and anything ambiguous
 * are not choices.
 */
export function matchChoice(text: string, choices: readonly Choice[]): Choice | undefined {
  const trimmed = text.trim()
  if (!trimmed || trimmed.startsWith('/') || trimmed.length > 120 || choices.length === 0) return undefined
  const typed = comparable(trimmed)
  const numbered = /^(?:so )?(\d{1,2})(?: (.+))?$/.exec(typed)
  if (numbered) {
    const choice = choices.find((c) => c.number === Number(numbered[1]))
    if (!choice) return undefined
    return numbered[2] === undefined || numbered[2] === comparable(choice.label) ? choice : undefined
  }
  const byLabel = choices.filter((c) => comparable(c.label) !== '' && comparable(c.label) === typed)
  return byLabel.length === 1 ? byLabel[0] : undefined
}

/** Folded, emoji and punctuation dropped: "✅ Gửi" and "gui" compare equal. */
export function comparable(text: string): string {
  return foldVietnamese(text)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
}

/**
 * Zalo takes 2,000 characters a message. Longer texts go as several messages, cut at a line
 * break, else a space, never inside a surrogate pair. Lengths are UTF-16 units: the cautious count.
 */
export function splitText(text: string, max = zaloMaxTextLength): string[] {
  const parts: string[] = []
  let rest = text
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max)
    if (cut < max / 2) cut = rest.lastIndexOf(' ', max)
    if (cut < max / 2) cut = max
    const code = rest.charCodeAt(cut - 1)
    if (code >= 0xd800 && code <= 0xdbff) cut--
    parts.push(rest.slice(0, cut).trimEnd())
    rest = rest.slice(cut).replace(/^[\n ]+/, '')
  }
  if (rest.length || parts.length === 0) parts.push(rest)
  return parts
}
