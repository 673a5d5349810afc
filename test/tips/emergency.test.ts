import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/core/errors.js'
import { foldVietnamese, hasVietnameseDiacritics } from '../../src/core/fold.js'
import { detectEmergency, emergencyReply, hotlines, loadEmergencyRules } from '../../src/tips/emergency.js'

const rules = loadEmergencyRules('content/tips/emergency-keywords.yaml')

function kindsIn(text: string): string[] {
  return detectEmergency(rules, text)?.kinds ?? []
}

function writeYaml(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'emergency-')), 'rules.yaml')
  writeFileSync(file, text)
  return file
}

describe('detectEmergency', () => {
  it.each([
    ['Có người cầm dao ở cổng trường', 'weapon'],
    ['co nguoi cam dao o cong truong', 'weapon'],
    ['CÓ NGƯỜI CẦM DAO!!!', 'weapon'],
    ['bạn ấy bị đâm ở nhà xe', 'weapon'],
    ['em muốn tự tử', 'self-harm'],
    ['em muon tu tu', 'self-harm'],
    ['TỰ TỬ', 'self-harm'],
    ['em muốn tự tữ', 'self-harm'],
    ['em muốn tư tử', 'self-harm'],
    ['em k muốn sống nữa', 'self-harm'],
    ['bạn ấy nói muốn chết', 'self-harm'],
    ['nó định treo cổ', 'self-harm'],
    ['trường em đang cháy', 'fire'],
    ['phòng thí nghiệm bốc khói', 'fire'],
    ['khói đen bay ra từ căng tin', 'fire'],
    ['đg bj đánh ở nhà xe', 'violence'],
    ['bạn A đang bị đánh hội đồng sau trường', 'violence'],
    ['Nó lên mạng đòi giết cả lớp', 'violence'],
    ['có bạn bất tỉnh trong nhà vệ sinh', 'medical'],
    ['bạn ấy ngất xỉu ở sân', 'medical'],
    ['có bạn bị đuối nước ở hồ sau trường', 'rescue'],
    ['em đang bị xâm hại', 'abuse'],
    ['em dang bi bao hanh o nha', 'abuse'],
  ])('%j is an emergency (%s)', (text, kind) => {
    expect(kindsIn(text)).toContain(kind)
  })

  it.each([
    'bạn ấy chạy trong sân',
    'bạn ấy đang chạy ngoài sân',
    'ban ay dang chay ngoai san',
    'nó chạy rồi',
    'em từ từ kể nhé',
    'từ hai giờ chiều có người lạ đứng ở cổng',
    'cho em ra khỏi nhóm này',
    'học sinh khối 9 hút thuốc lá điện tử trong nhà vệ sinh, khói thuốc bay ra',
    'hôm qua có đánh nhau ở cổng trường',
    'em bị đám bạn lớp bên trêu chọc',
    'sáng thứ Hai trường treo cờ',
    'mặt bạn ấy có sưng một chút',
    'nó lớn hơn em hai tuổi',
    'có dạo này bạn ấy hay nghỉ học',
    'căng tin bán cơm cháy và nước ngọt',
    'có người lạ đứng ở cổng trường lúc tan học',
    'một nhóm bạn lừa đảo bán acc game trên mạng',
    'em muốn báo về nguy cơ cháy nổ ở bãi xe',
    'bạn ấy bị ngắt lời liên tục',
  ])('%j is an ordinary tip', (text) => {
    expect(detectEmergency(rules, text)).toBeNull()
  })

  it('matches whole words only, and never across sentences', () => {
    expect(kindsIn('bạn ấy cầm daokéo')).toEqual([])
    expect(kindsIn('mấy bạn tựtử')).toEqual([])
    expect(kindsIn('Bạn ấy đang. Cháy nắng hết rồi')).toEqual([])
  })

  it('puts the most pressing kind first and its hotlines first, each once', () => {
    const match = detectEmergency(rules, 'Nó cầm dao đâm bạn, bạn ấy chảy máu nhiều')
    expect(match).toMatchObject({ kinds: ['weapon', 'medical'], hotlines: ['113', '115'], phrases: ['cầm dao', 'chảy máu'] })
    expect(detectEmergency(rules, 'em cắt tay chảy máu')?.hotlines).toEqual(['115', '111', '113'])
  })

  it('matches every phrase of the file as written; plain spellings only where allowed', () => {
    for (const kind of rules.kinds) {
      for (const phrase of kind.phrases) {
        expect(kindsIn(phrase.text), phrase.text).toContain(kind.kind)
        expect(kindsIn(phrase.text.toUpperCase()), phrase.text).toContain(kind.kind)
        const plain = detectEmergency(rules, foldVietnamese(phrase.text))
        expect(plain?.phrases.includes(phrase.text) ?? false, phrase.text).toBe(!phrase.needsDiacritics)
      }
    }
  })
})

describe('emergencyReply', () => {
  it('tells them first to call the most relevant number, lists all four once, and says the tip goes on as urgent', () => {
    const reply = emergencyReply(detectEmergency(rules, 'em muốn tự tử')!)
    const lines = reply.split('\n')
    expect(lines[0]).toMatch(/^🚨 Hãy gọi ngay 111 /)
    expect(lines.filter((line) => line.startsWith('📞')).map((line) => line.slice(3, 6))).toEqual(['111', '115', '113', '114'])
    for (const number of hotlines) expect(reply.split(number).length - 1).toBe(number === '111' ? 2 : 1)
    expect(reply).toContain('Bạn không một mình')
    expect(lines.at(-1)).toMatch(/khẩn cấp/)
    expect(hasVietnameseDiacritics(reply)).toBe(true)
  })

  it('starts with the fire line for a fire', () => {
    expect(emergencyReply(detectEmergency(rules, 'trường em đang cháy')!).split('\n')[0]).toBe('🚨 Hãy gọi ngay 114 (cứu hỏa, cứu nạn) nếu bạn hoặc ai đó đang gặp nguy hiểm.')
  })
})

describe('loadEmergencyRules', () => {
  const kind = (extra: string) => `kinds:\n  - kind: weapon\n    hotlines: ['113']\n    advice: Tránh xa.\n${extra}`

  it.each([
    [kind('    phrases: [cầm dao]\n').replace("['113']", "['112']"), /kinds\.0\.hotlines\.0 must be one of 113, 114, 115, 111/],
    [kind('    phrases: [cầm dao, "Cầm  dao"]\n'), /kinds\.0 lists "Cầm {2}dao" again \(already under weapon\)/],
    [kind('    onlyWithDiacritics: [cam dao]\n'), /kinds\.0\.onlyWithDiacritics\.0 has no diacritics/],
    [kind(''), /kinds\.0 needs at least one phrase/],
    [kind('    phrases: [cầm dao]\n    typo: 1\n'), /kinds\.0/],
    ['kinds: [\n', /cannot be read as YAML/],
  ])('names the file and the field of a wrong rule (%#)', (yaml, message) => {
    const file = writeYaml(yaml)
    expect(() => loadEmergencyRules(file)).toThrow(ConfigError)
    expect(() => loadEmergencyRules(file)).toThrow(message)
  })

  it('accepts hotlines written as numbers', () => {
    const loaded = loadEmergencyRules(writeYaml(kind('    phrases: [cầm dao]\n').replace("['113']", '[113, 115]')))
    expect(detectEmergency(loaded, 'cam dao')?.hotlines).toEqual(['113', '115'])
  })
})
