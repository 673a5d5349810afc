import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { formatReceiptCode } from '../../../src/tips/receipt-code.js'
import { TipSessions } from '../../../src/tips/tip-sessions.js'
import { IdentityCipher } from '../../../src/tips/identity-cipher.js'
import type { EmergencyMatch } from '../../../src/tips/emergency.js'
import { key, TipsHarness, type Outgoing } from './tips-harness.js'

const student = 700
const drugsOfficer = '100000005'
const focalPoint = '100000004'
const coordinator = '100000001'

let h: TipsHarness

beforeEach(async () => {
  h = await new TipsHarness().start()
})
afterEach(async () => {
  await h.stop()
})

const steps = ['school', 'category', 'text', 'when-where', 'identity', 'contact', 'review'] as const
type Step = (typeof steps)[number]

/** A phrase of each step's question. */
const question: Record<Step, string> = {
  school: 'liên quan đến trường nào',
  category: 'thuộc loại nào',
  text: 'kể việc đã xảy ra',
  'when-where': 'khi nào, ở đâu',
  identity: 'gửi ẩn danh, hay để lại',
  contact: 'tên và số điện thoại',
  review: 'Xem lại tin báo',
}

const answers: Record<Exclude<Step, 'review'>, string> = {
  school: 'Ngô Quyền',
  category: '1',
  text: 'Có người lạ bán thuốc lá điện tử ở cổng sau.',
  'when-where': 'giờ tan học chiều nay',
  identity: '2',
  contact: 'Bình 0912 345 678',
}

async function reach(step: Step, user: number = student): Promise<void> {
  h.clock.advance(60_000) // each run of answers in its own minute, under the flood limit
  await h.text(user, '/baotin')
  for (const earlier of steps.slice(0, steps.indexOf(step))) await h.text(user, answers[earlier as Exclude<Step, 'review'>])
  expect(last(user).plain).toContain(question[step])
}

function last(user: number | string): Outgoing {
  return h.to(user).filter((m) => m.kind !== 'toast').at(-1)!
}

function sessions(): TipSessions {
  return new TipSessions(h.redis, h.keys)
}

function pseudonym(user: number): string {
  return new IdentityCipher(key).pseudonym(`telegram:${user}`)
}

