import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readYamlFile } from '../../src/core/data-file.js'
import { ConfigError } from '../../src/core/errors.js'
import { foldVietnamese, hasVietnameseDiacritics } from '../../src/core/fold.js'
import { defaultEmergencyRulesPath, detectEmergency, emergencyReply, hotlines, loadEmergencyRules, type EmergencyRulesFile } from '../../src/tips/emergency.js'

const rules = loadEmergencyRules()

function levelOf(text: string): string {
  return detectEmergency(rules, text)?.level ?? 'none'
}

function writeYaml(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'emergency-')), 'rules.yaml')
  writeFileSync(file, text)
  return file
}

describe('detectEmergency: danger now', () => {
  it.each([
    ['Có người cầm dao ở cổng trường', 'weapon'],
    ['co nguoi cam dao o cong truong', 'weapon'],
    ['CÓ NGƯỜI CẦM DAO!!!', 'weapon'],
    ['nó rút dao ra r 😭', 'weapon'],
    ['bạn ấy bị đâm ở nhà xe', 'weapon'],
    ['mấy anh lớp 12 đang đánh hội đồng 1 bạn sau trường', 'violence'],
    ['e đg bj đánh ở nhà xe', 'violence'],
    ['nó doạ giết em', 'threat'],
    ['nó dọa giết em', 'threat'],
    ['mai nó mang dao lên xử em', 'threat'],
    ['ông chú trên xe buýt sờ mó em', 'sexual-abuse'],
    ['anh ta dọa tung ảnh nóng của em', 'sexual-abuse'],
    ['có ng ép em gửi ảnh nude', 'sexual-abuse'],
    ['e mún chít', 'self-harm'],
    ['hông muốn sống nữa', 'self-harm'],
    ['em muon tu tu', 'self-harm'],
    ['em muốn tự tữ', 'self-harm'],
    ['e vừa uống hết vỉ thuốc ngủ', 'self-harm'],
    ['tối nay e sẽ kết thúc tất cả', 'self-harm'],
    ['bố em đang đánh em', 'domestic-violence'],
    ['bạn em ngất xỉu ở sân', 'medical'],
    ['bạn e ko thở đc', 'medical'],
    ['có bạn lên cơn co giật', 'medical'],
    ['căng tin rò rỉ gas', 'fire'],
    ['ổ điện chập điện tóe lửa', 'fire'],
    ['khu kí túc xá hoả hoạn', 'fire'],
    ['trường em đang cháy', 'fire'],
    ['có bạn đuối nước ở hồ sau trường', 'rescue'],
    ['bạn e bị kẹt trong thang máy', 'rescue'],
    ['chị em bị dụ sang campuchia, đang bị giữ', 'luring-trafficking'],
    ['người lạ dụ em lên xe', 'luring-trafficking'],
    ['nước lũ lên nhanh, nhà em ngập tới mái', 'disaster'],
    ['sạt lở đất sau trường', 'disaster'],
    ['thằng Nam có súng', 'weapon'],
    ['mấy đứa lớp 8 thay nhau đá bạn em ở nhà xe', 'violence'],
    ['áo bạn em bắt lửa rồi', 'fire'],
    ['bạn em bơi bị chuột rút rồi chìm luôn', 'rescue'],
    ['em trai em trốn trong tủ đông không ra được', 'rescue'],
    ['dượng lại mò vào giường em', 'sexual-abuse'],
    ['chó dữ cắn nát chân em trai em', 'medical'],
    ['bạn em bị tiểu đường, đang run, vã mồ hôi, không có kẹo', 'medical'],
    ['nó đăng lên group là thứ hai sẽ đem thuốc nổ vô trường', 'threat'],
    // The idiom "dao rọc giấy" takes the knife away, not the threat around it.
    ['nó rút dao rọc giấy ra dọa bạn em', 'weapon'],
  ])('%j is an emergency (%s)', (text, kind) => {
    const match = detectEmergency(rules, text)
    expect(match?.level).toBe('emergency')
    expect(match?.kinds).toContain(kind)
  })

  it.each([
    ['tone mark on either vowel', 'bạn ấy bị đe doạ giết', 'bạn ấy bị đe dọa giết'],
    ['tone mark on either vowel', 'khu kí túc xá hoả hoạn', 'khu kí túc xá hỏa hoạn'],
    ['repeated letters', 'cứuuuu em vớiii, có người cầm daooo', 'cứu em với, có người cầm dao'],
    ['a digit for a letter', 'e mun ch3t', 'e muốn chết'],
    ['shorthand', 'bn e dg bj danh', 'bạn em đang bị đánh'],
    ['a tone slipped onto the next vowel', 'bạn em chảy maú nhiều quá', 'bạn em chảy máu nhiều quá'],
    ['a horn on the o alone', 'có người cầm dao ở cổng truơng', 'có người cầm dao ở cổng trường'],
    ['Southern speech', 'ba tui đi nhậu dìa đang quýnh má tui', 'ba tui đi nhậu về đang đánh má tui'],
  ])('reads %s the same (%j)', (_, typed, written) => {
    expect(detectEmergency(rules, typed)).toEqual(detectEmergency(rules, written))
    expect(levelOf(typed)).toBe('emergency')
  })
})

