import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { OutsideWindowError } from '../../../src/core/errors.js'
import { formatReceiptCode } from '../../../src/tips/receipt-code.js'
import type { DirectoryFile } from '../../../src/directory/directory-file.js'
import { example, TipsHarness } from './tips-harness.js'

const student = 700
const chat = {
  coordinator: '100000001',
  policeLeChan: '100000002',
  policeNgoQuyen: '100000003',
  focal: '100000004',
  drugs: '100000005',
  focalTranPhu: '100000006',
}

let h: TipsHarness
let tipId: string

beforeEach(async () => {
  h = await new TipsHarness().start()
  tipId = await h.fileTip(student, { text: 'Có người lạ bán thuốc lá điện tử ở cổng sau.' })
})
afterEach(async () => {
  await h.stop()
})

function toasts(said: { kind: string; plain: string }[]): string[] {
  return said.filter((m) => m.kind === 'toast').map((m) => m.plain)
}

function tipsterMessages(): string[] {
  return h.to(student).filter((m) => m.kind === 'send').map((m) => m.plain)
}

/** Everything any officer chat received: none of it may name the tipster. */
function officerTraffic(): string {
  return h.outbox.filter((m) => Object.values(chat).includes(m.chatId)).map((m) => m.text).join('\n')
}

describe('acknowledging', () => {
  it('lets only the holder or a coordinator act; others get a toast', async () => {
    expect(toasts(await h.press(chat.focal, `tip:ack:${tipId}`))).toEqual(['Tin này đang do cán bộ khác phụ trách.'])
    expect(toasts(await h.press(555, `tip:ack:${tipId}`))).toEqual(['Chỉ cán bộ phụ trách mới thao tác được với tin báo.'])
    expect((await h.feature.store.get(tipId))?.status).toBe('new')

    const said = await h.press(chat.drugs, `tip:ack:${tipId}`)
    expect(said.find((m) => m.kind === 'reply')?.plain).toContain(`Bạn đã tiếp nhận tin ${formatReceiptCode(tipId)}`)
    expect(await h.feature.store.get(tipId)).toMatchObject({ status: 'acknowledged', acknowledgedAt: h.clock.now() })
    expect(tipsterMessages()).toEqual([expect.stringContaining('đang xử lý')])
    expect(h.to(student).at(-1)!.purpose).toBe('tip-status')

    expect(toasts(await h.press(chat.drugs, `tip:ack:${tipId}`))).toEqual(['Tin này đã được tiếp nhận.'])
    expect(tipsterMessages()).toHaveLength(1)
  })

  it('lets a coordinator act on a tip someone else holds', async () => {
    await h.press(chat.coordinator, `tip:rej:${tipId}`)
    expect(h.to(chat.coordinator).at(-1)!.plain).toContain('là tin sai hoặc trùng?')
    await h.pressLabel(chat.coordinator, 'Xác nhận')
    expect((await h.feature.store.get(tipId))?.status).toBe('rejected')
    expect((await h.feature.store.get(tipId))?.tipsterSealed).toBeUndefined()
    expect(tipsterMessages().at(-1)).toContain('đã được xem xét và đóng lại')
    expect(toasts(await h.press(chat.drugs, `tip:ack:${tipId}`))).toEqual(['Tin này đã đóng.'])
  })
})

