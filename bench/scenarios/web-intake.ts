/**
 * The anonymous web tip page under load. Measured in the bot's own process (createApp with the
 * HTTP server and the delivery worker, as `npm start`), against the fake Bot API in a child:
 *
 * - what a photo costs: a 12-megapixel JPEG with EXIF cleaned (decoded, re-encoded without
 *   metadata), and what a passphrase check costs (scrypt, N = 2^15);
 * - a flood from one address (60 posts with a photo each, all at once) while another student
 *   files a tip for the same school and category: how many of the flood got through, and how
 *   long the other student's tip took from «Gửi» to the officer's card at the fake;
 * - a flood from 60 addresses (one post each): the global rate then refuses ordinary tips for
 *   the rest of the minute; an urgent tip still passes, and is timed the same way.
 */
import sharp from 'sharp'
import { readDirectoryFile } from '../../src/directory/directory-file.js'
import { hashPassphrase, passphraseMatches } from '../../src/tips/web-passphrase.js'
import { cleanPhoto } from '../../src/tips/web-photos.js'
import { benchPrefix, dropPrefix, startBot } from '../support/bot.js'
import { FakeHost } from '../support/fake-host.js'
import { median, round } from '../support/measure.js'
import type { BenchContext, Row, Scenario, ScenarioResult } from '../support/report.js'

const floodSize = 60
const officerChat = '100000004'

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now()
  const value = await work()
  return { ms: performance.now() - started, value }
}

function form(text: string, photo?: Buffer, danger?: 'co'): FormData {
  const body = new FormData()
  body.set('truong', 'THCS-NGO-QUYEN')
  body.set('loai', 'khac')
  body.set('noi_dung', text)
  if (danger) body.set('nguy_hiem', danger)
  if (photo) body.append('anh', new Blob([photo], { type: 'image/jpeg' }), 'anh.jpg')
  return body
}