describe('detectEmergency: the question instead of the hotlines', () => {
  it.each([
    ['a past event told afterwards', 'hôm trước bạn em bị chém ở đầu ngõ'],
    ['hearsay', 'hình như có người lạ theo em'],
    ['worrying but unclear', 'bạn em nói muốn biến mất'],
    ['a joke', 'ba mà biết chắc ổng đánh chết tao 😂'],
    ['over', 'hết cháy rồi'],
    ['over, with nothing told from the past', 'bạn em bị chém, giờ đã khỏi'],
  ])('%s: %j', (_, text) => {
    expect(levelOf(text)).toBe('possible')
  })

  it.each([
    ['"đang" keeps a past event urgent', 'hôm qua nó dọa, giờ nó đang cầm dao đứng ở cổng'],
    ['"đang" raises an unclear phrase', 'có người lạ đang đi theo em'],
    ['"cứu" keeps a joke urgent', 'cứu em với nó cầm dao 😭😂'],
    ['a past event that goes on now', 'hôm qua bố đánh em, hôm nay lại đánh nữa'],
    ['abuse that has not stopped', 'dượng em xâm hại em từ năm ngoái tới giờ'],
    ['distress raises a worrying sign', 'ông bảo vệ gọi em vào phòng rồi đóng cửa lại, em sợ lắm'],
    ['distress raises a worrying sign', 'có người lạ đi theo em từ trường về, em sợ lắm'],
    ['distress raises a worrying sign', 'co nguoi chay xe theo e tu tram xe buyt, e re dau ho re do'],
    ['distress raises two everyday signs', 'dượng tối nào cũng vô phòng em, em ở nhà 1 mình sợ lắm'],
    ['"không đùa" is no joke', 'nói thật nó bảo ra chơi sẽ đâm em, nó không đùa'],
  ])('%s: %j', (_, text) => {
    expect(levelOf(text)).toBe('emergency')
  })

  it.each([
    ['a fact that is only worrying', 'có người lạ đi theo em từ trường về'],
    ['distress beside one everyday sign', 'em sợ quá, bạn trên mạng nói đề thi khó lắm'],
  ])('%s stays below an emergency: %j', (_, text) => {
    expect(levelOf(text)).not.toBe('emergency')
  })

  it.each([
    ['past and settled', 'năm ngoái thang máy trường bị kẹt, giờ sửa lại rồi'],
    ['past and settled', 'tuần trước em bị ngộ độc, giờ khỏe rồi'],
    ['distress alone', 'em ở nhà một mình, ba mẹ không có nhà, em sợ lắm'],
    ['a question about a topic', 'vì sao rò rỉ gas lại gây nổ ạ'],
    ['what would happen, asked', 'xăm hình thì có chảy máu nhiều không ạ'],
    ['a disaster long ago, over', 'ngày xưa làng em bị lũ quét, giờ dời lên đồi an toàn rồi'],
  ])('%s asks nothing: %j', (_, text) => {
    expect(levelOf(text)).toBe('none')
  })
})