describe('asking back', () => {
  it('relays the officer\'s question and the tipster\'s answer both ways, never the tipster\'s identity', async () => {
    await h.press(chat.drugs, `tip:ask:${tipId}`)
    expect(h.to(chat.drugs).at(-1)!.plain).toContain('Hãy gõ câu hỏi cho người báo tin')
    expect(tipsterMessages()).toEqual([expect.stringContaining('đang xử lý')])

    await h.text(chat.drugs, 'Người bán mặc áo màu gì, đi xe gì?')
    expect(h.to(chat.drugs).at(-1)!.plain).toContain('Đã chuyển câu hỏi')
    const question = h.to(student).at(-1)!
    expect(question).toMatchObject({ purpose: 'tip-relay', kind: 'send' })
    expect(question.plain).toContain('Người bán mặc áo màu gì, đi xe gì?')
    expect(question.plain).toContain('Gõ «bỏ qua» nếu không muốn trả lời')

    const answered = await h.text(student, 'Áo khoác đen, đi xe Wave biển 15B1', { photos: ['AgAC-answer-photo'], name: 'Nguyễn Văn Bình', username: 'binh_2010' })
    expect(answered.find((m) => m.chatId === String(student))?.plain).toContain('Đã chuyển câu trả lời')
    const relayed = h.to(chat.drugs).filter((m) => m.purpose === 'tip-relay')
    expect(relayed[0]!.plain).toContain('Người báo tin trả lời')
    expect(relayed[0]!.plain).toContain('Áo khoác đen, đi xe Wave biển 15B1')
    expect(relayed[1]!.photoFileId).toBe('AgAC-answer-photo')
    for (const secret of [String(student), 'binh_2010', 'Nguyễn Văn Bình']) expect(officerTraffic()).not.toContain(secret)
    expect((await h.feature.store.auditOf(tipId)).map((e) => e.action)).toEqual(['created', 'acknowledged', 'asked', 'tipster-replied'])

    // One answer per question: the next message is an ordinary new conversation.
    const next = await h.text(student, 'cảm ơn')
    expect(next.at(-1)!.plain).toContain('trường nào')
  })

  it('lets the tipster decline with "bỏ qua"', async () => {
    await h.press(chat.drugs, `tip:ask:${tipId}`)
    await h.text(chat.drugs, 'Bạn có chụp được ảnh không?')
    expect((await h.text(student, 'bỏ qua'))[0]!.plain).toBe('Đã bỏ qua câu hỏi của cán bộ.')
    expect(h.to(chat.drugs).filter((m) => m.purpose === 'tip-relay')).toEqual([])
  })

  it('takes "không" as an answer, not as a refusal', async () => {
    await h.press(chat.drugs, `tip:ask:${tipId}`)
    await h.text(chat.drugs, 'Người đó có mang vũ khí không?')
    await h.text(student, 'Không')
    expect(h.to(chat.drugs).filter((m) => m.purpose === 'tip-relay')[0]!.plain).toContain('«Không»')
  })

  it('lets the officer change their mind with "hủy"', async () => {
    await h.press(chat.drugs, `tip:ask:${tipId}`)
    expect((await h.text(chat.drugs, 'hủy'))[0]!.plain).toBe('Đã thôi.')
    expect((await h.text(chat.drugs, 'câu này không được chuyển'))[0]!.plain).toBe('(unhandled)')
    expect(h.to(student).filter((m) => m.purpose === 'tip-relay')).toEqual([])
  })
})

describe('forwarding', () => {
  it('offers the chain, the school\'s people and the coordinators, and hands the tip over', async () => {
    await h.press(chat.drugs, `tip:fwd:${tipId}`)
    const offer = h.to(chat.drugs).at(-1)!
    expect(offer.plain).toContain('1. Lê Thu Hà (Đầu mối ANTT của trường)')
    expect(offer.buttons.map((b) => b.label)).toEqual([
      'Lê Thu Hà (Đầu mối ANTT của trường)',
      'Phạm Quốc Hùng (Công an phường/xã)',
      'Nguyễn Thị Lan (Điều phối viên (Văn phòng Sở GD&ĐT))',
      '↩️ Thôi',
    ])
    for (const button of offer.buttons) expect(Buffer.byteLength(button.data!)).toBeLessThanOrEqual(64)

    await h.text(chat.drugs, '1')
    expect(h.to(chat.drugs).at(-1)!.plain).toContain('Đã chuyển tin')
    const handed = h.to(chat.focal)[0]!
    expect(handed.plain).toContain('Đỗ Mạnh Cường (Cán bộ phụ trách) chuyển tin này cho bạn')
    expect(handed.plain).toContain('Có người lạ bán thuốc lá điện tử ở cổng sau.')
    expect(await h.feature.store.get(tipId)).toMatchObject({ holder: 'dm-ngo-quyen', holders: ['gv-ngo-quyen-matuy', 'dm-ngo-quyen'], slaRound: 1 })
    expect((await h.feature.store.auditOf(tipId)).at(-1)).toMatchObject({ by: 'gv-ngo-quyen-matuy', action: 'forwarded', to: 'dm-ngo-quyen' })
    expect(await h.feature.sla.queue.getJob(`sla-${tipId}-1`)).toBeDefined()

    // Whoever the tip was sent to may take it up until someone does; then it is theirs alone.
    await h.press(chat.focal, `tip:ack:${tipId}`)
    expect(await h.feature.store.get(tipId)).toMatchObject({ status: 'acknowledged', holder: 'dm-ngo-quyen' })
    expect(toasts(await h.press(chat.drugs, `tip:ack:${tipId}`))).toEqual(['Tin này đang do cán bộ khác phụ trách.'])
  })

  it('never offers, nor accepts from a forged button, the officer the tip names', async () => {
    const named = await h.fileTip(701, { text: 'Thầy Đỗ Mạnh Cường bán thuốc lá điện tử cho học sinh' })
    expect((await h.feature.store.get(named))?.holder).toBe('dm-ngo-quyen')
    await h.press(chat.focal, `tip:fwd:${named}`)
    const offer = h.to(chat.focal).at(-1)!
    expect(offer.plain).toContain('Phạm Quốc Hùng')
    expect(offer.plain).not.toContain('Đỗ Mạnh Cường')
    expect(toasts(await h.press(chat.focal, `tip:fwd:${named}:gv-ngo-quyen-matuy`))).toEqual(['Không có cán bộ nào khác để chuyển tin này.'])
    expect((await h.feature.store.get(named))?.holder).toBe('dm-ngo-quyen')
    expect(h.to(chat.drugs).map((m) => m.plain).join('\n')).not.toContain(formatReceiptCode(named))
  })

  it('forwards by button too', async () => {
    await h.press(chat.drugs, `tip:fwd:${tipId}`)
    await h.pressLabel(chat.drugs, 'Phạm Quốc Hùng')
    expect((await h.feature.store.get(tipId))?.holder).toBe('ca-ngo-quyen')
    expect(h.to(chat.policeNgoQuyen)[0]!.plain).toContain('chuyển tin này cho bạn')
  })
})

