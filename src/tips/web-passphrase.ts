import { randomBytes, randomInt, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import { foldVietnamese } from '../core/fold.js'

/**
 * The passphrase a web tipster keeps beside the receipt code: four common Vietnamese words.
 * Words are compared without diacritics (a phone without a Vietnamese keyboard must work), so
 * every word here is distinct once folded. 4 words of the list below give about 32 bits; with
 * the per-code limit on wrong tries that is out of reach of guessing, and the receipt code is a
 * second secret on top. Only a slow hash is stored.
 */
const wordList = `
mèo chó gà vịt ngựa trâu dê thỏ hươu nai voi khỉ gấu hổ sóc chim cò vạc sếu diều én yến sẻ công
tôm cua ốc hến sò nghêu rùa ếch nhái bướm ong kiến dế ve
hoa lá cành rễ cây cỏ rêu nấm lúa ngô khoai sắn đậu mía chè sen huệ cúc đào mai lan trúc tre
thông bàng phượng dừa cau xoài mít ổi chuối nhãn vải bưởi cam quýt chanh táo lê mận na hồng dứa
dưa bí mướp cà gừng nghệ tỏi hành rau cải
trời mây mưa nắng gió sương tuyết sấm chớp trăng sao bão
núi đồi sông suối biển hồ ao đầm thác đèo vịnh đảo bãi cát đá sỏi đất
sáng trưa chiều tối đêm ngày tuần tháng năm xuân hạ thu đông
bàn ghế tủ giường gối chăn màn quạt đèn nến cửa sân vườn nhà bếp mái tường cột cầu thang giếng
bút mực giấy sách vở thước phấn bảng cặp túi hộp gương lược khăn áo quần mũ nón giày dép ô kính
bát đĩa thìa đũa nồi chảo ấm chén cốc ly rổ rá thúng nia
xe tàu thuyền ghe bè buồm lái neo ga bến chợ phố làng xóm thôn bản huyện tỉnh
cơm cháo phở bún miến bánh xôi chè kẹo mứt sữa trứng muối đường tiêu mắm canh
đỏ xanh vàng tím trắng đen nâu xám
một hai ba bốn sáu bảy tám chín mười trăm nghìn
vui hiền ngoan giỏi khỏe nhanh chậm cao thấp dài ngắn rộng hẹp mới cũ nhẹ nặng ấm mát thơm ngọt
hát múa vẽ đọc viết học chơi chạy nhảy bơi leo câu đan thêu may nấu
tim mắt tai mũi miệng tóc tay chân vai lưng bụng
đàn sáo trống kèn chiêng phách
vàng bạc đồng sắt thiếc gỗ tre nứa lụa vải len
bảo minh an hòa bình phúc lộc thọ khang ninh thái tâm trí dũng nhân nghĩa lễ tín
quê nước non rừng đồng ruộng nương rẫy vườn
`

/** The list, folded-distinct, in a stable order; duplicates after folding are dropped (first one kept). */
export const passphraseWords: readonly string[] = (() => {
  const seen = new Set<string>()
  const words: string[] = []
  for (const word of wordList.split(/\s+/).filter(Boolean)) {
    const folded = foldVietnamese(word)
    if (seen.has(folded)) continue
    seen.add(folded)
    words.push(word.normalize('NFC'))
  }
  return words
})()

export const passphraseWordCount = 4

export function newPassphrase(): string {
  return Array.from({ length: passphraseWordCount }, () => passphraseWords[randomInt(passphraseWords.length)]!).join(' ')
}

/** "Mèo  XANH-chè,  núi" → "meo xanh che nui": what is hashed and compared. */
export function normalizePassphrase(typed: string): string {
  return foldVietnamese(typed)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
}

/** N = 2^15, r = 8: about 32 MB and tens of milliseconds per try, the cost OWASP suggests for scrypt. */
const scryptParams = { N: 32768, r: 8, p: 1 } as const
const keyLength = 32

export interface PassphraseHash {
  /** "scrypt$N$r$p$salt$hash", salt and hash base64url: the parameters travel with the hash. */
  encoded: string
}

function scrypt(secret: string, salt: Buffer, options: { N: number; r: number; p: number }): Promise<Buffer> {
  const opts: ScryptOptions = { ...options, maxmem: 128 * options.N * options.r * 2 }
  return new Promise((resolve, reject) => scryptCallback(secret, salt, keyLength, opts, (error, key) => (error ? reject(error) : resolve(key))))
}

export async function hashPassphrase(passphrase: string): Promise<PassphraseHash> {
  const salt = randomBytes(16)
  const key = await scrypt(normalizePassphrase(passphrase), salt, scryptParams)
  return { encoded: ['scrypt', scryptParams.N, scryptParams.r, scryptParams.p, salt.toString('base64url'), key.toString('base64url')].join('$') }
}

export async function passphraseMatches(typed: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64url')
  const key = await scrypt(normalizePassphrase(typed), Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) })
  return key.length === expected.length && timingSafeEqual(key, expected)
}