describe('detectEmergency: ordinary', () => {
  it.each([
    ['idiom', 'mệt muốn chết'],
    ['idiom', 'đói mún chít lun á'],
    ['idiom', 'hôm nay nóng quá muốn chết'],
    ['idiom', 'e bị chảy máu cam'],
    ['idiom', 'thằng đó chém gió hay vãi'],
    ['idiom', 'cười ko thở nổi'],
    ['idiom', 'chết cười với nó'],
    ['idiom', 'giết thời gian bằng tiktok'],
    ['negation', 'ko có ai mang dao đâu'],
    ['negation', 'nó không có súng đâu, súng nhựa thôi'],
    ['negation', 'không ai bị thương cả'],
    ['fiction', 'phim bắt cóc tối qua hay ghê'],
    ['fiction', 'game có súng nào hay ko'],
    ['drill', 'tập huấn cứu hỏa cho khối 10'],
    ['drill', 'diễn tập thoát hiểm khi có cháy'],
    ['question', 'nếu thấy người cầm dao thì nên làm gì ạ'],
    ['collision', 'e bị nhọt ở cổ'],
    ['collision', 'chân e sưng lên vì đá bóng'],
    ['collision', 'mẹ bắt e giặt đồ'],
    ['collision', 'bi dam ban lop ben treu'],
    ['collision', 'bạn ấy đang chạy ngoài sân'],
    ['collision', 'ban ay dang chay ngoai san'],
    ['collision', 'em từ từ kể nhé'],
    ['collision', 'bạn ấy bị ngắt lời'],
    ['collision', 'tu van tam ly o dau a'],
    ['collision', 'bếp ga nhà em khó bắt lửa'],
    ['collision', 'app nên có mục báo hỏng hóc bàn ghế'],
    ['pretending', 'bạn em giả vờ ngất để khỏi chạy bộ'],
    ['a game', 'chơi cờ với nó, nó toàn đòi giết con hâu'],
    ['literature homework', 'đề văn: phân tích cảnh Chí Phèo cầm dao đến nhà Bá Kiến'],
    ['ordinary tip', 'học sinh lớp 9 hút thuốc lá điện tử trong nhà vệ sinh, khói thuốc bay ra'],
    ['ordinary tip', 'có đứa bán vape trong trường'],
    ['ordinary tip', 'bạn em bị lấy tiền ăn sáng hằng ngày'],
    ['ordinary tip', 'căng tin bán cơm cháy và nước ngọt'],
  ])('%s: %j', (_, text) => {
    expect(detectEmergency(rules, text)).toBeNull()
  })

  it('matches whole words only, and never across sentences or clauses', () => {
    expect(levelOf('bạn ấy cầm daokéo')).toBe('none')
    expect(levelOf('mấy bạn tựtử')).toBe('none')
    expect(levelOf('Bạn ấy đang. Cháy nắng hết rồi')).toBe('none')
  })
})

describe('detectEmergency: how students type it, beyond the listed wordings', () => {
  it.each([
    ['cứu em với', 'rescue'],
    ['cuu e voi!!!', 'rescue'],
    ['help me', 'rescue'],
    ['nha2 e dang chay1 roi', 'fire'],
    ['banj em bij ngaats', 'medical'],
    ['some guy with a knife at the school gate', 'weapon'],
    ['my friend is being beaten up', 'violence'],
    ['e muốn hỏi là bố e đang đánh mẹ e thì làm sao', 'domestic-violence'],
    ['bình gas nhà e bị rò, e sợ nổ', 'fire'],
    ['Bảo đang chảy máu nhiều lắm', 'medical'],
  ])('%s → emergency (%s)', (text, kind) => {
    const match = detectEmergency(rules, text)
    expect(match?.level).toBe('emergency')
    expect(match?.kinds).toContain(kind)
  })

  it.each([
    'giúp e với, e quên mật khẩu tài khoản',
    'cứu tui, mai thi sử mà chưa học chữ nào',
    'mẹ bảo đang bận nên chưa đón e',
    'nó đang đam mê bóng đá lắm',
    'ông ngoại e đi đám cưới ở quê',
    'mang dao vào trường bị phạt thế nào ạ',
    'nghe tin động đất ở Nhật thấy sợ',
    'wifi trường chậm muốn chết',
  ])('%s → not an emergency', (text) => {
    expect(levelOf(text)).not.toBe('emergency')
  })

  it('reads a polite "nếu…" question about the writer\'s own photos being used now as the report it is', () => {
    expect(levelOf('dạ em chào anh chị, em muốn hỏi là nếu có người đang đe dọa tung ảnh nóng của em lên mạng nếu em ko gửi thêm thì em phải làm sao ạ')).toBe('emergency')
    expect(levelOf('nếu thấy người đang cầm dao ở cổng trường thì phải làm gì ạ')).not.toBe('emergency')
  })

  it('lets a film, a trip or a drill named in one sentence silence that sentence only', () => {
    expect(levelOf('Hôm nay trường em đi ngoại khóa. Lúc nãy bạn Nam bị kẹt giữa suối')).toBe('emergency')
    expect(levelOf('Tối qua em xem phim hành động. Giờ có người cầm dao đứng ở cổng nhà em')).toBe('emergency')
    expect(levelOf('Hôm qua em xem phim, có cảnh người ta cầm dao đâm nhau')).toBe('none')
  })

  it('reads Southern speech as it reads the rest', () => {
    expect(detectEmergency(rules, 'tụi nó đang rượt tui, tui trốn trong tiệm tạp hóa')?.kinds).toContain('violence')
    expect(levelOf('nước lũ tràn vô nhà rồi, em với bà ở trên gác')).toBe('emergency')
    expect(levelOf('hồi nhỏ em hay bị chó rượt, giờ hết sợ rồi')).not.toBe('emergency')
  })

  it('asks, rather than lets pass, a cry for help beside words no rule knows', () => {
    expect(levelOf('cứu em, bài tập khó quá')).toBe('possible')
  })

  it('raises two separate signs of luring to an emergency: a secret meeting with an older online contact', () => {
    expect(levelOf('anh quen qua game kêu e tối nay trốn nhà ra gặp, ảnh bảo ko dc cho ai biết')).toBe('emergency')
  })
})