describe('closing', () => {
  it('asks for a short outcome, closes, tells the tipster, and shows officers the outcome', async () => {
    await h.press(chat.drugs, `tip:ack:${tipId}`)
    await h.press(chat.drugs, `tip:done:${tipId}`)
    expect(h.to(chat.drugs).at(-1)!.plain).toContain('kết quả xử lý')
    await h.text(chat.drugs, 'Đã phối hợp công an phường kiểm tra, lập biên bản.')
    expect(h.to(chat.drugs).at(-1)!.plain).toContain('Đã đóng tin')
    expect(await h.feature.store.get(tipId)).toMatchObject({ status: 'closed', outcome: 'Đã phối hợp công an phường kiểm tra, lập biên bản.' })
    expect(tipsterMessages().at(-1)).toContain('đã được xử lý')
    // The way back to the tipster is deleted at close; the last word went out first.
    expect((await h.feature.store.get(tipId))?.tipsterSealed).toBeUndefined()
    expect(h.to(student).at(-1)).toMatchObject({ purpose: 'tip-status', tag: { kind: 'tip-to-tipster', ref: tipId } })
    expect(tipsterMessages().join('\n')).not.toContain('biên bản')

    const officerView = (await h.text(chat.drugs, `/theodoi ${formatReceiptCode(tipId)}`)).map((m) => m.plain).join('\n')
    expect(officerView).toContain('Kết quả: Đã phối hợp công an phường kiểm tra, lập biên bản.')
    const tipsterView = (await h.text(student, `/theodoi ${tipId}`)).map((m) => m.plain).join('\n')
    expect(tipsterView).toContain('Tình trạng: Đã xử lý')
    expect(tipsterView).not.toContain('biên bản')
  })
})

