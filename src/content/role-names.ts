/**
 * One name per role and term across the library. A parent who reads "đầu mối an ninh" on
 * Monday and "cán bộ an ninh" on Thursday wonders whether these are two people; a tip sent to
 * the wrong one is lost time. Each entry: the name every post uses, and the other names seen.
 */
export interface RoleName {
  role: string
  name: string
  others: RegExp[]
}

export const roleNames: readonly RoleName[] = [
  {
    role: "the school's safety contact",
    name: 'cán bộ phụ trách an ninh của trường',
    others: [/đầu mối an ninh/iu, /cán bộ an ninh(?! mạng)/iu, /thầy cô phụ trách an ninh/iu, /người phụ trách an ninh/iu],
  },
  { role: 'the ward or commune police', name: 'Công an phường, xã', others: [/công an xã,? phường/iu, /công an (?:phường|xã) ?\/ ?(?:phường|xã)/iu] },
  // "ga" alone also means a railway station; only the cooking-gas phrases are meant.
  { role: 'cooking gas', name: 'gas', others: [/(?:bếp|bình|van|khóa|mùi|rò rỉ|khí|hở|bật) ga(?![\p{L}\p{N}])/iu] },
  // On Telegram the tip entry is a button, on Zalo a line to type: "bấm nút" is wrong on Zalo.
  { role: 'the anonymous-tip entry under every post', name: 'mục "Báo tin ẩn danh" ngay dưới bài', others: [/(?:bấm|nhấn) (?:vào )?nút "?Báo tin ẩn danh/iu] },
]

/**
 * Words that belong to schools, not universities or colleges: a post that dh-cd-tc groups get
 * must say the student's word too.
 */
export const schoolOnlyTerms: readonly { term: RegExp; label: string; alsoNeeds: RegExp; fix: string }[] = [
  { term: /chủ nhiệm/iu, label: 'chủ nhiệm', alsoNeeds: /cố vấn học tập/iu, fix: 'add "cố vấn học tập" for students of universities and colleges' },
  { term: /học sinh/iu, label: 'học sinh', alsoNeeds: /sinh viên/iu, fix: 'say "học sinh, sinh viên"' },
]

/** The roles a text names by another name than the library's: "đầu mối an ninh" → the one to use. */
export function otherRoleNamesIn(text: string): { role: RoleName; found: string }[] {
  const found: { role: RoleName; found: string }[] = []
  for (const role of roleNames) {
    for (const pattern of role.others) {
      const match = pattern.exec(text)
      if (match) found.push({ role, found: match[0] })
    }
  }
  return found
}
