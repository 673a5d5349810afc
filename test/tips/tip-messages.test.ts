import { describe, expect, it } from 'vitest'
import { emergencyReply } from '../../src/tips/emergency.js'
import { tipMessages } from '../../src/tips/tip-messages.js'
import { parseHtml } from '../fakes/fake-telegram.js'

/** What a tipster or officer might type: tags, an ampersand, and the "<3" the statistics print. */
const typed = '<b>Nhóm</b> A & B <3 «x»'
const tipId = 'ACDEFGHJ'
const at = new Date('2026-06-15T02:00:00Z')

type Messages = typeof tipMessages
type Built = { [K in keyof Messages]: string }

/** Every message, built with typed text wherever a person's words go in. */
const built: Built = {
  intro: tipMessages.intro,
  askSchool: tipMessages.askSchool,
  schoolMatches: tipMessages.schoolMatches([typed, 'Trường THCS Ngô Quyền'], true),
  schoolNotFound: tipMessages.schoolNotFound(typed),
  schoolChosen: tipMessages.schoolChosen(typed),
  unlistedSchool: tipMessages.unlistedSchool(typed),
  askCategory: tipMessages.askCategory,
  categoryNotUnderstood: tipMessages.categoryNotUnderstood,
  askText: tipMessages.askText,
  askTextWithInitial: tipMessages.askTextWithInitial(typed),
  textTooLong: tipMessages.textTooLong(2001),
  textMissing: tipMessages.textMissing,
  photoReceived: tipMessages.photoReceived(2),
  photoAdded: tipMessages.photoAdded(3),
  tooManyPhotos: tipMessages.tooManyPhotos,
  askWhenWhere: tipMessages.askWhenWhere,
  whenWhereTooLong: tipMessages.whenWhereTooLong,
  askIdentity: tipMessages.askIdentity,
  askContact: tipMessages.askContact,
  contactTooLong: tipMessages.contactTooLong,
  review: tipMessages.review(tipMessages.reviewSummary({ school: typed, category: typed, text: typed, whenWhere: typed, photos: 2, contact: typed, urgent: true })),
  reviewSummary: tipMessages.reviewSummary({ school: typed, category: typed, text: typed, photos: 0, urgent: false }),
  editMenu: tipMessages.editMenu,
  choose: tipMessages.choose(4),
  cancelled: tipMessages.cancelled,
  nothingBefore: tipMessages.nothingBefore,
  expired: tipMessages.expired,
  staleButton: tipMessages.staleButton,
  restarted: tipMessages.restarted,
  receipt: tipMessages.receipt({ tipId, urgent: true, gentle: true, notified: 3, at, firstAnswer: { by: at, workingHours: true } }),
  emergencyFiled: tipMessages.emergencyFiled({ tipId, notified: 0, at, gentle: false }),
  askMoreAfterFiling: tipMessages.askMoreAfterFiling(true),
  relayedToFiled: tipMessages.relayedToFiled(0, at),
  askIdentityAfterFiling: tipMessages.askIdentityAfterFiling,
  askSchoolUrgent: tipMessages.askSchoolUrgent,
  askSchoolGentle: tipMessages.askSchoolGentle,
  askDanger: tipMessages.askDanger,
  additionsDone: tipMessages.additionsDone(tipId),
  filedStopped: tipMessages.filedStopped(tipId),
  filedDone: tipMessages.filedDone(tipId),
  zaloVisibility: tipMessages.zaloVisibility('https://antt.example.vn/bao-tin'),
  askAddition: tipMessages.askAddition(tipId),
  additionRelayed: tipMessages.additionRelayed(tipId, 2, at),
  additionFinished: tipMessages.additionFinished(tipId),
  additionClosed: tipMessages.additionClosed(tipId),
  additionUsage: tipMessages.additionUsage,
  afterClosed: tipMessages.afterClosed(tipId),
  afterClosedDeclined: tipMessages.afterClosedDeclined,
  statusEscalated: tipMessages.statusEscalated(tipId, 1, at),
  tipsterAdded: tipMessages.tipsterAdded(tipId, { text: typed, whenWhere: typed, contact: typed, photos: 1 }),
  cardAcknowledged: tipMessages.cardAcknowledged(typed, at),
  cardClosed: tipMessages.cardClosed(typed, at),
  cardRejected: tipMessages.cardRejected(typed, at),
  storeFailed: tipMessages.storeFailed,
  hourLimit: tipMessages.hourLimit(3, at),
  dayLimit: tipMessages.dayLimit(10, at),
  flood: tipMessages.flood(at),
  useGroupDeepLink: tipMessages.useGroupDeepLink,
  deepLinkLabel: tipMessages.deepLinkLabel,
  followUpUsage: tipMessages.followUpUsage,
  followUpNotFound: tipMessages.followUpNotFound,
  followUpInGroup: tipMessages.followUpInGroup,
  followUp: tipMessages.followUp({ tipId, category: typed, school: typed, status: 'closed', createdAt: at, acknowledgedAt: at, closedAt: at, forOfficer: { holder: typed, outcome: typed, purged: true } }),
  statusAcknowledged: tipMessages.statusAcknowledged(tipId),
  statusClosed: tipMessages.statusClosed(tipId),
  statusRejected: tipMessages.statusRejected(tipId),
  questionForTipster: tipMessages.questionForTipster(tipId, typed),
  answerLooksUrgent: tipMessages.answerLooksUrgent,
  answerRelayed: tipMessages.answerRelayed,
  answerSkipped: tipMessages.answerSkipped,
  answerTooLong: tipMessages.answerTooLong,
  officerStart: tipMessages.officerStart(typed, typed),
  officerTip: tipMessages.officerTip({ tipId, header: tipMessages.forwardedHeader(typed), school: typed, category: typed, text: typed, whenWhere: typed, photos: 2, photosHere: true, contact: typed, urgent: true, emergencyKinds: ['weapon', typed], createdAt: at, ackDueAt: at, status: tipMessages.cardAcknowledged(typed, at) }),
  photoCaption: tipMessages.photoCaption(tipId, 1, 2),
  notAnOfficer: tipMessages.notAnOfficer,
  notHolder: tipMessages.notHolder,
  tipGone: tipMessages.tipGone,
  tipFinished: tipMessages.tipFinished,
  tipPurged: tipMessages.tipPurged,
  alreadyAcknowledged: tipMessages.alreadyAcknowledged,
  acknowledgedToast: tipMessages.acknowledgedToast,
  acknowledged: tipMessages.acknowledged(tipId),
  askPrompt: tipMessages.askPrompt(tipId),
  questionSent: tipMessages.questionSent(tipId),
  tipsterUnavailable: tipMessages.tipsterUnavailable,
  tipsterAnswer: tipMessages.tipsterAnswer(tipId, typed, 1),
  forwardPrompt: tipMessages.forwardPrompt(tipId, [typed, 'Lê Thu Hà (Đầu mối ANTT của trường)']),
  forwardNobody: tipMessages.forwardNobody,
  forwarded: tipMessages.forwarded(tipId, typed),
  forwardedHeader: tipMessages.forwardedHeader(typed),
  closePrompt: tipMessages.closePrompt(tipId),
  outcomeTooLong: tipMessages.outcomeTooLong,
  closed: tipMessages.closed(tipId),
  rejectConfirm: tipMessages.rejectConfirm(tipId),
  rejected: tipMessages.rejected(tipId),
  pendingDropped: tipMessages.pendingDropped,
  pendingTypeText: tipMessages.pendingTypeText,
  escalatedHeader: tipMessages.escalatedHeader('late', '15 phút'),
  handedOnNotice: tipMessages.handedOnNotice(tipId, 'unreachable', typed),
  nobodyReachable: tipMessages.nobodyReachable(tipId),
  statusHandedOn: tipMessages.statusHandedOn(tipId, 2, at),
  escalationNotice: tipMessages.escalationNotice(tipId, '4 giờ làm việc', typed, typed),
  nobodyLeft: tipMessages.nobodyLeft(tipId, '15 phút', typed),
  reminder: tipMessages.reminder(tipId, 3),
  tipsterUnreachable: tipMessages.tipsterUnreachable(tipId),
  tipsterWaiting: tipMessages.tipsterWaiting(tipId),
  ackWindow: tipMessages.ackWindow({ workingHours: 1.5 }),
  unknownOfficer: tipMessages.unknownOfficer(typed).replace(/[<>&]/g, ''), // a label, escaped where it is used
  statsOnlyCoordinator: tipMessages.statsOnlyCoordinator,
  statsBadWindow: tipMessages.statsBadWindow,
}