describe('routing', () => {
  it.each([
    ['a case officer for the school and category', { school: 'Ngô Quyền', category: '1' }, chat.drugs, 'gv-ngo-quyen-matuy'],
    ['the school\'s focal point when no case officer takes the category', { school: 'Ngô Quyền', category: '2' }, chat.focal, 'dm-ngo-quyen'],
    ['the ward police when the school has nobody of its own', { school: 'Lê Văn Tám', category: '2' }, chat.policeLeChan, 'ca-le-chan'],
    ['the coordinator when nobody local answers', { school: 'GDTX', category: '2' }, chat.coordinator, 'vp-so-gddt'],
    ['past an officer the tip names', { school: 'Ngô Quyền', category: '1', text: 'Thầy Đỗ Mạnh Cường bán thuốc lá điện tử cho học sinh' }, chat.focal, 'dm-ngo-quyen'],
  ])('sends the tip to %s', async (_, options, expectedChat, holder) => {
    const before = h.to(expectedChat).length
    const id = await h.fileTip(701, options)
    const tip = (await h.feature.store.get(id))!
    expect(tip.holder).toBe(holder)
    expect(tip.chain.at(-1)).toBe('vp-so-gddt')
    expect(h.to(expectedChat).length).toBeGreaterThan(before)
    expect(h.to(expectedChat).at(-1)!.plain).toContain(formatReceiptCode(id))
  })

  it('skips an officer the bot cannot reach (no chat in the directory)', async () => {
    await h.stop()
    const unreachable: DirectoryFile = { ...example, officers: example.officers.map((o) => (o.id === 'gv-ngo-quyen-matuy' ? { ...o, contacts: {} } : o)) }
    h = await new TipsHarness().start({ directory: unreachable })
    const id = await h.fileTip(student)
    expect(await h.feature.store.get(id)).toMatchObject({ holder: 'dm-ngo-quyen', chain: ['gv-ngo-quyen-matuy', 'dm-ngo-quyen', 'ca-ngo-quyen', 'vp-so-gddt'] })
    expect(h.to(chat.focal)[0]!.plain).toContain(formatReceiptCode(id))
  })

  it('keeps the named officer out of the whole chain', async () => {
    const id = await h.fileTip(701, { school: 'Ngô Quyền', category: '1', text: 'Thầy Đỗ Mạnh Cường bán thuốc lá điện tử cho học sinh' })
    expect((await h.feature.store.get(id))!.chain).toEqual(['dm-ngo-quyen', 'ca-ngo-quyen', 'vp-so-gddt'])
  })
})

describe('an unreachable tipster', () => {
  it('tags every message to the tipster with the tip, and nothing else', async () => {
    await h.press(chat.drugs, `tip:ask:${tipId}`)
    await h.text(chat.drugs, 'Người bán mặc áo màu gì?')
    const toTipster = h.to(student).filter((m) => m.kind === 'send')
    expect(toTipster.map((m) => m.tag)).toEqual([{ kind: 'tip-to-tipster', ref: tipId }, { kind: 'tip-to-tipster', ref: tipId }])
    // Officers' messages carry no tipster tag; only their copy of the tip is tagged, as their card.
    expect(h.to(chat.drugs).every((m) => m.tag === undefined || m.tag.kind === 'tip-card')).toBe(true)
  })

  it('tells the holder when a status update or question cannot reach the tipster, whatever the job key', async () => {
    // The outbox keeps only a digest of the key: the tag is what names the tip.
    const tag = { kind: 'tip-to-tipster', ref: tipId }
    await h.feature.hooks.onUndeliverable(
      { key: 'k-5f0e9c4b2d', tag, purpose: 'tip-status', to: { platform: 'telegram', chatId: String(student) }, op: { kind: 'send', message: { text: 'x' } } },
      new Error('chat unavailable: blocked'),
    )
    expect(h.to(chat.drugs).at(-1)!.plain).toContain('Không gửi được tin nhắn tới người báo tin')
    expect((await h.feature.store.auditOf(tipId)).at(-1)).toMatchObject({ by: 'system', action: 'tipster-unreachable' })
    const count = h.outbox.length
    await h.feature.hooks.onUndeliverable({ key: 'reply:telegram:1:u1:0', purpose: 'reply', to: { platform: 'telegram', chatId: '1' }, op: { kind: 'send', message: { text: 'x' } } }, new Error('blocked'))
    await h.feature.hooks.onUndeliverable({ key: `tip:${tipId}:to-tipster:status:closed`, purpose: 'tip-status', to: { platform: 'telegram', chatId: '1' }, op: { kind: 'send', message: { text: 'x' } } }, new Error('blocked'))
    expect(h.outbox.length).toBe(count)
  })

  it('tells the holder a Zalo message waits for the student to write again, rather than that it is lost', async () => {
    await h.feature.hooks.onUndeliverable(
      { key: 'k-9a8b7c6d5e', tag: { kind: 'tip-to-tipster', ref: tipId }, purpose: 'tip-status', to: { platform: 'zalo', chatId: '6142494823000000001' }, op: { kind: 'send', message: { text: 'x' } } },
      new OutsideWindowError(-230, 'outside the interaction window'),
    )
    expect(h.to(chat.drugs).at(-1)!.plain).toContain('bot sẽ gửi ngay khi họ nhắn')
    expect((await h.feature.store.auditOf(tipId)).map((e) => e.action)).not.toContain('tipster-unreachable')
  })
})

