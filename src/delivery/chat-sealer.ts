/**
 * Delivery jobs, pacing keys and failure records would otherwise put every recipient's platform
 * id — a tipster's too — in Redis in clear. The sealer encrypts ids in job data and replaces
 * them with keyed pseudonyms in keys (IdentityCipher from the tips feature fits this shape).
 */
export interface ChatSealer {
  seal(plain: string): string
  open(sealed: string): string
  pseudonym(plain: string): string
}