describe('detectEmergency: kinds and hotlines', () => {
  it('puts the most pressing kind first and its hotlines first, each once', () => {
    const match = detectEmergency(rules, 'Nó cầm dao đâm bạn, bạn ấy chảy máu nhiều')
    expect(match?.kinds[0]).toBe('weapon')
    expect(match?.kinds).toContain('medical')
    expect(match?.hotlines).toEqual(['113', '115'])
  })

  it.each([
    ['ông hàng xóm sờ mó em', ['111', '113']],
    ['em muốn tự tử', ['111', '115']],
    ['bố em đang đánh em', ['111', '113']],
    ['chị em bị dụ sang campuchia', ['113', '111']],
  ])('%j gets %j first', (text, first) => {
    expect(detectEmergency(rules, text)?.hotlines.slice(0, 2)).toEqual(first)
  })

  it('names the matched phrases as written in the file, for the officer', () => {
    expect(detectEmergency(rules, 'có người cầm dao')?.phrases.some((p) => p.includes('<weapon>'))).toBe(true)
  })
})

describe('the rule file', () => {
  const file = readYamlFile(defaultEmergencyRulesPath) as EmergencyRulesFile
  const simplest = (pattern: string) =>
    pattern
      .replace(/\([^()]*\)\?/g, '')
      .replace(/\(([^()|]*)[^()]*\)/g, '$1')
      .replace(/<([^<>]+)>/g, (_, name: string) => file.classes[name]![0]!)
      .replace(/[…^$]/g, '')

  it('matches its own simplest wording of every phrase, at the level the phrase is listed for', () => {
    for (const kind of file.kinds) {
      for (const pattern of [...kind.phrases, ...(kind.onlyWithDiacritics ?? [])]) {
        const match = detectEmergency(rules, simplest(pattern))
        expect(match?.kinds, pattern).toContain(kind.kind)
        expect(match?.level, pattern).toBe('emergency')
      }
      for (const pattern of kind.possible ?? []) expect(detectEmergency(rules, simplest(pattern))?.kinds, pattern).toContain(kind.kind)
    }
  })

  it('matches a phrase listed under onlyWithDiacritics only when it is typed with them', () => {
    for (const kind of file.kinds) {
      for (const pattern of kind.onlyWithDiacritics ?? []) {
        expect(detectEmergency(rules, foldVietnamese(simplest(pattern)))?.phrases ?? [], pattern).not.toContain(pattern)
      }
    }
  })
})

