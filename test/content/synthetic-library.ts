import type { Post } from '../../src/content/post.js'
import { topics, type Topic } from '../../src/content/topics.js'
import type { Audience, SchoolLevel } from '../../src/directory/model.js'

/**
 * A library with known shapes, so rotation tests do not move when writers edit content/.
 * Per topic: which posts suit a primary school, a THCS school, pupils, parents, teachers.
 */
const profiles: { audience: Audience[]; levels: SchoolLevel[] }[] = [
  { audience: ['hoc-sinh'], levels: ['tieu-hoc', 'thcs'] },
  { audience: ['hoc-sinh', 'phu-huynh'], levels: ['tieu-hoc', 'thcs', 'thpt'] },
  { audience: ['phu-huynh'], levels: ['tieu-hoc'] },
  { audience: ['hoc-sinh'], levels: ['thcs', 'thpt'] },
  { audience: ['giao-vien'], levels: ['thcs', 'thpt'] },
  { audience: ['hoc-sinh'], levels: ['thcs'] },
  { audience: ['hoc-sinh'], levels: ['thpt'] },
]

/** Human trafficking is written for older pupils only here, so a primary group never gets it. */
const notForPrimary: Topic = 'mua-ban-nguoi'

function post(id: string, topic: Topic, fields: Partial<Post> = {}): Post {
  return { id, topic, title: `Bài ${id}`, audience: ['hoc-sinh'], levels: ['thcs'], tags: [], sources: ['Luật Trẻ em số 102/2016/QH13'], body: `Nội dung của bài ${id}.`, file: `content/${topic}/${id}.md`, ...fields }
}

export function syntheticPosts(): Post[] {
  const posts: Post[] = []
  for (const topic of topics) {
    profiles.forEach((profile, index) => {
      const levels = topic === notForPrimary ? profile.levels.filter((level) => level !== 'tieu-hoc') : profile.levels
      posts.push(post(`${topic}-${index + 1}`, topic, { audience: profile.audience, levels: levels.length ? levels : ['thpt'] }))
    })
  }
  posts.push(
    post('ma-tuy-ngay-26-6', 'ma-tuy', { audience: ['hoc-sinh', 'phu-huynh'], levels: ['thcs', 'thpt'], days: ['26/06'] }),
    post('an-ninh-trat-tu-ngay-19-8', 'an-ninh-trat-tu', { audience: ['hoc-sinh', 'phu-huynh', 'giao-vien'], levels: ['tieu-hoc', 'thcs', 'thpt'], days: ['19/08'] }),
    post('phong-chay-chua-chay-ngay-4-10', 'phong-chay-chua-chay', { audience: ['hoc-sinh', 'phu-huynh'], levels: ['tieu-hoc', 'thcs'], days: ['04/10'] }),
    post('an-ninh-trat-tu-ngay-18-11', 'an-ninh-trat-tu', { audience: ['hoc-sinh', 'phu-huynh'], levels: ['tieu-hoc', 'thcs'], days: ['18/11'] }),
    post('thien-tai-dich-benh-he-duoi-nuoc', 'thien-tai-dich-benh', { audience: ['hoc-sinh', 'phu-huynh'], levels: ['tieu-hoc', 'thcs'], months: [6, 7, 8] }),
  )
  return posts
}
