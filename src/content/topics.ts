/**
 * The awareness topics the seeds ask schools to spread (seed 002 IV.2, seeds 000, 001, 004);
 * each is a folder under content/ and must keep at least five posts.
 */
export const topics = [
  'ma-tuy',
  'thuoc-la-dien-tu',
  'an-toan-mang',
  'an-toan-giao-thong',
  'bao-luc-hoc-duong',
  'xam-hai-tre-em',
  'mua-ban-nguoi',
  'phong-chay-chua-chay',
  'vu-khi-phao-no',
  'thien-tai-dich-benh',
  'ky-nang-tu-bao-ve',
  'an-ninh-trat-tu',
  'an-ninh-phi-truyen-thong',
  'an-toan-thuc-pham',
  'tin-dung-den-co-bac',
  'suc-khoe-tam-than',
  'moi-truong',
  'chat-gay-nghien-moi',
] as const

export type Topic = (typeof topics)[number]

export const topicLabels: Record<Topic, string> = {
  'ma-tuy': 'Phòng, chống ma túy',
  'thuoc-la-dien-tu': 'Thuốc lá điện tử',
  'an-toan-mang': 'An toàn trên không gian mạng',
  'an-toan-giao-thong': 'An toàn giao thông',
  'bao-luc-hoc-duong': 'Bạo lực học đường',
  'xam-hai-tre-em': 'Phòng, chống xâm hại trẻ em',
  'mua-ban-nguoi': 'Phòng, chống mua bán người',
  'phong-chay-chua-chay': 'Phòng cháy, chữa cháy',
  'vu-khi-phao-no': 'Vũ khí, vật liệu nổ, pháo',
  'thien-tai-dich-benh': 'Thiên tai, dịch bệnh',
  'ky-nang-tu-bao-ve': 'Kỹ năng tự bảo vệ',
  'an-ninh-trat-tu': 'An ninh, trật tự',
  'an-ninh-phi-truyen-thong': 'An ninh phi truyền thống, "bốn tại chỗ"',
  'an-toan-thuc-pham': 'An toàn thực phẩm',
  'tin-dung-den-co-bac': 'Tín dụng đen, cờ bạc, cá độ trên mạng',
  'suc-khoe-tam-than': 'Sức khỏe tinh thần, tư vấn tâm lý',
  'moi-truong': 'Bảo vệ môi trường',
  'chat-gay-nghien-moi': 'Bóng cười và chất gây nghiện mới',
}

export function isTopic(name: string): name is Topic {
  return (topics as readonly string[]).includes(name)
}

/** Folders under content/ that hold something other than posts. */
export const nonPostFolders = ['tips'] as const

/** The least a topic needs so a group does not see the same post again within months. */
export const minPostsPerTopic = 5
