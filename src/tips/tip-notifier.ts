import type { SendRequest } from '../core/handler.js'
import type { DeliveryTag } from '../delivery/delivery-job.js'
import { actionButton, type Button, type OutgoingMessage } from '../core/message.js'
import { chatKey, type ChatRef } from '../core/platform.js'
import type { Directory } from '../directory/directory.js'
import { officerChats, officerRoleLabels, type Officer } from '../directory/model.js'
import type { IdentityCipher } from './identity-cipher.js'
import { officersNamedIn } from './routing.js'
import { buttonLabels, categoryLabel, tipMessages } from './tip-messages.js'
import { isOpen, unlistedSchoolCode, type Tip, type TipPhoto } from './tip.js'

/** ctx.send in a handler, outbox.send elsewhere: every message still goes through the outbox. */
export type TipSender = (to: ChatRef, message: OutgoingMessage, request: SendRequest) => Promise<void>

/** Officer buttons: "tip:<action>:<tip id>[:<officer id>]", at most 8 + 1 + 8 + 1 + 40 = 58 bytes. */
export const officerButtonPrefix = 'tip'

export function officerTipButtons(tipId: string, acknowledged = false): Button[][] {
  const data = (action: string) => `${officerButtonPrefix}:${action}:${tipId}`
  const ask = actionButton(buttonLabels.ask, data('ask'))
  return [
    acknowledged ? [ask] : [actionButton(buttonLabels.acknowledge, data('ack')), ask],
    [actionButton(buttonLabels.forward, data('fwd')), actionButton(buttonLabels.close, data('done'))],
    [actionButton(buttonLabels.reject, data('rej'))],
  ]
}

/**
 * Who may act on a tip now: before anyone takes it up, everyone it was sent to (escalation adds
 * people and never takes the right away); after, the one who took it up. Coordinators always.
 */
export function mayActOn(officer: Pick<Officer, 'id' | 'role'>, tip: Pick<Tip, 'holder' | 'holders' | 'status'>): boolean {
  if (officer.role === 'coordinator' || officer.id === tip.holder) return true
  return tip.status === 'new' && tip.holders.includes(officer.id)
}

/** The buttons that still apply for this officer: none on a finished tip, no Tiếp nhận once taken up. */
export function buttonsFor(tip: Pick<Tip, 'id' | 'holder' | 'holders' | 'status'>, viewer?: Pick<Officer, 'id' | 'role'>): Button[][] | undefined {
  if (!isOpen(tip)) return undefined
  if (viewer && !mayActOn(viewer, tip)) return undefined
  return officerTipButtons(tip.id, tip.status === 'acknowledged')
}

/**
 * Marks an officer's copy of a tip (the card with its buttons), so the delivery hooks can keep
 * its message id for later edits, and learn that the officer cannot be reached.
 */
export const tipCardTagKind = 'tip-card'

export function tipCardTag(tipId: string, officerId: string): DeliveryTag {
  return { kind: tipCardTagKind, ref: `${tipId}:${officerId}` }
}

export function parseTipCardTag(tag: DeliveryTag | undefined): { tipId: string; officerId: string } | undefined {
  if (tag?.kind !== tipCardTagKind) return undefined
  const split = tag.ref.indexOf(':')
  return split > 0 ? { tipId: tag.ref.slice(0, split), officerId: tag.ref.slice(split + 1) } : undefined
}

export function officerLabel(officer: Officer): string {
  return `${officer.name} (${officerRoleLabels[officer.role]})`
}

export async function schoolLabel(directory: Directory, tip: Pick<Tip, 'schoolCode' | 'schoolNote'>): Promise<string> {
  if (tip.schoolCode === unlistedSchoolCode) return tipMessages.unlistedSchool(tip.schoolNote)
  return (await directory.getSchool(tip.schoolCode))?.name ?? tip.schoolCode
}

/**
 * The tip as an officer sees it: never the tipster's name, username or id, only a contact they
 * chose to leave. With `viewer`, only the buttons that officer may still use.
 */
export async function officerTipMessage(directory: Directory, tip: Tip, chat: ChatRef, header?: string, viewer?: Officer): Promise<OutgoingMessage> {
  return {
    text: tipMessages.officerTip({
      tipId: tip.id,
      header,
      school: await schoolLabel(directory, tip),
      category: categoryLabel(tip.category),
      text: tip.text,
      whenWhere: tip.whenWhere,
      photos: tip.photos.length,
      photosHere: tip.photos.some((photo) => photo.platform === chat.platform || photo.platform === 'web'),
      contact: tip.anonymous ? undefined : tip.contact,
      urgent: tip.urgent,
      emergencyKinds: tip.emergencyKinds,
      createdAt: tip.createdAt,
      ackDueAt: tip.status === 'new' ? tip.ackDueAt : undefined,
      status: await statusLine(directory, tip),
    }),
    buttons: buttonsFor(tip, viewer),
  }
}

/** "Đã được Lê Thu Hà tiếp nhận lúc 07:35", "Đã xử lý lúc 10:02": where a card's tip stands. */
async function statusLine(directory: Directory, tip: Tip): Promise<string | undefined> {
  if (tip.status === 'new') return undefined
  const holder = tip.holder ? await directory.getOfficer(tip.holder) : undefined
  const name = holder?.name ?? tipMessages.unknownOfficer(tip.holder ?? '?')
  if (tip.status === 'acknowledged') return tipMessages.cardAcknowledged(name, tip.acknowledgedAt ?? tip.createdAt)
  return tip.status === 'closed' ? tipMessages.cardClosed(name, tip.closedAt ?? tip.createdAt) : tipMessages.cardRejected(name, tip.closedAt ?? tip.createdAt)
}