export const webIntakeScenario: Scenario = {
  name: 'web-intake',
  title: 'Web tip page: photo and passphrase cost, floods',
  async run(ctx: BenchContext): Promise<ScenarioResult> {
    const big = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg({ quality: 90 }).withExif({ IFD0: { Model: 'Phone' } }).toBuffer()
    const cleanMs: number[] = []
    let cleanedBytes = 0
    for (let i = 0; i < 5; i++) {
      const run = await timed(() => cleanPhoto(big))
      cleanMs.push(run.ms)
      if (run.value.ok) cleanedBytes = run.value.jpeg.length
    }
    const hash = await hashPassphrase('mèo xanh chè núi')
    const verifyMs: number[] = []
    for (let i = 0; i < 10; i++) verifyMs.push((await timed(() => passphraseMatches('meo xanh che nui', hash.encoded))).ms)
    ctx.log(`photo ${round(median(cleanMs))} ms, scrypt ${round(median(verifyMs))} ms`)

    const photo = await sharp({ create: { width: 1280, height: 960, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg({ quality: 85 }).toBuffer()
    const fake = await FakeHost.start()
    const prefix = benchPrefix('web-intake')
    const app = await startBot({ fake, prefix, parts: { work: true, receive: false, http: true } })
    try {
      await app.deps.directory.importFile(readDirectoryFile('schedules/schools.example.yaml'))
      const base = `http://127.0.0.1:${app.httpAddress!.port}`
      const post = (body: FormData, address: string) => fetch(`${base}/bao-tin`, { method: 'POST', body, headers: { 'x-forwarded-for': address } })
      const codeOf = (html: string) => /id="receipt-code">([^<]+)</.exec(html)?.[1]
      /** «Gửi» → the officer's card at the fake, ms; undefined when the tip was refused. */
      const fileAndTime = async (text: string, address: string, danger?: 'co'): Promise<{ status: number; ms?: number }> => {
        const started = Date.now()
        const response = await post(form(text, undefined, danger), address)
        const code = codeOf(await response.text())
        if (!code) return { status: response.status }
        for (;;) {
          const card = (await fake.messages()).find((m) => m.chatId === officerChat && m.text.includes(code))
          if (card) return { status: response.status, ms: card.at - started }
          if (Date.now() - started > 120_000) return { status: response.status }
          await new Promise((done) => setTimeout(done, 50))
        }
      }
      const count = (statuses: number[]) => Object.fromEntries([...new Set(statuses)].sort().map((status) => [status, statuses.filter((s) => s === status).length]))

      const alone = await fileAndTime('Một tin báo khi trang vắng.', '198.51.100.1')
      const oneAddress = Array.from({ length: floodSize }, (_, i) => post(form(`Tin rác ${i}`, photo), '192.0.2.66').then((r) => r.status))
      await new Promise((done) => setTimeout(done, 100))
      const besideSingle = await fileAndTime('Tin thật trong lúc một địa chỉ gửi dồn dập.', '198.51.100.2')
      const singleStatuses = await Promise.all(oneAddress)
      ctx.log(`one-address flood: ${JSON.stringify(count(singleStatuses))}; other student ${besideSingle.ms} ms`)

      // The next minute, so the global rate starts afresh.
      await new Promise((done) => setTimeout(done, 61_000 - (Date.now() % 60_000)))
      const manyAddresses = Array.from({ length: floodSize }, (_, i) => post(form(`Tin rác ${i}`, photo), `192.0.2.${i + 1}`).then((r) => r.status))
      await new Promise((done) => setTimeout(done, 100))
      const [ordinary, urgent] = await Promise.all([fileAndTime('Tin thường trong lúc nhiều địa chỉ gửi dồn dập.', '198.51.100.3'), fileAndTime('Tin khẩn trong lúc nhiều địa chỉ gửi dồn dập.', '198.51.100.4', 'co')])
      const manyStatuses = await Promise.all(manyAddresses)
      ctx.log(`many-address flood: ${JSON.stringify(count(manyStatuses))}; ordinary ${ordinary.status} ${ordinary.ms ?? '-'} ms, urgent ${urgent.ms} ms`)

      const rows: Row[] = [
        { metric: 'web photo: 12 MP JPEG cleaned (median of 5)', ours: `${Math.round(median(cleanMs))} ms → ${Math.round(cleanedBytes / 1024)} KB`, verdict: 'info' },
        { metric: 'web passphrase check, scrypt N=2^15 (median of 10)', ours: `${Math.round(median(verifyMs))} ms`, verdict: 'info' },
        { metric: 'web tip alone: «Gửi» → officer card', ours: `${alone.ms} ms`, verdict: 'info' },
        { metric: `one address posts ${floodSize} tips with photos at once: filed / refused`, ours: `${singleStatuses.filter((s) => s === 200).length} / ${singleStatuses.filter((s) => s !== 200).length}`, verdict: 'info' },
        { metric: '… meanwhile another student\'s tip, same officer: «Gửi» → card', ours: besideSingle.ms === undefined ? `refused (${besideSingle.status})` : `${besideSingle.ms} ms`, verdict: 'info' },
        { metric: `${floodSize} addresses post one tip each at once: filed / refused`, ours: `${manyStatuses.filter((s) => s === 200).length} / ${manyStatuses.filter((s) => s !== 200).length}`, verdict: 'info' },
        { metric: '… meanwhile an ordinary tip / an urgent tip: «Gửi» → card', ours: `${ordinary.ms === undefined ? `refused (${ordinary.status})` : `${ordinary.ms} ms`} / ${urgent.ms === undefined ? `refused (${urgent.status})` : `${urgent.ms} ms`}`, verdict: 'info' },
      ]
      return {
        rows,
        data: { cleanMs, cleanedBytes, verifyMs, alone, besideSingle, singleStatuses: count(singleStatuses), manyStatuses: count(manyStatuses), ordinary, urgent },
        notes: ['The officer\'s chat is paced at one message a second: flood tips that pass the limits queue ahead of a later tip to the same officer.'],
      }
    } finally {
      await app.stop()
      await fake.stop()
      await dropPrefix(prefix)
    }
  },
}
