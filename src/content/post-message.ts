import { bold, escapeHtml, italic, type OutgoingMessage } from '../core/message.js'
import { tipDeepLinkButton } from '../tips/tip-deep-link.js'
import type { Post } from './post.js'

export const postFooter = '— Trợ lý An toàn Trường học'

/** The post's text, the same for every group: a planner renders it once per post, not once per group. */
export function postText(post: Post): string {
  return `${bold(post.title)}\n\n${escapeHtml(post.body)}\n\n${italic(postFooter)}`
}

/** A post as a group sees it: bold title, the body, the signature, and the anonymous-tip button. */
export function renderPost(post: Post, schoolCode: string, text = postText(post)): OutgoingMessage {
  return {
    text,
    buttons: [[tipDeepLinkButton(schoolCode)]],
    photo: post.image ? { source: { kind: 'file', path: post.image.path }, alt: post.image.alt } : undefined,
  }
}