describe('filing a tip', () => {
  it('files the tip of a press redelivered after the process died while filing, with one receipt', async () => {
    for (const typed of ['/baotin', 'Ngô Quyền', '1', 'Có người lạ bán thuốc lá điện tử ở cổng sau.', 'bỏ qua', '1']) await h.text(student, typed)
    // The dead process held the draft for its press of "gửi" when it was killed; another press may not file it.
    expect(await sessions().claimDraftForFiling(pseudonym(student), 'telegram:press-1')).toMatchObject({ step: 'review' })
    expect(await sessions().claimDraftForFiling(pseudonym(student), 'telegram:press-2')).toBeUndefined()

    const redelivered = await h.text(student, 'gửi', { eventId: 'press-1' })
    const code = /Mã tin báo: ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(redelivered.map((m) => m.plain).join('\n'))?.[1]
    expect(code, h.describe(student)).toBeDefined()
    expect(redelivered.filter((m) => m.chatId === String(student) && m.plain.includes('Mã tin báo'))).toHaveLength(1)
    expect(new Set(h.outbox.filter((m) => m.purpose === 'tip').map((m) => /([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(m.plain)?.[1]))).toEqual(new Set([code]))
    // A different, later press finds no draft.
    expect((await h.text(student, 'gửi')).map((m) => m.plain).join('\n')).not.toContain('Mã tin báo')
  })

  it('walks school → category → what happened → when and where → contact → review, and reaches the right officer', async () => {
    const said = await h.text(student, 'em muốn báo tin', { name: 'Nguyễn Văn Bình', username: 'binh_2010' })
    expect(said.map((m) => m.plain).join('\n')).toContain('trường nào')
    for (const step of steps.slice(0, -1)) {
      if (step === 'text') await h.text(student, answers.text, { photos: ['AgACAgIAAxkBAAIB_photo1'] })
      else await h.text(student, answers[step as Exclude<Step, 'review'>])
    }
    expect(last(student).plain).toContain('Xem lại tin báo')
    expect(last(student).plain).toContain('Liên hệ để lại: Bình 0912 345 678')

    const receipt = (await h.pressLabel(student, 'Gửi')).filter((m) => m.chatId === String(student))
    const code = /Mã tin báo: ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(receipt[0]!.plain)![1]!
    expect(receipt[0]!.plain).toContain(`/theodoi ${code}`)
    const tip = (await h.feature.store.get(code.replace('-', '')))!
    expect(tip).toMatchObject({ schoolCode: 'THCS-NGO-QUYEN', category: 'ma-tuy', text: answers.text, whenWhere: answers['when-where'], contact: 'Bình 0912 345 678', anonymous: false, status: 'new', holder: 'gv-ngo-quyen-matuy', urgent: false })
    expect(tip.photos).toEqual([{ platform: 'telegram', fileId: 'AgACAgIAAxkBAAIB_photo1' }])

    const [notification, photo] = h.to(drugsOfficer)
    expect(notification!.purpose).toBe('tip')
    for (const fragment of [code, 'Trường THCS Ngô Quyền', 'Ma túy', answers.text, answers['when-where'], 'Bình 0912 345 678', '09:0']) expect(notification!.plain).toContain(fragment)
    expect(notification!.buttons.map((b) => b.label)).toEqual(['✅ Tiếp nhận', '💬 Hỏi thêm', '↪️ Chuyển', '🏁 Đã xử lý', '🚫 Tin sai / trùng'])
    for (const button of notification!.buttons) {
      expect(button.data!.startsWith('tip:')).toBe(true)
      expect(Buffer.byteLength(button.data!)).toBeLessThanOrEqual(64)
    }
    expect(photo).toMatchObject({ photoFileId: 'AgACAgIAAxkBAAIB_photo1' })
    const officerSaw = h.to(drugsOfficer).map((m) => m.text).join('\n')
    for (const secret of [String(student), 'binh_2010', 'Nguyễn Văn Bình']) expect(officerSaw).not.toContain(secret)
  })

  it('answers typed numbers and typed names wherever it offers buttons', async () => {
    await h.text(student, '/baotin')
    const list = await h.text(student, 'truong')
    expect(list[0]!.plain).toContain('1. Trường Mầm non Hoa Sen')
    expect(list[0]!.plain).toContain('2. Trường Tiểu học Lê Văn Tám')
    expect(list[0]!.plain).not.toContain('GDTX')
    expect(list[0]!.buttons.slice(0, 4).map((b) => b.label)).toContain('Trường Tiểu học Lê Văn Tám')
    await h.text(student, '2')
    expect(last(student).plain).toContain('Trường Tiểu học Lê Văn Tám')
    await h.text(student, 'bao luc hoc duong')
    expect(last(student).plain).toContain(question.text)
    await h.text(student, 'Một nhóm bạn hay trêu chọc, xin tiền bạn lớp 5B sau giờ học.')
    await h.text(student, '1')
    expect(last(student).plain).toContain(question.identity)
    await h.text(student, 'ẩn danh')
    expect(last(student).plain).toContain('Ẩn danh')
    expect(last(student).plain).toContain('Thời gian, địa điểm: không rõ')
    await h.text(student, '1')
    expect(last(student).plain).toContain('Mã tin báo')
    const tipId = /([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(last(student).plain)![1]!.replace('-', '')
    expect(await h.feature.store.get(tipId)).toMatchObject({ schoolCode: 'TH-LE-VAN-TAM', category: 'bao-luc', anonymous: true })
  })

  it.each(steps)('cancels at the %s step, by button or by typing huy, hủy, /huy or HỦY', async (step) => {
    for (const how of ['button', 'huy', 'hủy', '/huy', 'HỦY']) {
      await reach(step)
      const said = how === 'button' ? await h.pressLabel(student, 'Hủy') : await h.text(student, how)
      expect(said.at(-1)!.plain).toContain('Đã hủy tin báo đang soạn')
      expect(await sessions().getDraft(pseudonym(student))).toBeUndefined()
    }
    expect(await h.feature.store.openIds()).toEqual([])
  })

  it.each(steps.slice(1))('goes back one step from the %s step, by button or by typing quay lai', async (step) => {
    const previous = step === 'review' ? 'contact' : steps[steps.indexOf(step) - 1]!
    for (const how of ['button', 'quay lai', 'Quay lại']) {
      await reach(step)
      const said = how === 'button' ? await h.pressLabel(student, 'Quay lại') : await h.text(student, how)
      expect(said.at(-1)!.plain).toContain(question[previous])
      await h.text(student, 'huy')
    }
  })

  it('takes a bare number as the answer where the answer is free text, never as "cancel"', async () => {
    await reach('when-where')
    await h.text(student, '3')
    expect(last(student).plain).toContain(question.identity)
    expect((await sessions().getDraft(pseudonym(student)))?.whenWhere).toBe('3')
  })

  it('numbers every button of a pure choice, navigation last, as a numbered menu shows them', async () => {
    await reach('identity')
    expect(last(student).buttons.map((b) => b.label)).toEqual(['🙈 Ẩn danh', '📞 Để lại liên hệ', '⬅️ Quay lại', '✖️ Hủy'])
    await h.text(student, '3')
    expect(last(student).plain).toContain(question['when-where'])
    await h.text(student, 'bỏ qua')
    await h.text(student, '4')
    expect(last(student).plain).toContain('Đã hủy')
  })

  it('stays at the first step when asked to go back from it', async () => {
    await h.text(student, '/baotin')
    const said = await h.text(student, 'quay lại')
    expect(said[0]!.plain).toContain('bước đầu tiên')
    expect(said[0]!.plain).toContain(question.school)
  })

  it('goes back from the review to the identity question when the tip is anonymous', async () => {
    await reach('identity')
    await h.text(student, '1')
    expect((await h.pressLabel(student, 'Quay lại')).at(-1)!.plain).toContain(question.identity)
  })

  it('edits one part from the review and comes straight back to it', async () => {
    await reach('review')
    await h.pressLabel(student, 'Sửa')
    expect(last(student).plain).toContain('sửa phần nào')
    await h.text(student, '4')
    expect(last(student).plain).toContain(question['when-where'])
    await h.text(student, 'sáng thứ Hai, cổng sau')
    expect(last(student).plain).toContain('Xem lại tin báo')
    expect(last(student).plain).toContain('sáng thứ Hai, cổng sau')
    expect(last(student).plain).toContain(answers.text)
  })

  it('preselects the school from the group\'s deep link', async () => {
    const said = await h.text(student, '/start tip-THCS-NGO-QUYEN')
    expect(said[0]!.plain).toContain('Trường: Trường THCS Ngô Quyền')
    expect(said[0]!.plain).toContain(question.category)
    expect((await h.text(701, '/start tip-NO-SUCH-SCHOOL'))[0]!.plain).toContain(question.school)
    expect((await h.text(702, '/start'))[0]!.plain).toContain(question.school)
  })

  it('preselects the school from "/baotin <code>" typed in private, as Zalo\'s group messages tell students to', async () => {
    for (const [user, typed] of [[710, '/baotin THCS-NGO-QUYEN'], [711, '/baotin thcs-ngo-quyen'], [712, '/bao_tin  THCS-NGO-QUYEN '], [713, '/baotin tip-THCS-NGO-QUYEN']] as const) {
      const said = await h.text(user, typed)
      expect(said).toHaveLength(1)
      expect(said[0]!.plain).toContain('Trường: Trường THCS Ngô Quyền')
      expect(said[0]!.plain).toContain(question.category)
      expect(await sessions().getDraft(pseudonym(user))).toMatchObject({ step: 'category', schoolCode: 'THCS-NGO-QUYEN' })
    }
    // Then the same conversation as from the link: back goes to the school question.
    expect((await h.pressLabel(710, 'Quay lại')).at(-1)!.plain).toContain(question.school)
  })

  it('takes "/baotin <part of a school name>" as the answer to the school question', async () => {
    const said = await h.text(714, '/baotin ngo quyen')
    expect(said[0]!.plain).toContain('Mình sẽ giúp bạn gửi tin báo')
    expect(said.at(-1)!.plain).toContain('Trường: Trường THCS Ngô Quyền')
    expect(said.at(-1)!.plain).toContain(question.category)
    const several = await h.text(715, '/baotin truong')
    expect(several.at(-1)!.plain).toContain('2. Trường Tiểu học Lê Văn Tám')
  })

  it('keeps "/baotin <what happened>" as the description, and answers danger in it first', async () => {
    const said = await h.text(716, '/baotin có người lạ đang cầm dao ở cổng trường')
    expect(said[0]!.plain).toMatch(/^🚨 Hãy gọi ngay 113/)
    expect(said.at(-1)!.plain).toContain('việc xảy ra ở trường nào')
    expect(said.at(-1)!.buttons.map((b) => b.label)).toContain('❓ Không rõ trường')
    expect(await sessions().getDraft(pseudonym(716))).toMatchObject({ step: 'school', initialText: 'có người lạ đang cầm dao ở cổng trường', urgent: true })
    expect((await h.text(717, '/baotin NO-SUCH-SCHOOL'))[0]!.plain).toContain(question.school)
    expect((await sessions().getDraft(pseudonym(717)))?.initialText).toBeUndefined()
  })

  it('leaves other features\' /start payloads to the help text, and greets officers as officers', async () => {
    expect((await h.text(student, '/start dl-confirm-123'))[0]!.plain).toContain('/baotin')
    const greeting = (await h.text(drugsOfficer, '/start'))[0]!.plain
    expect(greeting).toContain('Đỗ Mạnh Cường')
    expect(greeting).toContain('Tiếp nhận')
  })

  it('offers the way to a school that is not in the directory, and routes such a tip to the coordinator', async () => {
    await h.text(student, '/baotin')
    const notFound = await h.text(student, 'Trường Tiểu học Xyz')
    expect(notFound[0]!.plain).toContain('Không tìm thấy trường nào có tên «Trường Tiểu học Xyz»')
    await h.pressLabel(student, 'không có trong danh sách')
    expect(last(student).plain).toContain('trường không có trong danh sách (bạn gõ: «Trường Tiểu học Xyz»)')
    await h.text(student, '9')
    await h.text(student, 'Có người lạ hay đứng trước cổng trường lúc tan học.')
    await h.text(student, 'bỏ qua')
    await h.text(student, '1')
    await h.text(student, 'gửi')
    expect(h.to(coordinator)[0]!.plain).toContain('Trường Tiểu học Xyz')
  })

  it('keeps the tipster\'s first free text and offers it as the description', async () => {
    await h.text(student, 'Có bạn lớp 9A hút thuốc lá điện tử trong nhà vệ sinh')
    await h.text(student, 'Ngô Quyền')
    const textStep = await h.text(student, '1')
    expect(textStep[0]!.plain).toContain('Bạn vừa viết: «Có bạn lớp 9A hút thuốc lá điện tử trong nhà vệ sinh»')
    await h.pressLabel(student, 'Dùng nội dung này')
    expect(last(student).plain).toContain(question['when-where'])
  })

  it('answers clearly when the description is over 2000 characters, and keeps waiting for it', async () => {
    await reach('text')
    const said = await h.text(student, 'a'.repeat(2001))
    expect(said[0]!.plain).toBe('Nội dung dài 2001 ký tự, tối đa là 2000. Hãy rút gọn rồi gửi lại.')
    expect((await sessions().getDraft(pseudonym(student)))?.step).toBe('text')
    await h.text(student, 'a'.repeat(2000))
    expect(last(student).plain).toContain(question['when-where'])
  })

  it('takes up to 5 photos, says so for the 6th, and sends the officer each one', async () => {
    await reach('text')
    for (let i = 1; i <= 5; i++) expect((await h.text(student, '', { photos: [`photo-${i}`] }))[0]!.plain).toContain(`Đã nhận ảnh (${i}/5)`)
    expect((await h.text(student, '', { photos: ['photo-6'] }))[0]!.plain).toContain('tối đa 5 ảnh')
    await h.text(student, 'Ảnh chụp nhóm người lạ ở cổng sau')
    await h.text(student, 'bỏ qua')
    await h.text(student, '1')
    await h.text(student, 'gửi')
    expect(h.to(drugsOfficer).map((m) => m.photoFileId).filter(Boolean)).toEqual(['photo-1', 'photo-2', 'photo-3', 'photo-4', 'photo-5'])
  })

  it('adds photos sent after the description (an album) without taking them as answers', async () => {
    await reach('text')
    await h.text(student, 'Nhóm người lạ ở cổng sau', { photos: ['album-1'] })
    expect(last(student).plain).toContain(question['when-where'])
    expect((await h.text(student, '', { photos: ['album-2'] }))[0]!.plain).toContain('Đã thêm ảnh (2/5)')
    expect((await sessions().getDraft(pseudonym(student)))).toMatchObject({ step: 'when-where', photos: [{ fileId: 'album-1' }, { fileId: 'album-2' }] })
  })

  it('answers a stale button with a toast and the current question', async () => {
    await reach('category')
    const old = h.to(student).filter((m) => m.buttons.length).at(-1)!.buttons[0]!.data!
    await h.text(student, '1')
    const said = await h.press(student, old)
    expect(said.find((m) => m.kind === 'toast')?.plain).toContain('bước đã qua')
    expect(said.at(-1)!.plain).toContain(question.text)
  })

  it('says the session is over when a button outlives its draft', async () => {
    await reach('category')
    const button = h.to(student).filter((m) => m.buttons.length).at(-1)!.buttons[0]!.data!
    await sessions().deleteDraft(pseudonym(student))
    expect((await h.press(student, button)).at(-1)!.plain).toContain('hết hạn')
  })

  it('keeps the draft in Redis for 30 minutes after the last answer, and a new process carries on', async () => {
    await reach('when-where')
    const ttl = await h.redis.ttl(h.keys.key('tips', 'draft', pseudonym(student)))
    expect(ttl).toBeGreaterThan(1790)
    expect(ttl).toBeLessThanOrEqual(1800)
    await h.restart()
    await h.text(student, 'sáng nay ở nhà xe')
    expect(last(student).plain).toContain(question.identity)
    await h.text(student, '1')
    await h.text(student, 'gửi')
    expect(last(student).plain).toContain('Mã tin báo')
  })
})

describe('emergencies', () => {
  const chainOfNgoQuyen = ['gv-ngo-quyen-matuy', 'dm-ngo-quyen', 'ca-ngo-quyen', 'vp-so-gddt']
  const chats = { 'gv-ngo-quyen-matuy': drugsOfficer, 'dm-ngo-quyen': focalPoint, 'ca-ngo-quyen': '100000003', 'vp-so-gddt': coordinator }

  async function openTip(): Promise<string> {
    const ids = await h.feature.store.openIds()
    expect(ids).toHaveLength(1)
    return ids[0]!
  }

  it('files a first message that signals danger the moment the hotlines go out: one question for the school, then every officer of the chain at once', async () => {
    const said = await h.text(student, 'bạn ấy đang cầm dao trong lớp 8A')
    expect(said[0]!.plain).toMatch(/^🚨 Hãy gọi ngay 113/)
    expect(said[0]!.plain).toContain('📞 111')
    expect(said[1]!.plain).toContain('việc xảy ra ở trường nào')
    const filed = await h.text(student, 'Ngô Quyền')
    expect(filed[filed.length - 2]!.plain).toMatch(/^✅ Tin đã được chuyển tới 4 cán bộ lúc 09:00\. Mã tin báo: [A-Z0-9]{4}-[A-Z0-9]{4}\./)
    expect(filed.at(-1)!.plain).toContain('để cán bộ đến đúng chỗ')
    // Said as done, not as planned: no "bot sẽ báo", no "sẽ được chuyển".
    for (const message of filed.filter((m) => m.chatId === String(student))) expect(message.plain).not.toMatch(/\ssẽ\s/)
    const tipId = await openTip()
    expect(await h.feature.store.get(tipId)).toMatchObject({
      status: 'new',
      urgent: true,
      category: 'vat-nguy-hiem',
      text: 'bạn ấy đang cầm dao trong lớp 8A',
      emergencyKinds: ['weapon'],
      holders: chainOfNgoQuyen,
    })
    for (const chat of Object.values(chats)) {
      const card = h.to(chat).find((m) => m.plain.includes(formatReceiptCode(tipId)))!
      expect(card.plain).toContain('TIN KHẨN: vũ khí')
      expect(card.buttons.map((b) => b.label)).toContain('✅ Tiếp nhận')
    }

    // Each later answer goes onto the filed tip and straight to everyone holding it.
    await h.text(student, 'ngay bây giờ, lớp 8A tầng 2')
    expect((await h.feature.store.get(tipId))?.whenWhere).toBe('ngay bây giờ, lớp 8A tầng 2')
    for (const chat of Object.values(chats)) expect(h.to(chat).at(-1)!.plain).toContain('Người báo tin bổ sung')
    expect(last(student).plain).toMatch(/^➕ Đã chuyển tới 4 cán bộ lúc 09:00\./)
    expect(last(student).plain).toContain('Tin đã được gửi ẩn danh. Nếu muốn được gọi lại')
    const done = await h.text(student, '1')
    expect(done.at(-1)!.plain).toContain('đã được bổ sung vào tin')
    expect(done.at(-1)!.buttons.map((b) => b.label)).toEqual(['➕ Bổ sung'])
    expect(await sessions().getDraft(pseudonym(student))).toBeUndefined()
    expect(await h.feature.store.openIds()).toEqual([tipId])
  })

  it('takes the school from the deep link, else from the last tip; "Không rõ trường" goes to the coordinators; an abandoned conversation keeps the tip', async () => {
    await h.text(student, '/start tip-THCS-NGO-QUYEN')
    const said = (await h.text(student, 'co nguoi cam dao o cong truong')).filter((m) => m.chatId === String(student))
    expect(said[0]!.plain).toMatch(/^🚨 Hãy gọi ngay 113/)
    expect(said[1]!.plain).toContain('Tin đã được chuyển tới 4 cán bộ lúc')
    const first = await openTip()
    expect(await h.feature.store.get(first)).toMatchObject({ schoolCode: 'THCS-NGO-QUYEN', text: 'co nguoi cam dao o cong truong', urgent: true })
    // Nothing more from the student: the draft expiring loses nothing.
    await sessions().deleteDraft(pseudonym(student))

    h.clock.advance(60_000)
    const again = (await h.text(student, 'nó đang cầm dao đuổi bạn em')).filter((m) => m.chatId === String(student))
    expect(again[1]!.plain).toContain('Tin đã được chuyển tới 4 cán bộ lúc')

    const other = 7001
    await h.text(other, 'có người đang cầm dao ở căng tin')
    const unknown = await h.pressLabel(other, 'Không rõ trường')
    expect(unknown.find((m) => m.chatId === String(other))!.plain).toContain('Tin đã được chuyển tới 1 cán bộ lúc')
    const ids = await h.feature.store.openIds()
    const toCoordinators = (await Promise.all(ids.map((id) => h.feature.store.get(id)))).find((tip) => tip?.schoolCode === '?')
    expect(toCoordinators).toMatchObject({ holders: ['vp-so-gddt'], urgent: true })
  })

  it('files danger typed at a later step at once with what there is; the chosen category stays', async () => {
    await reach('when-where')
    const said = (await h.text(student, 'ngay bây giờ, có đám cháy ở phòng thí nghiệm')).filter((m) => m.chatId === String(student))
    expect(said[0]!.plain).toMatch(/^🚨 Hãy gọi ngay 114/)
    expect(said[1]!.plain).toContain('Tin đã được chuyển tới')
    expect(said.at(-1)!.plain).toContain(question['when-where'])
    const tip = await h.feature.store.get(await openTip())
    expect(tip).toMatchObject({ urgent: true, emergencyKinds: ['fire'], category: 'ma-tuy', text: `${answers.text}\nngay bây giờ, có đám cháy ở phòng thí nghiệm` })
    expect((await sessions().getDraft(pseudonym(student)))).toMatchObject({ filedTipId: tip!.id, step: 'when-where' })
  })

  it('meets self-harm gently: the tip is urgent for officers, the student never reads "khẩn cấp"', async () => {
    await h.text(student, '/start tip-THCS-NGO-QUYEN')
    const said = (await h.text(student, 'em muốn chết, không ai hiểu em')).filter((m) => m.chatId === String(student))
    const tip = await h.feature.store.get(await openTip())
    expect(tip).toMatchObject({ urgent: true, category: 'tu-hai' })
    expect(said[1]!.plain).toMatch(/^💚 Lời nhắn của bạn đã được chuyển tới \d cán bộ lúc 09:00/)
    // The next question is about finding the student, not a crime scene.
    expect(said.at(-1)!.plain).toContain('bạn đang ở đâu, để người lớn tìm được bạn')
    // The hotline text itself comes from the triage (emergencyReply); everything after it is this feature's.
    for (const message of h.to(student).filter((m) => !m.plain.startsWith('🚨 Hãy gọi ngay'))) expect(message.plain.toLowerCase()).not.toContain('khẩn cấp')
  })

  it('asks a student in distress for their school warmly, not "việc xảy ra ở trường nào"', async () => {
    const said = (await h.text(student, 'em muốn chết')).filter((m) => m.chatId === String(student))
    expect(said.at(-1)!.plain).toMatch(/^💚 Bạn học ở trường nào\?/)
    expect(said.at(-1)!.buttons.map((b) => b.label)).toContain('❓ Không rõ trường')
  })

  it('a tip filed under "Tự làm hại bản thân / cần người nghe" gets a warm receipt with 111 first, never an alarm', async () => {
    await h.fileTip(student, { category: '11', text: 'Dạo này em thấy rất buồn, ở nhà không ai nói chuyện với em.' })
    const receipt = h.to(student).find((m) => m.plain.includes('Mã tin báo'))!.plain
    expect(receipt).toMatch(/^💚 Cảm ơn bạn đã nói ra\. Bạn không phải một mình: gọi 111/)
    expect(receipt).not.toContain('🚨')
    expect(receipt.toLowerCase()).not.toContain('khẩn cấp')
  })

  it('"xong" after an urgent tip has gone ends the questions; it is never taken as the place', async () => {
    await h.text(student, '/start tip-THCS-NGO-QUYEN')
    await h.text(student, 'co nguoi cam dao o cong truong')
    const tipId = await openTip()
    const done = await h.text(student, 'xong')
    expect(done.at(-1)!.plain).toMatch(/^✅ Cảm ơn bạn\. Muốn gửi thêm cho tin/)
    expect(done.at(-1)!.buttons.map((b) => b.label)).toEqual(['➕ Bổ sung'])
    expect((await h.feature.store.get(tipId))?.whenWhere).toBeUndefined()
    expect(await sessions().getDraft(pseudonym(student))).toBeUndefined()
  })
})

describe('danger that is only possible', () => {
  /** A stand-in triage: the real matcher's vocabulary is tested on its own corpus; this drives each level. */
  function triage(text: string): EmergencyMatch | null {
    const weapon = { kinds: ['weapon'], hotlines: ['113' as const], phrases: ['cầm dao'], advice: ['Tránh xa người cầm vũ khí.'] }
    if (text.includes('hôm trước')) return { level: 'possible', ...weapon }
    if (text.includes('cầm dao')) return { level: 'emergency', ...weapon }
    return null
  }

  beforeEach(async () => {
    await h.stop()
    h = await new TipsHarness().start({ triage })
  })

  it('asks exactly one question with Có / Không; Có is the emergency path: hotlines, then filed at once', async () => {
    const asked = await h.text(student, 'hôm trước có người cầm dao ở cổng')
    expect(asked).toHaveLength(1)
    expect(asked[0]!.plain).toBe('Bạn hoặc ai đó có đang gặp nguy hiểm ngay lúc này không?')
    expect(asked[0]!.buttons.map((b) => b.label)).toEqual(['Có', 'Không'])
    const yes = await h.pressLabel(student, 'Có')
    expect(yes[0]!.plain).toMatch(/^🚨 Hãy gọi ngay 113/)
    expect(yes.at(-1)!.plain).toContain('việc xảy ra ở trường nào')
    await h.text(student, 'Ngô Quyền')
    const tip = await h.feature.store.get((await h.feature.store.openIds())[0]!)
    expect(tip).toMatchObject({ urgent: true, category: 'vat-nguy-hiem', text: 'hôm trước có người cầm dao ở cổng', emergencyKinds: ['weapon'] })
  })

  it('"không" (typed, as Zalo users answer) goes on as an ordinary tip, keeping the message; typed at a step it answers that step', async () => {
    await h.text(student, 'hôm trước có người cầm dao ở cổng')
    const no = await h.text(student, 'khong')
    expect(no.at(-1)!.plain).toContain(question.school)
    expect(await sessions().getDraft(pseudonym(student))).toMatchObject({ step: 'school', urgent: false, initialText: 'hôm trước có người cầm dao ở cổng' })

    await reach('text', 7003)
    await h.text(7003, 'hôm trước nó cầm dao dọa bạn em, giờ thì hết rồi')
    expect(last(7003).plain).toBe('Bạn hoặc ai đó có đang gặp nguy hiểm ngay lúc này không?')
    await h.text(7003, '2')
    expect(last(7003).plain).toContain(question['when-where'])
    expect(await sessions().getDraft(pseudonym(7003))).toMatchObject({ text: 'hôm trước nó cầm dao dọa bạn em, giờ thì hết rồi', urgent: false })
    expect(await h.feature.store.openIds()).toEqual([])
  })
})

describe('response times the student is told', () => {
  it('answers an abuse disclosure sent on Friday at 17:00 around the clock: told "before 18:00", escalated at 18:00, not on Monday', async () => {
    h.clock.set(new Date('2026-06-19T09:59:00Z')) // the harness adds a minute: filed at 17:00 Friday
    const tipId = await h.fileTip(student, { category: '3', text: 'Em muốn báo là thầy dạy thêm hay nói những câu bậy bạ với các bạn nữ trong lớp, em thấy khó chịu' })
    const tip = await h.feature.store.get(tipId)
    expect(tip).toMatchObject({ urgent: false, category: 'xam-hai', holders: ['dm-ngo-quyen'] })
    expect(last(student).plain).toContain('Thời hạn để cán bộ tiếp nhận: trước 18:00 Thứ Sáu, 19/06/2026.')
    expect(last(student).plain).not.toContain('trong giờ làm việc')
    h.clock.set(new Date('2026-06-19T10:59:00Z'))
    expect(await h.feature.sla.processDueSla()).toBe(0)
    h.clock.set(new Date('2026-06-19T11:00:00Z'))
    expect(await h.feature.sla.processDueSla()).toBe(1)
    expect(h.to('100000003').at(-1)!.plain).toContain('chưa được tiếp nhận sau 1 giờ')
    expect(h.to(student).at(-1)!.plain).toContain('bot đã chuyển thêm tới 1 cán bộ nữa')
  })
})

describe('adding to an open tip', () => {
  it('"Bổ sung" on the receipt takes text and photos onto the tip and relays them to its holder; "xong" ends it', async () => {
    const tipId = await h.fileTip(student)
    const receipt = h.to(student).at(-1)!
    expect(receipt.plain).toContain('Tin đã được chuyển tới 1 cán bộ lúc 09:01')
    expect(h.to(student).map((m) => m.plain).join('\n')).not.toContain('quản trị viên OA') // Telegram's promise stays as it is
    expect(receipt.plain).toContain('Thời hạn để cán bộ tiếp nhận: trong giờ làm việc, trước 15:01 Thứ Hai, 15/06/2026')
    expect((await h.pressLabel(student, 'Bổ sung'))[0]!.plain).toContain('muốn bổ sung cho tin')
    const added = await h.text(student, 'Người bán đi xe Wave màu đỏ', { photos: ['AgAC_more'] })
    expect(added.at(-1)!.plain).toContain('Đã bổ sung vào tin')
    expect(added.at(-1)!.plain).toContain('chuyển tới 1 cán bộ lúc')
    const toOfficer = h.to(drugsOfficer).slice(-2)
    expect(toOfficer[0]!.plain).toContain('Người báo tin bổ sung')
    expect(toOfficer[0]!.plain).toContain('Người bán đi xe Wave màu đỏ')
    expect(toOfficer[1]!.photoFileId).toBe('AgAC_more')
    expect(await h.feature.store.get(tipId)).toMatchObject({ text: 'Có người lạ bán thuốc lá điện tử ở cổng sau.\n➕ Người bán đi xe Wave màu đỏ', photos: [{ platform: 'telegram', fileId: 'AgAC_more' }] })
    expect((await h.text(student, 'xong')).at(-1)!.plain).toContain('Đã xong phần bổ sung')
    expect(await sessions().getAdding(pseudonym(student))).toBeUndefined()
  })

  it('danger added later makes the tip urgent: the hotlines first, then everyone left on the chain gets it at once', async () => {
    const tipId = await h.fileTip(student)
    await h.pressLabel(student, 'Bổ sung')
    const said = await h.text(student, 'nó vừa quay lại, đang cầm dao đứng ở cổng sau')
    expect(said[0]!.plain).toMatch(/^🚨 Hãy gọi ngay 113/)
    expect(await h.feature.store.get(tipId)).toMatchObject({ urgent: true, emergencyKinds: ['weapon'], holders: ['gv-ngo-quyen-matuy', 'dm-ngo-quyen', 'ca-ngo-quyen', 'vp-so-gddt'] })
    for (const chat of [focalPoint, '100000003', coordinator]) expect(h.to(chat).at(-1)!.plain).toContain('vừa bổ sung dấu hiệu nguy hiểm, nên tin được chuyển ngay tới bạn')
    expect(h.to(student).map((m) => m.plain).join('\n')).toContain('đã được chuyển thêm tới 3 cán bộ lúc')
  })

  it('/bosung <mã> <text> adds at once; someone else\'s code reads as unknown', async () => {
    const tipId = await h.fileTip(student)
    await h.text(student, `/bosung ${formatReceiptCode(tipId)} thêm: có 2 người`)
    expect((await h.feature.store.get(tipId))?.text).toContain('➕ thêm: có 2 người')
    expect((await h.text(7002, `/bosung ${formatReceiptCode(tipId)}`))[0]!.plain).toContain('Không tìm thấy tin báo')
  })

  it('after the tip is closed, a message asks whether to start a new tip; no key of the tip outlives it', async () => {
    const tipId = await h.fileTip(student)
    await h.press(drugsOfficer, `tip:ask:${tipId}`)
    await h.text(drugsOfficer, 'Người bán đi xe gì?')
    expect(await sessions().getAwaitingAnswer(pseudonym(student))).toBe(tipId)
    await h.pressLabel(student, 'Bổ sung')
    await h.press(drugsOfficer, `tip:done:${tipId}`)
    await h.text(drugsOfficer, 'Đã xử lý')
    expect(await sessions().getAwaitingAnswer(pseudonym(student))).toBeUndefined()
    expect(await sessions().getAdding(pseudonym(student))).toBeUndefined()

    const asked = await h.text(student, 'cảm ơn ạ')
    expect(asked.at(-1)!.plain).toContain('đã đóng, nên tin nhắn vừa rồi chưa được chuyển tới cán bộ')
    expect(asked.at(-1)!.buttons.map((b) => b.label)).toEqual(['📩 Gửi tin báo mới', '✖️ Không'])
    expect(await h.feature.store.openIds()).toEqual([])
    expect((await h.pressLabel(student, 'Không')).at(-1)!.plain).toContain('gõ /baotin')
    await h.text(student, 'lại có người bán thuốc lá điện tử')
    expect((await h.pressLabel(student, 'Gửi tin báo mới')).at(-1)!.plain).toContain(question.school)
    expect((await sessions().getDraft(pseudonym(student)))?.initialText).toBe('lại có người bán thuốc lá điện tử')

    h.clock.advance(91 * 86_400_000)
    await h.feature.planners[1]!.plan(h.clock.now())
    expect(await sessions().getLastTip(pseudonym(student))).toBeUndefined()
  })
})

describe('limits', () => {
  it('takes 3 tips an hour, then says in one sentence when the next may go and to call 113', async () => {
    for (let i = 0; i < 3; i++) await h.fileTip(student)
    const refused = await h.text(student, '/baotin')
    expect(refused).toHaveLength(1)
    expect(refused[0]!.plain).toBe('Bạn đã gửi 3 tin báo trong một giờ qua, nên có thể gửi tin tiếp theo từ 10:01; nếu đang có nguy hiểm, hãy gọi ngay 113.')
    h.clock.set(new Date('2026-06-15T03:01:00Z'))
    expect((await h.text(student, '/baotin'))[0]!.plain).toContain(question.school)
  })

  it('takes 10 tips a day', async () => {
    await h.stop()
    h = await new TipsHarness().start({ limits: { tipsPerHour: 100, tipsPerDay: 2, messagesPerMinute: 20 } })
    await h.fileTip(student)
    await h.fileTip(student)
    const refused = await h.text(student, 'có chuyện muốn báo')
    expect(refused.at(-1)!.plain).toBe('Bạn đã gửi 2 tin báo trong 24 giờ qua, nên có thể gửi tin tiếp theo từ 09:01 Thứ Ba, 16/06/2026; nếu đang có nguy hiểm, hãy gọi ngay 113.')
  })

  it('answers the 21st message in a minute once, then ignores the flood', async () => {
    for (let i = 0; i < 20; i++) await h.text(student, `tin ${i}`)
    const flood = await h.text(student, 'tin 21')
    expect(flood).toHaveLength(1)
    expect(flood[0]!.plain).toBe('Bạn đang gửi tin nhắn quá nhanh, nên bot tạm không đọc cho tới 09:01; nếu đang có nguy hiểm, hãy gọi ngay 113.')
    expect(await h.text(student, 'tin 22')).toEqual([])
    h.clock.advance(60_000)
    expect((await h.text(student, 'tin 23')).length).toBeGreaterThan(0)
  })
})

describe('who else writes in private', () => {
  it('leaves an officer\'s free text to other features when no tip action is pending', async () => {
    expect((await h.text(drugsOfficer, 'xin chào'))[0]!.plain).toBe('(unhandled)')
  })

  it('leaves unknown commands alone outside a conversation', async () => {
    expect((await h.text(student, '/lenhla'))[0]!.plain).toBe('(unhandled)')
  })

  it('shows progress when a tipster types just the receipt code', async () => {
    const tipId = await h.fileTip(student)
    const said = await h.text(student, formatReceiptCode(tipId).toLowerCase())
    expect(said[0]!.plain).toContain('Tình trạng: Đã nhận')
  })

  it('answers /baotin in a group with a button to the private chat bound to the group\'s school', async () => {
    await h.directory.registerGroup({ platform: 'telegram', chatId: '-1001' }, 'THCS-NGO-QUYEN', new Date())
    const said = await h.groupText('-1001', student, '/baotin')
    expect(said[0]!.plain).toContain('trò chuyện riêng')
    expect(said[0]!.buttons).toEqual([{ label: '📩 Báo tin ẩn danh', payload: 'tip-THCS-NGO-QUYEN' }])
    expect(await sessions().getDraft(pseudonym(student))).toBeUndefined()
  })
})

void focalPoint
