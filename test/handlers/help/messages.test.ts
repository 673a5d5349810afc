import { describe, expect, it } from 'vitest'
import { groupMemberHelp, privateHelp, withWebTipLine } from '../../../handlers/help/messages.js'
import { webTipBaseFor, webTipUrl } from '../../../src/tips/web-tip-link.js'

describe('/help with the web tip page', () => {
  it('offers the page right after the chat tip, in private chats and groups', () => {
    const url = webTipUrl(webTipBaseFor('https://antt.example.vn')('telegram')!)
    const lines = withWebTipLine(privateHelp, url).split('\n')
    const chatTip = lines.findIndex((line) => line.includes('/baotin'))
    expect(lines[chatTip + 1]).toBe('• hoặc báo tin qua trang web, không cần tài khoản: <a href="https://antt.example.vn/bao-tin">https://antt.example.vn/bao-tin</a>')
    expect(withWebTipLine(groupMemberHelp('Trường THCS Ngô Quyền'), url)).toContain('https://antt.example.vn/bao-tin')
  })

  it('knows the page only where it can be opened: PUBLIC_URL, or the playground\'s own server', () => {
    expect(webTipBaseFor(undefined)('telegram')).toBeUndefined()
    expect(webTipBaseFor(undefined)('playground')).toBe('')
    expect(webTipUrl('', 'THCS-NGO-QUYEN')).toBe('/bao-tin?truong=THCS-NGO-QUYEN')
  })
})
