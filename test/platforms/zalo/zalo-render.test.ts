import { describe, expect, it } from 'vitest'
import { actionButton } from '../../../src/core/message.js'
import { matchChoice, renderForZalo, splitText, type Choice } from '../../../src/platforms/zalo/zalo-render.js'
import { tipDeepLinkButton } from '../../../src/tips/tip-deep-link.js'

describe('renderForZalo', () => {
  it('flattens the HTML subset and numbers action buttons under the text', () => {
    const rendered = renderForZalo({
      text: '<b>Nhắc hạn</b> báo cáo &amp; <i>kiểm tra</i> <a href="https://moet.gov.vn">hướng dẫn</a>',
      buttons: [[actionButton('✅ Đã gửi báo cáo', 'dl:sent:q1')], [actionButton('⏰ Nhắc lại sau', 'dl:snooze:q1')]],
    })
    expect(rendered.text).toBe('Nhắc hạn báo cáo & kiểm tra hướng dẫn (https://moet.gov.vn)\n\n1. ✅ Đã gửi báo cáo\n2. ⏰ Nhắc lại sau\nTrả lời bằng số.')
    expect(rendered.choices).toEqual([
      { number: 1, label: '✅ Đã gửi báo cáo', data: 'dl:sent:q1' },
      { number: 2, label: '⏰ Nhắc lại sau', data: 'dl:snooze:q1' },
    ])
  })

  it('writes url buttons as "label: url" and the anonymous-tip button as the /baotin command to send the OA', () => {
    const rendered = renderForZalo({
      text: 'Bài tuyên truyền',
      buttons: [[{ kind: 'url', label: 'Đọc thêm', url: 'https://example.vn/bai' }], [tipDeepLinkButton('THCS-NGO-QUYEN')]],
    })
    expect(rendered.choices).toEqual([])
    expect(rendered.text).toBe(
      'Bài tuyên truyền\n\nĐọc thêm: https://example.vn/bai\n📩 Báo tin ẩn danh: nhắn tin riêng cho Official Account này (không gửi trong nhóm) nội dung: /baotin THCS-NGO-QUYEN',
    )
  })

  it('keeps the numbers a feature already wrote in its text, and numbers the other buttons after them', () => {
    const rendered = renderForZalo({
      text: '👤 Ẩn danh hay để lại liên hệ? (gõ số)\n1. 🙈 Ẩn danh\n2. 📞 Để lại liên hệ',
      buttons: [[actionButton('🙈 Ẩn danh', 'tip:anon'), actionButton('📞 Để lại liên hệ', 'tip:contact')], [actionButton('✖️ Hủy', 'tip:cancel')]],
    })
    expect(rendered.text).toBe('👤 Ẩn danh hay để lại liên hệ? (gõ số)\n1. 🙈 Ẩn danh\n2. 📞 Để lại liên hệ\n\n3. ✖️ Hủy\nTrả lời bằng số.')
    expect(rendered.choices.map((c) => [c.number, c.data])).toEqual([
      [1, 'tip:anon'],
      [2, 'tip:contact'],
      [3, 'tip:cancel'],
    ])
  })

  it('adds nothing when every choice is already listed in the text', () => {
    const text = 'Chọn:\n1. ✅ Gửi\n2. ✏️ Sửa'
    const rendered = renderForZalo({ text, buttons: [[actionButton('✅ Gửi', 's'), actionButton('✏️ Sửa', 'e')]] })
    expect(rendered.text).toBe(text)
    expect(rendered.choices).toHaveLength(2)
  })
})

describe('matchChoice', () => {
  const choices: Choice[] = [
    { number: 1, label: '🙈 Ẩn danh', data: 'anon' },
    { number: 2, label: '📞 Để lại liên hệ', data: 'contact' },
    { number: 3, label: '✖️ Hủy', data: 'cancel' },
  ]
  it.each([
    ['2', 'contact'],
    [' 2. ', 'contact'],
    ['số 2', 'contact'],
    ['So 1', 'anon'],
    ['2. 📞 Để lại liên hệ', 'contact'],
    ['de lai lien he', 'contact'],
    ['HỦY', 'cancel'],
    ['huy', 'cancel'],
    ['4', undefined],
    ['2 ẩn danh', undefined],
    ['/2', undefined],
    ['tôi muốn ẩn danh vì sợ bị lộ', undefined],
    ['', undefined],
  ])('%j → %s', (typed, data) => {
    expect(matchChoice(typed, choices)?.data).toBe(data)
  })
})

describe('splitText', () => {
  it('keeps a text within 2000 characters whole', () => {
    expect(splitText('a'.repeat(2000))).toEqual(['a'.repeat(2000)])
  })
  it('cuts at a line break, then a space, never inside an emoji', () => {
    const paragraph = `${'x'.repeat(1500)}\n${'y'.repeat(1000)}`
    expect(splitText(paragraph).map((p) => p.length)).toEqual([1500, 1000])
    const emoji = '😀'.repeat(1500)
    const parts = splitText(emoji)
    expect(parts.join('')).toBe(emoji)
    expect(parts.every((part) => part.length <= 2000 && !/[\ud800-\udbff]$/.test(part))).toBe(true)
  })
})
