import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { csPath, groupPath, oaInfoPath, startFakeZalo, tokenPath, uploadImagePath, userText, type FakeZalo } from '../../fakes/fake-zalo.js'

/** The fake must behave like Zalo where the bot depends on it; these pin that down without the bot. */
let zalo: FakeZalo

beforeEach(async () => {
  zalo = await startFakeZalo()
})
afterEach(async () => {
  await zalo.stop()
})

async function oauth(form: Record<string, string>, secret = zalo.appSecret): Promise<Record<string, unknown>> {
  const response = await fetch(`${zalo.url}${tokenPath}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', secret_key: secret }, body: new URLSearchParams(form).toString() })
  return (await response.json()) as Record<string, unknown>
}

async function api(path: string, token: string | undefined, body?: unknown): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...(token ? { access_token: token } : {}) }
  const response = await fetch(`${zalo.url}${path}`, { method: body === undefined ? 'GET' : 'POST', headers, body: body === undefined ? undefined : JSON.stringify(body) })
  return (await response.json()) as Record<string, unknown>
}

async function freshToken(): Promise<string> {
  const answer = await oauth({ refresh_token: zalo.liveRefreshTokens[0]!, app_id: zalo.appId, grant_type: 'refresh_token' })
  return answer.access_token as string
}

describe('fake Zalo: OAuth v4', () => {
  it('rotates refresh tokens: a used one answers -14014, expires_in is a string', async () => {
    const first = await oauth({ refresh_token: zalo.initialRefreshToken, app_id: zalo.appId, grant_type: 'refresh_token' })
    expect(first).toMatchObject({ access_token: expect.stringMatching(/^at-/), refresh_token: expect.stringMatching(/^rt-/), expires_in: '90000' })
    const reused = await oauth({ refresh_token: zalo.initialRefreshToken, app_id: zalo.appId, grant_type: 'refresh_token' })
    expect(reused).toEqual({ error: -14014, error_name: 'Invalid refresh token', error_description: 'Refresh token is invalid or has been used' })
    expect(zalo.liveRefreshTokens).toEqual([first.refresh_token])
    expect(zalo.refreshCalls.map((c) => c.outcome)).toEqual(['issued', 'refused'])
  })

  it('wants the app secret in the secret_key header and checks the PKCE verifier', async () => {
    expect((await oauth({ refresh_token: zalo.initialRefreshToken, app_id: zalo.appId, grant_type: 'refresh_token' }, 'wrong')).error).toBe(-14002)
    const verifier = 'a'.repeat(43)
    const challenge = createHash('sha256').update(verifier).digest('base64url')
    const { code } = zalo.grant(`${zalo.url}/v4/oa/permission?app_id=${zalo.appId}&redirect_uri=x&code_challenge=${challenge}&state=s`)
    expect((await oauth({ code, app_id: zalo.appId, grant_type: 'authorization_code', code_verifier: 'b'.repeat(43) })).error).toBe(-14022)
    expect(await oauth({ code, app_id: zalo.appId, grant_type: 'authorization_code', code_verifier: verifier })).toHaveProperty('access_token')
    expect((await oauth({ code, app_id: zalo.appId, grant_type: 'authorization_code', code_verifier: verifier })).error).toBe(-14019)
  })
})

describe('fake Zalo: OpenAPI', () => {
  it('answers HTTP 200 with {error, message, data}; -216 without a valid token, also after expireAccessToken', async () => {
    expect(await api(oaInfoPath, undefined)).toEqual({ error: -216, message: 'Access token is invalid' })
    const token = await freshToken()
    expect(await api(oaInfoPath, token)).toMatchObject({ error: 0, data: { oa_id: zalo.oaId } })
    zalo.expireAccessToken(token, -220)
    expect((await api(oaInfoPath, token)).error).toBe(-220)
  })

  it('records cs and group sends, refuses what Zalo refuses', async () => {
    const token = await freshToken()
    expect(await api(csPath, token, { recipient: { user_id: '42' }, message: { text: 'chào' } })).toMatchObject({ error: 0, data: { message_id: expect.any(String), user_id: '42' } })
    expect(await api(groupPath, token, { recipient: { group_id: 'g1' }, message: { text: 'nhóm' } })).toMatchObject({ error: 0, data: { group_id: 'g1' } })
    expect(zalo.messages.map((m) => [m.kind, m.chatId, m.text])).toEqual([
      ['cs', '42', 'chào'],
      ['group', 'group-g1', 'nhóm'],
    ])
    expect((await api(csPath, token, { recipient: { user_id: '42' }, message: { text: 'x'.repeat(2001) } })).error).toBe(-210)
    expect((await api(groupPath, token, { recipient: { group_id: 'g1' }, message: { attachment: { type: 'template', payload: { template_type: 'button', buttons: [] } } } })).error).toBe(-201)
    zalo.closeWindow('42')
    expect(await api(csPath, token, { recipient: { user_id: '42' }, message: { text: 'x' } })).toEqual({ error: -230, message: 'User has not interacted with the OA in the past 7 days' })
    zalo.disableGroup('g1')
    expect((await api(groupPath, token, { recipient: { group_id: 'g1' }, message: { text: 'x' } })).error).toBe(-237)
    zalo.failNext({ with: { kind: 'rate-limit' } })
    expect((await api(csPath, token, { recipient: { user_id: '7' }, message: { text: 'x' } })).error).toBe(-32)
    expect(zalo.messages).toHaveLength(2)
  })

  it('takes multipart image uploads up to 1 MB and gives an attachment_id', async () => {
    const token = await freshToken()
    const upload = async (size: number) => {
      const form = new FormData()
      form.append('file', new Blob([Buffer.alloc(size)], { type: 'image/png' }), 'a.png')
      return (await (await fetch(`${zalo.url}${uploadImagePath}`, { method: 'POST', headers: { access_token: token }, body: form })).json()) as Record<string, unknown>
    }
    expect(await upload(500)).toMatchObject({ error: 0, data: { attachment_id: expect.stringMatching(/^att-/) } })
    expect((await upload(1_000_001)).error).toBe(-210)
    expect(zalo.uploads).toHaveLength(1)
  })
})

describe('fake Zalo: webhooks', () => {
  let server: Server
  const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = []

  beforeEach(async () => {
    received.length = 0
    server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
        res.end('ok')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    zalo.webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/zalo`
  })
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve))
  })

  it('signs with sha256(appId + body + timestamp + OA secret key) as "mac=<hex>", and can forge, age and replay', async () => {
    await zalo.deliverWebhook(userText('42', 'chào'))
    const { headers, body } = received[0]!
    const timestamp = String((JSON.parse(body) as { timestamp: string }).timestamp)
    expect(headers['x-zevent-signature']).toBe(`mac=${createHash('sha256').update(zalo.appId + body + timestamp + zalo.oaSecretKey).digest('hex')}`)
    expect(Math.abs(Number(timestamp) - Date.now())).toBeLessThan(5000)
    await zalo.deliverWebhook(userText('42', 'giả'), { forge: true })
    expect(received[1]!.headers['x-zevent-signature']).not.toBe(`mac=${zalo.sign(received[1]!.body, String((JSON.parse(received[1]!.body) as { timestamp: string }).timestamp))}`)
    await zalo.deliverWebhook(userText('42', 'cũ'), { ageMs: 600_000 })
    expect(Date.now() - Number((JSON.parse(received[2]!.body) as { timestamp: string }).timestamp)).toBeGreaterThanOrEqual(600_000)
    await zalo.replayLast()
    expect(received[3]).toEqual(received[2])
  })
})
