import type { SendRequest } from '../core/handler.js'
import type { DeliveryTag } from '../delivery/delivery-job.js'
import { actionButton, type Button, type OutgoingMessage } from '../core/message.js'
import { chatKey, type ChatRef } from '../core/platform.js'
import type { Directory } from '../directory/directory.js'
import { officerChats, officerRoleLabels, type Officer } from '../directory/model.js'
import type { IdentityCipher } from './identity-cipher.js'
import { officersNamedIn } from './routing.js'
import { buttonLabels, categoryLabel, tipMessages } from './tip-messages.js'
import { unlistedSchoolCode, type Tip, type TipPhoto } from './tip.js'

/** ctx.send in a handler, outbox.send elsewhere: every message still goes through the outbox. */
export type TipSender = (to: ChatRef, message: OutgoingMessage, request: SendRequest) => Promise<void>

/** Officer buttons: "tip:<action>:<tip id>[:<officer id>]", at most 8 + 1 + 8 + 1 + 40 = 58 bytes. */
export const officerButtonPrefix = 'tip'

export function officerTipButtons(tipId: string): Button[][] {
  const data = (action: string) => `${officerButtonPrefix}:${action}:${tipId}`
  return [
    [actionButton(buttonLabels.acknowledge, data('ack')), actionButton(buttonLabels.ask, data('ask'))],
    [actionButton(buttonLabels.forward, data('fwd')), actionButton(buttonLabels.close, data('done'))],
    [actionButton(buttonLabels.reject, data('rej'))],
  ]
}

export function officerLabel(officer: Officer): string {
  return `${officer.name} (${officerRoleLabels[officer.role]})`
}

export async function schoolLabel(directory: Directory, tip: Pick<Tip, 'schoolCode' | 'schoolNote'>): Promise<string> {
  if (tip.schoolCode === unlistedSchoolCode) return tipMessages.unlistedSchool(tip.schoolNote)
  return (await directory.getSchool(tip.schoolCode))?.name ?? tip.schoolCode
}

/** The tip as an officer sees it: never the tipster's name, username or id, only a contact they chose to leave. */
export async function officerTipMessage(directory: Directory, tip: Tip, chat: ChatRef, header?: string): Promise<OutgoingMessage> {
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
    }),
    buttons: tip.status === 'new' || tip.status === 'acknowledged' ? officerTipButtons(tip.id) : undefined,
  }
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
export async function sendTipToOfficer(send: TipSender, directory: Directory, tip: Tip, officer: Officer, tag: string, header?: string): Promise<void> {
  for (const chat of officerChats(officer)) {
    const base = `tip:${tip.id}:to-officer:${tag}:${officer.id}:${chatKey(chat)}`
    await send(chat, await officerTipMessage(directory, tip, chat, header), { key: base, purpose: 'tip' })
    const photos = photoMessages(tip.photos, chat, (index, count) => tipMessages.photoCaption(tip.id, index, count))
    for (const [index, message] of photos.entries()) await send(chat, message, { key: `${base}:photo:${index}`, purpose: 'tip' })
  }
}

/** A short line (and optionally the tip's buttons) to every chat of `officer`. */
export async function sendNoticeToOfficer(send: TipSender, officer: Officer, tipId: string, tag: string, text: string, withButtons = false): Promise<void> {
  for (const chat of officerChats(officer)) {
    await send(chat, { text, buttons: withButtons ? officerTipButtons(tipId) : undefined }, { key: `tip:${tipId}:to-officer:${tag}:${officer.id}:${chatKey(chat)}`, purpose: 'tip-status' })
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