/** Messages that carry typed text: it must come out exactly as typed, not as markup. */
const carryingTyped = (Object.keys(built) as (keyof Built)[]).filter((name) => built[name].includes('&lt;b&gt;'))

describe('every message of the tips feature', () => {
  it.each(Object.keys(built) as (keyof Built)[])('%s is HTML Telegram accepts', (name) => {
    expect(() => parseHtml(built[name])).not.toThrow()
  })

  it.each(carryingTyped)('%s shows typed text as typed', (name) => {
    expect(parseHtml(built[name]).text).toContain(typed)
  })

  it('includes the emergency reply', () => {
    const reply = emergencyReply({ hotlines: ['114'], advice: ['Rời khỏi phòng, đừng quay lại lấy đồ.'] })
    expect(() => parseHtml(reply)).not.toThrow()
    expect(parseHtml(reply).text).toMatch(/^🚨 Hãy gọi ngay 114/)
  })

  it('covers most messages that show what someone typed', () => {
    expect(carryingTyped.length).toBeGreaterThan(15)
  })
})

describe('the Zalo visibility line', () => {
  it('offers the web page only where a phone can open it', () => {
    expect(tipMessages.zaloVisibility('https://antt.example.vn/bao-tin')).toContain('hãy báo tin qua trang web: https://antt.example.vn/bao-tin')
    expect(tipMessages.zaloVisibility(undefined)).toBe('ℹ️ Trên Zalo, quản trị viên OA thấy được tài khoản Zalo nhắn tới OA (cán bộ nhận tin thì không).')
  })
})