/**
 * Photos as separate messages, only to chats on the platform they came from (a file id means
 * nothing elsewhere); the web page's photos, kept by us, go to every platform as uploads.
 */
export function photoMessages(photos: readonly TipPhoto[], chat: ChatRef, caption: (index: number, count: number) => string): OutgoingMessage[] {
  const usable = photos.filter((photo) => (photo.platform === 'web' ? photo.stored : photo.platform === chat.platform && (photo.fileId || photo.url)))
  return usable.map((photo, index) => ({
    text: caption(index + 1, usable.length),
    photo: { source: photo.stored ? { kind: 'stored', ref: photo.stored } : photo.fileId ? { kind: 'platform', platform: photo.platform, fileId: photo.fileId } : { kind: 'url', url: photo.url! } },
  }))
}

/**
 * The whole tip, then its photos, to every chat of `officer`. `tag` makes the idempotency keys:
 * the same tag twice is one delivery, a new hand-over needs a new tag.
 */
export async function sendTipToOfficer(send: TipSender, directory: Directory, tip: Tip, officer: Officer, tag: string, header?: string, chats: readonly ChatRef[] = officerChats(officer)): Promise<void> {
  for (const chat of chats) {
    const base = `tip:${tip.id}:to-officer:${tag}:${officer.id}:${chatKey(chat)}`
    await send(chat, await officerTipMessage(directory, tip, chat, header, officer), { key: base, purpose: 'tip', tag: tipCardTag(tip.id, officer.id) })
    const photos = photoMessages(tip.photos, chat, (index, count) => tipMessages.photoCaption(tip.id, index, count))
    for (const [index, message] of photos.entries()) await send(chat, message, { key: `${base}:photo:${index}`, purpose: 'tip' })
  }
}

/** A short line (and optionally the tip's buttons) to every chat of `officer`. */
export async function sendNoticeToOfficer(send: TipSender, officer: Officer, tipId: string, tag: string, text: string, withButtons = false, acknowledged = false): Promise<void> {
  for (const chat of officerChats(officer)) {
    await send(chat, { text, buttons: withButtons ? officerTipButtons(tipId, acknowledged) : undefined }, { key: `tip:${tipId}:to-officer:${tag}:${officer.id}:${chatKey(chat)}`, purpose: 'tip-status' })
  }
}

/** Where the tipster is: opened from the sealed ref only now, to send, and never kept. */
export function tipsterChat(cipher: IdentityCipher, tip: Pick<Tip, 'tipsterSealed'>): ChatRef | undefined {
  if (!tip.tipsterSealed) return undefined
  try {
    const ref = JSON.parse(cipher.open(tip.tipsterSealed)) as ChatRef
    return typeof ref.platform === 'string' && typeof ref.chatId === 'string' ? ref : undefined
  } catch {
    return undefined
  }
}

/** Keys of messages to the tipster: "tip:<id>:to-tipster:<tag>", one delivery per tag. */
export function tipsterMessageKey(tipId: string, tag: string): string {
  return `tip:${tipId}:to-tipster:${tag}`
}

/**
 * Carried on every delivery to a tipster, so a failed one can be traced to its tip: the outbox
 * stores only a digest of the key, and the tag holds the receipt code, never the tipster.
 */
export const tipsterDeliveryTagKind = 'tip-to-tipster'

export function tipsterDeliveryTag(tipId: string): DeliveryTag {
  return { kind: tipsterDeliveryTagKind, ref: tipId }
}

export async function sendToTipster(send: TipSender, cipher: IdentityCipher, tip: Tip, message: OutgoingMessage, tag: string, purpose: 'tip-relay' | 'tip-status'): Promise<boolean> {
  const chat = tipsterChat(cipher, tip)
  if (!chat) return false
  await send(chat, message, { key: tipsterMessageKey(tip.id, tag), purpose, tag: tipsterDeliveryTag(tip.id) })
  return true
}

/**
 * Officers who may be handed a tip: its chain, the school's own people, and the coordinators;
 * never one the tip names, as routing left them out for that reason.
 */
export function forwardCandidates(tip: Pick<Tip, 'chain' | 'holder' | 'schoolCode' | 'text'>, officers: readonly Officer[], schoolWard: string | undefined): Officer[] {
  const named = new Set(officersNamedIn(tip.text, [...officers]).map((o) => o.id))
  const byId = new Map(officers.map((o) => [o.id, o]))
  const fromChain = tip.chain.map((id) => byId.get(id)).filter((o): o is Officer => o !== undefined)
  const ofSchool = officers.filter(
    (o) => o.schools.includes(tip.schoolCode) || (o.role === 'ward-police' && schoolWard !== undefined && o.wards.some((w) => sameText(w, schoolWard))),
  )
  const coordinators = officers.filter((o) => o.role === 'coordinator')
  const seen = new Set<string>()
  return [...fromChain, ...ofSchool, ...coordinators].filter((o) => {
    if (o.id === tip.holder || named.has(o.id) || seen.has(o.id) || officerChats(o).length === 0) return false
    seen.add(o.id)
    return true
  })
}

function sameText(a: string, b: string): boolean {
  return a.normalize('NFC').toLowerCase().trim() === b.normalize('NFC').toLowerCase().trim()
}

/**
 * Whoever should hear what the tipster says now: everyone the tip was sent to while nobody has
 * taken it up, then the one who did; the coordinators when there is nobody.
 */
export async function currentRecipients(directory: Directory, tip: Pick<Tip, 'status' | 'holder' | 'holders'>): Promise<Officer[]> {
  const ids = tip.status === 'new' ? tip.holders : tip.holder ? [tip.holder] : []
  const officers = (await Promise.all(ids.map((id) => directory.getOfficer(id)))).filter((o): o is Officer => o !== undefined)
  return officers.length > 0 ? officers : directory.coordinators()
}
