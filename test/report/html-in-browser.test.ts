import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { runReport } from '../../src/cli/run-report.js'
import { writeGroundTruthStore, type GroundTruth } from './ground-truth-store.js'
import { hasChromium, launchChromium, CHROMIUM, type Browser } from './headless-chromium.js'

if (!hasChromium) console.warn(`html-in-browser: SKIPPED, ${CHROMIUM} is missing (apt-get install chromium)`)

describe.skipIf(!hasChromium)('the HTML report in headless chromium', () => {
  let gt: GroundTruth
  let out: string
  let browser: Browser
  const problems: string[] = []
  const requests: string[] = []
  let page: Awaited<ReturnType<Browser['context']['newPage']>>

  beforeAll(async () => {
    gt = await writeGroundTruthStore()
    out = join(await mkdtemp(join(tmpdir(), 'strangler-html-')), 'report.html')
    const stdout: string[] = []
    const code = await runReport({ store: gt.dir, format: 'html', out }, { stdout: s => stdout.push(s), stderr: s => problems.push(`stderr: ${s}`) })
    expect(code).toBe(0)
    expect(stdout.join('')).toContain(out)
    browser = await launchChromium()
    page = await browser.context.newPage()
    page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`) })
    page.on('pageerror', e => problems.push(`pageerror: ${e.message}`))
    page.on('request', r => requests.push(r.url()))
    page.on('dialog', d => { problems.push(`dialog: ${d.message()}`); void d.dismiss() })
    await page.goto(pathToFileURL(out).href, { waitUntil: 'load' })
    const shot = process.env.REPORT_SCREENSHOT ?? join(tmpdir(), 'strangler-report.png')
    await page.screenshot({ path: shot, fullPage: true })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await rm(gt.dir, { recursive: true, force: true })
  })

  it('loads with no console errors and fetches nothing but itself', () => {
    expect(problems).toEqual([])
    expect(requests).toEqual([pathToFileURL(out).href])
  })

  it('is self-contained: no external script, style, font or image', async () => {
    const html = await readFile(out, 'utf8')
    expect(html).not.toMatch(/<script/i)
    expect(html).not.toMatch(/<link[^>]+rel="stylesheet"/i)
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i)
    expect(html).not.toMatch(/url\(/i)
    expect(await page.locator('img').count()).toBe(0)
  })

  it('shows a summary row with a parity bar for every route, in report order', async () => {
    const rows = page.locator('table.summary tbody tr')
    expect(await rows.count()).toBe(gt.routes.size)
    expect(await rows.evaluateAll(trs => trs.map(tr => tr.getAttribute('data-route'))))
      .toEqual(['list-orders', 'users', 'get-order', 'search'])
    const getOrder = page.locator('table.summary tr[data-route="get-order"]')
    await expect(getOrder.locator('.pct').textContent()).resolves.toBe('80.00%')
    const fill = await getOrder.locator('.bar > .fill').boundingBox()
    const bar = await getOrder.locator('.bar').boundingBox()
    expect(fill!.width / bar!.width).toBeCloseTo(0.8, 2)
    expect(await page.locator('table.summary .bar > .fill').count()).toBe(gt.routes.size)
    expect(await getOrder.locator('[data-verdict]').first().textContent()).toBe('broken')
    const cells = await getOrder.locator('td.n').allTextContents()
    expect(cells.slice(0, 5)).toEqual(['150', '120', '30', '5', '6'])
  })

  it('has a section per route with its top differing fields', async () => {
    expect(await page.locator('section.route').count()).toBe(gt.routes.size)
    const section = page.locator('section.route[data-route="get-order"]')
    const paths = await section.locator('details.path code.folded-path').allTextContents()
    expect(paths).toEqual(['$.items[*].legacyCode', '$.items[*].price', '$.id', '$status'])
    for (const id of await section.locator('details.path summary .record-id').allTextContents()) expect(gt.ids.has(id)).toBe(true)
    await expect(section.locator('table.status-pairs').textContent()).resolves.toContain('200 → 201')
  })

  it('shows a side-by-side view of one example, primary vs shadow, with the json-diff rendering', async () => {
    const price = page.locator('section.route[data-route="get-order"] details.path').nth(1)
    expect(await price.getAttribute('open')).toBeNull()
    expect(await price.locator('.side-by-side').isVisible()).toBe(false)
    await price.locator('summary').click()
    expect(await price.getAttribute('open')).toBe('')
    const primary = price.locator('.side-by-side .side.primary')
    const shadow = price.locator('.side-by-side .side.shadow')
    await expect(primary.isVisible()).resolves.toBe(true)
    expect((await primary.locator('pre').textContent())?.trim()).toBe('10')
    expect((await shadow.locator('pre').textContent())?.trim()).toBe('10.5')
    // the example names its request (regression, issue 12)
    expect(await price.locator('.example p.request').textContent()).toMatch(/^Request: GET \/api\/get-order\?n=\d+$/)
    expect(await primary.locator('figcaption').textContent()).toContain('legacy')
    expect(await shadow.locator('figcaption').textContent()).toContain('orders')
    const boxP = await primary.boundingBox()
    const boxS = await shadow.boundingBox()
    expect(boxS!.x).toBeGreaterThan(boxP!.x + boxP!.width - 1) // side by side, not stacked
    expect(await price.locator('.jsondiff .del').allTextContents()).toEqual(['-10'])
    expect(await price.locator('.jsondiff .add').allTextContents()).toEqual(['+10.5'])
    // an added field: absent on the primary side
    const added = page.locator('section.route[data-route="users"] details.path').first()
    expect(await added.locator('.side.primary pre.absent').count()).toBe(1)
    expect((await added.locator('.side.shadow pre').textContent())?.trim()).toBe('"bob"')
  })

  it('filters routes by verdict without any script (issue 13)', async () => {
    const rows = page.locator('table.summary tbody tr')
    const visible = async (): Promise<string[]> => await rows.evaluateAll(trs => trs.filter(tr => (tr as HTMLElement).offsetParent !== null).map(tr => tr.getAttribute('data-verdict') ?? ''))
    expect(await visible()).toHaveLength(gt.routes.size)
    await page.locator('label[for="fv-broken"]').click()
    const broken = await visible()
    expect(broken.length).toBeGreaterThan(0)
    expect(broken.length).toBeLessThan(gt.routes.size)
    expect(new Set(broken)).toEqual(new Set(['broken']))
    const sections = await page.locator('section.route').evaluateAll(ss => ss.filter(s => (s as HTMLElement).offsetParent !== null).map(s => s.getAttribute('data-verdict')))
    expect(new Set(sections)).toEqual(new Set(['broken']))
    await page.locator('label[for="fv-all"]').click()
    expect(await visible()).toHaveLength(gt.routes.size)
  })
})
