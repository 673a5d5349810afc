import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/config.js'
import { configErrorOf } from '../../support/config-error.js'

const key = 'ab'.repeat(32)
const zalo = { ZALO_APP_ID: '2553928453557884079', ZALO_APP_SECRET: 'appSecret_0123456789', ZALO_OA_SECRET_KEY: 'oaSecret_0123456789' }

describe('the zalo section of the configuration', () => {
  it('is off by default and on with the three app values, with Zalo\'s hosts by default', () => {
    expect(loadConfig({}).zalo).toBeUndefined()
    expect(loadConfig({ ...zalo, TIP_ENCRYPTION_KEY: key }).zalo).toEqual({
      appId: zalo.ZALO_APP_ID,
      appSecret: zalo.ZALO_APP_SECRET,
      oaSecretKey: zalo.ZALO_OA_SECRET_KEY,
      oaId: undefined,
      apiBase: 'https://openapi.zalo.me',
      oauthBase: 'https://oauth.zaloapp.com',
      refreshToken: undefined,
      messagesPerSecond: 5,
    })
    expect(loadConfig({ ...zalo, TIP_ENCRYPTION_KEY: key, ZALO_API_BASE: 'http://127.0.0.1:9000/', ZALO_REFRESH_TOKEN: ' rt ' }).zalo).toMatchObject({ apiBase: 'http://127.0.0.1:9000', refreshToken: 'rt' })
  })

  it.each([
    [{ ZALO_APP_ID: zalo.ZALO_APP_ID, TIP_ENCRYPTION_KEY: key }, /^Configuration error: ZALO_APP_SECRET is missing and must be set too: Zalo needs ZALO_APP_ID, ZALO_APP_SECRET and ZALO_OA_SECRET_KEY together/],
    [{ ...zalo, ZALO_OA_SECRET_KEY: '', TIP_ENCRYPTION_KEY: key }, /^Configuration error: ZALO_OA_SECRET_KEY is "…" but must be set too/],
    [{ ...zalo, ZALO_APP_ID: 'my-app' }, /^Configuration error: ZALO_APP_ID is "my-app" but must be the numeric App ID/],
    [zalo, /^Configuration error: TIP_ENCRYPTION_KEY is missing and must be set when a platform token is set/],
    [{ ...zalo, TIP_ENCRYPTION_KEY: key, ZALO_OAUTH_BASE: 'oauth' }, /ZALO_OAUTH_BASE is "oauth" but must be a URL/],
    [{ ...zalo, TIP_ENCRYPTION_KEY: key, ZALO_MESSAGES_PER_SECOND: '0' }, /ZALO_MESSAGES_PER_SECOND is "0" but must be a whole number/],
  ])('names the variable in one sentence: %o', (env, message) => {
    const text = configErrorOf(env)
    expect(text).toMatch(message)
    expect(text.split('\n')).toHaveLength(1)
  })

  it('never echoes a Zalo secret', () => {
    const text = configErrorOf({ ...zalo, ZALO_APP_SECRET: 'short' , TIP_ENCRYPTION_KEY: key })
    expect(text).toContain('ZALO_APP_SECRET is "…"')
    expect(text).not.toContain('short')
  })
})