describe('emergencyReply', () => {
  it('starts with the most relevant number, lists all four once, and promises nothing about the tip', () => {
    const reply = emergencyReply(detectEmergency(rules, 'có người cầm dao ở cổng trường')!)
    const lines = reply.split('\n')
    expect(lines[0]).toBe('🚨 Hãy gọi ngay 113 (công an) nếu bạn hoặc ai đó đang gặp nguy hiểm.')
    expect(lines.filter((line) => line.startsWith('📞')).map((line) => line.slice(3, 6))).toEqual(['113', '115', '114', '111'])
    for (const number of hotlines) expect(reply.split(number).length - 1).toBe(number === '113' ? 2 : 1)
    expect(reply).not.toMatch(/chuyển|khẩn cấp|sẽ được/)
    expect(hasVietnameseDiacritics(reply)).toBe(true)
  })

  it('starts with the fire line for a fire', () => {
    expect(emergencyReply(detectEmergency(rules, 'trường em đang cháy')!).split('\n')[0]).toBe('🚨 Hãy gọi ngay 114 (cứu hỏa, cứu nạn) nếu bạn hoặc ai đó đang gặp nguy hiểm.')
  })

  it('answers self-harm gently: thanks, 111 and 115, a trusted adult now, and no alarm', () => {
    for (const text of ['e mún chít', 'em vừa uống nhiều thuốc ngủ lắm, giờ choáng quá', 'em cắt tay chảy máu', 'mik đang cầm dao lam muốn rạch tay']) {
      const reply = emergencyReply(detectEmergency(rules, text)!)
      expect(reply, text).toMatch(/^Cảm ơn bạn đã nói ra/)
      expect(reply, text).toContain('111')
      expect(reply, text).toContain('115')
      expect(reply, text).toContain('nói với một người lớn bạn tin ngay bây giờ')
      expect(reply, text).not.toMatch(/🚨|khẩn cấp|nguy hiểm/)
    }
  })

  it('fits a phone screen', () => {
    for (const text of ['nó cầm dao, bạn ấy chảy máu, nhà xe đang cháy', 'e mún chít', 'ông chú sờ mó em']) {
      const reply = emergencyReply(detectEmergency(rules, text)!)
      expect(reply.split('\n').length, text).toBeLessThanOrEqual(12)
      expect(reply.length, text).toBeLessThanOrEqual(700)
    }
  })
})

describe('loadEmergencyRules', () => {
  const kind = (extra: string) => `kinds:\n  - kind: weapon\n    hotlines: ['113']\n    advice: Tránh xa.\n${extra}`

  it.each([
    [kind('    phrases: [cầm dao]\n').replace("['113']", "['112']"), /kinds\.0\.hotlines\.0 must be one of 113, 114, 115, 111/],
    [kind('    phrases: [cầm dao, "Cầm  dao"]\n'), /kinds\.0 lists "Cầm {2}dao" again \(already under weapon\)/],
    [kind('    onlyWithDiacritics: [cam dao]\n'), /kinds\.0\.onlyWithDiacritics\.0 has no diacritics/],
    [kind(''), /kinds\.0 needs at least one phrase/],
    [kind('    phrases: [cầm <vũ-khí>]\n'), /kinds\.0\.phrases\.0 "cầm <vũ-khí>" names an unknown class <vũ-khí>/],
    [kind('    phrases: ["(cầm|mang dao"]\n'), /kinds\.0\.phrases\.0 .* has unbalanced brackets/],
    [kind('    phrases: ["(cầm||mang) dao"]\n'), /has an empty choice/],
    [kind('    phrases: ["cầm (dao|$)"]\n'), /puts \^ or \$ inside \( \| \)/],
    [kind('    phrases: [cầm dao]\n    typo: 1\n'), /kinds\.0/],
    ['teencode:\n  "đg bj": đang bị\n' + kind('    phrases: [cầm dao]\n'), /teencode "đg bj" must be a single word, as typed\.$/],
    ['kinds: [\n', /cannot be read as YAML/],
  ])('names the file and the field of a wrong rule (%#)', (yaml, message) => {
    const file = writeYaml(yaml)
    expect(() => loadEmergencyRules(file)).toThrow(ConfigError)
    expect(() => loadEmergencyRules(file)).toThrow(message)
  })

  it('accepts hotlines written as numbers, and classes and shorthand of its own', () => {
    const loaded = loadEmergencyRules(writeYaml(`teencode:\n  cm: cầm\nclasses:\n  arm: [dao, súng]\n${kind('    phrases: [cầm <arm>]\n').replace("['113']", '[113, 115]')}`))
    expect(detectEmergency(loaded, 'nó cm súng')).toMatchObject({ level: 'emergency', hotlines: ['113', '115'] })
  })
})