describe('/theodoi', () => {
  it('shows the tipster their tip however they type the code', async () => {
    for (const typed of [formatReceiptCode(tipId), tipId.toLowerCase(), `${tipId.slice(0, 4)} ${tipId.slice(4)}`]) {
      const said = await h.text(student, `/theodoi ${typed}`)
      expect(said[0]!.plain).toContain('Tình trạng: Đã nhận')
      expect(said[0]!.plain).toContain('⏳ Đang xử lý')
    }
    await h.press(chat.drugs, `tip:ack:${tipId}`)
    expect((await h.text(student, `/theodoi ${tipId}`))[0]!.plain).toContain('✅ Đang xử lý')
  })

  it('takes a bare /theodoi or /bosung from the tipster as their latest tip, since few keep the code', async () => {
    expect((await h.text(student, '/theodoi'))[0]!.plain).toContain(`Tin báo ${formatReceiptCode(tipId)}`)
    expect((await h.text(student, '/bosung'))[0]!.plain).toContain(`bổ sung cho tin ${formatReceiptCode(tipId)}`)
  })

  it('answers anyone else exactly as for a code that does not exist', async () => {
    const stranger = (await h.text(701, `/theodoi ${tipId}`))[0]!.plain
    const nonexistent = (await h.text(701, '/theodoi ACDE-FGHJ'))[0]!.plain
    expect(stranger).toBe(nonexistent)
    expect(stranger).toContain('Không tìm thấy')
    expect((await h.text(chat.focalTranPhu, `/theodoi ${tipId}`))[0]!.plain).toBe(nonexistent)
    expect((await h.text(701, '/theodoi'))[0]!.plain).toContain('/theodoi ABCD-EFGH')
  })

  it('shows officers of the tip the details, with buttons only for those who may act', async () => {
    const focalView = await h.text(chat.focal, `/theodoi ${tipId}`)
    expect(focalView.map((m) => m.plain).join('\n')).toContain('Có người lạ bán thuốc lá điện tử ở cổng sau.')
    expect(focalView.at(-1)!.buttons).toEqual([])
    const coordinatorView = await h.text(chat.coordinator, `/theodoi ${tipId}`)
    expect(coordinatorView.at(-1)!.buttons.length).toBeGreaterThan(0)
  })

  it('sends people from a group to the private chat', async () => {
    expect((await h.groupText('-1001', student, `/theodoi ${tipId}`))[0]!.plain).toContain('trò chuyện riêng')
  })
})

describe('/thongke', () => {
  it('is for coordinators only, and masks counts below 3', async () => {
    expect((await h.text(chat.drugs, '/thongke'))[0]!.plain).toContain('Chỉ điều phối viên')
    await h.fileTip(701, { category: '2' })
    await h.fileTip(702, { category: '2' })
    await h.fileTip(703, { category: '2' })
    const report = (await h.text(chat.coordinator, '/thongke'))[0]!.plain
    expect(report).toContain('Quý III năm 2026') // 15/06 opens the Quarter III window
    expect(report).toContain('Tổng số: 4')
    expect(report).toContain('• Trường THCS Ngô Quyền: 4')
    expect(report).toContain('• 💊 Ma túy, thuốc lá điện tử: <3')
    expect(report).toContain('• 👊 Bạo lực học đường, đánh nhau: 3')
    expect(report).toContain('• 4 trường chưa có tin báo')
    expect((await h.text(chat.coordinator, '/thongke quý II'))[0]!.plain).toContain('Không hiểu khoảng thời gian')
    expect((await h.text(chat.coordinator, '/thongke quý I'))[0]!.plain).toContain('Tổng số: 0')
  })
})

describe('a directory without anyone local', () => {
  it('still reaches the coordinator', async () => {
    await h.stop()
    const onlyCoordinator: DirectoryFile = { ...example, officers: example.officers.filter((o) => o.role === 'coordinator') }
    h = await new TipsHarness().start({ directory: onlyCoordinator })
    const id = await h.fileTip(student)
    expect((await h.feature.store.get(id))?.chain).toEqual(['vp-so-gddt'])
    expect(h.to(chat.coordinator)[0]!.plain).toContain(formatReceiptCode(id))
  })
})
