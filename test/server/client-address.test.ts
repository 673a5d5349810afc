import { describe, expect, it } from 'vitest'
import { clientAddress, normalizeAddress } from '../../src/server/client-address.js'
import type { HttpRequest } from '../../src/server/http-server.js'

const request = (remoteAddress: string, forwardedFor?: string) => ({ remoteAddress, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} }) as unknown as HttpRequest
const proxies = new Set(['10.0.0.2', '127.0.0.1'].map(normalizeAddress))

describe('the client address (dashboard sign-in and the web tip page alike)', () => {
  it('believes X-Forwarded-For only from a configured proxy, and takes the nearest address it did not add', () => {
    expect(clientAddress(request('10.0.0.2', '1.1.1.1, 203.0.113.9'), proxies)).toBe('203.0.113.9')
    expect(clientAddress(request('::ffff:10.0.0.2', '203.0.113.9, 127.0.0.1'), proxies)).toBe('203.0.113.9')
  })

  it('ignores the header from anyone else, a private-network neighbour included', () => {
    expect(clientAddress(request('198.51.100.7', '203.0.113.9'), proxies)).toBe('198.51.100.7')
    expect(clientAddress(request('10.9.9.9', '203.0.113.9'), proxies)).toBe('10.9.9.9')
    expect(clientAddress(request('127.0.0.1', '203.0.113.9'), new Set())).toBe('127.0.0.1')
  })
})
