import { foldVietnamese } from '../core/fold.js'

/**
 * A kind of tip. How fast each must be acknowledged is data, not code: the working hours per
 * category are in schedules/tip-response.yaml (src/tips/tip-response.ts).
 */
export interface TipCategory {
  id: string
  emoji: string
  label: string
  /** Other ways people name it, matched without diacritics, so "thuốc lá điện tử" alone picks ma-tuy. */
  aliases: readonly string[]
}

function category<Id extends string>(id: Id, emoji: string, label: string, aliases: readonly string[]): TipCategory & { id: Id } {
  return { id, emoji, label, aliases }
}

/** In menu order: the position is the number Zalo users answer with, so append, never reorder. */
export const tipCategories = [
  category('ma-tuy', '💊', 'Ma túy, thuốc lá điện tử', ['ma túy', 'thuốc lá điện tử', 'thuốc lá', 'chất cấm', 'vape']),
  category('bao-luc', '👊', 'Bạo lực học đường, đánh nhau', ['bạo lực', 'bạo lực học đường', 'đánh nhau', 'đánh bạn', 'bắt nạt']),
  category('xam-hai', '🛡️', 'Xâm hại trẻ em', ['xâm hại', 'xâm hại tình dục', 'quấy rối', 'bạo hành']),
  category('lua-dao-mang', '🌐', 'Lừa đảo trên mạng, nội dung xấu, bắt nạt qua mạng', [
    'lừa đảo',
    'lừa đảo trên mạng',
    'lừa đảo qua mạng',
    'nội dung xấu',
    'bắt nạt qua mạng',
    'bắt nạt trên mạng',
    'an toàn mạng',
  ]),
  category('vat-nguy-hiem', '🔪', 'Vũ khí, vật liệu nổ, pháo', ['vũ khí', 'vật liệu nổ', 'pháo', 'pháo nổ', 'vật nguy hiểm', 'dao', 'súng']),
  category('giao-thong', '🚦', 'Giao thông', ['an toàn giao thông', 'tai nạn giao thông', 'xe']),
  category('chay-no', '🔥', 'Cháy nổ', ['cháy', 'nổ', 'phòng cháy', 'hỏa hoạn', 'pccc']),
  category('nguoi-la', '👤', 'Người lạ, hoạt động bất thường ở cổng trường', ['người lạ', 'hoạt động bất thường', 'cổng trường', 'bất thường']),
  category('khac', '📝', 'Khác', ['việc khác', 'cái khác', 'loại khác']),
  category('du-do-mua-ban-nguoi', '🚐', 'Dụ dỗ, lừa đi, mua bán người', [
    'dụ dỗ',
    'lừa đi',
    'bị dụ',
    'mua bán người',
    'buôn người',
    'bắt cóc',
    'lừa đi làm',
    'lừa sang campuchia',
  ]),
  category('tu-hai', '💚', 'Tự làm hại bản thân / cần người nghe', ['tự hại', 'tự làm hại', 'tự làm hại bản thân', 'tự tử', 'cần người nghe', 'muốn tâm sự', 'tự tổn thương']),
] as const satisfies readonly TipCategory[]

export type TipCategoryId = (typeof tipCategories)[number]['id']

export function categoryById(id: string): TipCategory | undefined {
  return tipCategories.find((c) => c.id === id)
}

/**
 * "💊 Ma túy, thuốc lá điện tử", "ma tuy", "ma-tuy", "1", "số 1" or a copied menu line "1. 💊 Ma túy, …"
 * → the category; anything else, or a number and a name that disagree, → undefined.
 */
export function parseCategory(text: string): TipCategory | undefined {
  const typed = comparable(text)
  if (typed === '') return undefined
  const numbered = /^(?:so )?(\d{1,2})(?: (.+))?$/.exec(typed)
  if (!numbered) return tipCategories.find((c) => namesOf(c).includes(typed))
  const atPosition: TipCategory | undefined = tipCategories[Number(numbered[1]) - 1]
  const copiedLabel = numbered[2]
  if (!atPosition || copiedLabel === undefined) return atPosition
  return namesOf(atPosition).includes(copiedLabel) ? atPosition : undefined
}

/** "1. 💊 Ma túy, thuốc lá điện tử" per line: the numbered menu parseCategory understands. */
export function categoryMenu(): string {
  return tipCategories.map((c, index) => `${index + 1}. ${c.emoji} ${c.label}`).join('\n')
}

function namesOf(c: TipCategory): string[] {
  return [c.id, c.label, ...c.aliases].map(comparable)
}

function comparable(text: string): string {
  return foldVietnamese(text)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
}

/** The category an emergency is filed under before the student has picked one, by the danger matched. */
const categoryOfEmergencyKind: Readonly<Record<string, TipCategoryId>> = {
  weapon: 'vat-nguy-hiem',
  violence: 'bao-luc',
  threat: 'bao-luc',
  'sexual-abuse': 'xam-hai',
  abuse: 'xam-hai',
  'domestic-violence': 'xam-hai',
  'self-harm': 'tu-hai',
  'luring-trafficking': 'du-do-mua-ban-nguoi',
  fire: 'chay-no',
}

/** The first matched kind (most pressing first) that names a category; "khac" for medical, rescue, disaster. */
export function categoryForEmergencyKinds(kinds: readonly string[]): TipCategoryId {
  for (const kind of kinds) {
    const id = categoryOfEmergencyKind[kind]
    if (id) return id
  }
  return 'khac'
}
