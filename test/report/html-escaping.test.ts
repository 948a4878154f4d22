import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { aggregateRecords } from '../../src/report/aggregate-records.js'
import { renderHtml } from '../../src/report/render-html.js'
import { renderMarkdown } from '../../src/report/render-md.js'
import { makeRecord } from './ground-truth-store.js'
import { hasChromium, launchChromium, type Browser } from './headless-chromium.js'

const XSS = '<script>alert(1)</script>'
const IMG = '"><img src=x onerror=alert(2)>'

/** Records whose every free-text field carries markup. */
function hostileRecords () {
  const records = []
  for (let i = 0; i < 3; i++) {
    records.push(makeRecord({
      route: `evil${IMG}`,
      outcome: 'mismatch',
      i,
      operation: `GET /x/${XSS}`,
      primaryStatus: 200,
      shadowStatus: 500,
      differences: [
        { kind: 'changed', path: `$['${XSS}']`, primary: XSS, shadow: { html: `${IMG}</pre></div><b>bold</b>` } },
        { kind: 'header', path: "$headers['x-evil']", header: 'x-evil', primary: XSS, shadow: null },
        { kind: 'contract', path: '$.a', side: 'shadow', schemaPath: '#/x', message: XSS }
      ]
    }))
  }
  records.push(makeRecord({ route: `evil${IMG}`, outcome: 'shadow-error', i: 9, error: XSS }))
  return records.map(r => ({ ...r, id: `${r.id}${XSS}` }))
}

let html: string

beforeAll(async () => {
  html = renderHtml(await aggregateRecords(hostileRecords(), { store: `/tmp/${XSS}` }))
})

describe('HTML escaping of record values', () => {
  it('never writes markup from a record raw', () => {
    expect(html).not.toContain(XSS)
    expect(html).not.toContain('<img')
    expect(html).not.toContain('<b>bold</b>')
    expect(html).not.toMatch(/<script/i)
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;')
  })

  it('forbids any script by Content-Security-Policy, as a second line', () => {
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'[^"]*">/)
    expect(html).not.toMatch(/script-src/)
  })

  it('markdown escapes record text too', async () => {
    const md = renderMarkdown(await aggregateRecords(hostileRecords()))
    expect(md).toContain(`\`${XSS}\``) // inside a code span, markup is literal text
    const outsideCode = md.replace(/(`+)[^`]*?\1/g, '')
    expect(outsideCode).not.toMatch(/(^|[^\\])<(script|img)/) // only backslash-escaped, literal
    expect(outsideCode).toContain('## evil"\\>\\<img src=x onerror=alert(2)\\>')
  })

  describe.skipIf(!hasChromium)('in headless chromium', () => {
    let browser: Browser
    let dir: string
    beforeAll(async () => {
      browser = await launchChromium()
      dir = await mkdtemp(join(tmpdir(), 'strangler-xss-'))
    }, 60_000)
    afterAll(async () => {
      await browser?.close()
      await rm(dir, { recursive: true, force: true })
    })

    it('runs no script, opens no dialog, and shows the values as text', async () => {
      const file = join(dir, 'report.html')
      await writeFile(file, html)
      const page = await browser.context.newPage()
      const events: string[] = []
      page.on('dialog', d => { events.push(`dialog ${d.message()}`); void d.dismiss() })
      page.on('console', m => { if (m.type() === 'error') events.push(`console ${m.text()}`) })
      page.on('pageerror', e => events.push(`pageerror ${e.message}`))
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' })
      await page.locator('details.path').first().locator('summary').click()
      expect(events).toEqual([])
      expect(await page.locator('script, img').count()).toBe(0)
      expect(await page.locator('b', { hasText: /^bold$/ }).count()).toBe(0)
      expect(await page.locator('table.summary tbody tr').getAttribute('data-route')).toBe(`evil${IMG}`)
      expect(await page.locator('section.route .route-name').textContent()).toBe(`evil${IMG}`)
      expect(await page.locator('code.folded-path').allTextContents()).toContain(`$['${XSS}']`)
      const changed = page.locator('details.path', { has: page.locator('code.folded-path', { hasText: 'script' }) })
      await changed.locator('summary').click()
      expect(await changed.locator('.side.primary pre').textContent()).toBe(JSON.stringify(XSS))
      expect(await changed.locator('.side.shadow pre').textContent()).toContain('</pre></div><b>bold</b>')
      await page.close()
    })
  })
})
