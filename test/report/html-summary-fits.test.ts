import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { runReport } from '../../src/cli/run-report.js'
import type { Stage } from '../../src/config/types.js'
import { writeGroundTruthStore, type GroundTruth } from './ground-truth-store.js'
import { hasChromium, launchChromium, CHROMIUM, type Browser } from './headless-chromium.js'

// regression (issue 12): at 1400 and 1920 px the summary table was wider than
// its panel, its last column behind a scrollbar
if (!hasChromium) console.warn(`html-summary-fits: SKIPPED, ${CHROMIUM} is missing (apt-get install chromium)`)

describe.skipIf(!hasChromium)('the HTML summary table fits the page', () => {
  let gt: GroundTruth
  let out: string
  let browser: Browser

  beforeAll(async () => {
    gt = await writeGroundTruthStore()
    out = join(await mkdtemp(join(tmpdir(), 'strangler-html-fits-')), 'report.html')
    // with stages, the widest summary: every column shown
    const stages = new Map<string, Stage>([...gt.routes.keys()].map((r, i) => [r, (['shadowing', 'canary', 'verifying', 'shadowing'] as const)[i % 4]!]))
    const code = await runReport({ store: gt.dir, format: 'html', out, stages }, { stdout: () => {}, stderr: () => {} })
    expect(code).toBe(0)
    browser = await launchChromium()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await rm(gt.dir, { recursive: true, force: true })
  })

  it.each([1920, 1400, 1280, 1024])('at %i px every column is inside the panel, with no horizontal scrollbar', async (width) => {
    const page = await browser.context.newPage()
    await page.setViewportSize({ width, height: 900 })
    await page.goto(pathToFileURL(out).href, { waitUntil: 'load' })
    const m = await page.evaluate(() => {
      const table = document.querySelector('table.summary')!
      const panel = table.closest('.panel')!
      const box = panel.getBoundingClientRect()
      const style = getComputedStyle(panel)
      const inner = box.right - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight)
      const cells = [...table.querySelectorAll('tr > *')].filter(c => getComputedStyle(c).display !== 'none')
      return {
        overflow: panel.scrollWidth - panel.clientWidth,
        pageOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        rightmost: Math.max(...cells.map(c => c.getBoundingClientRect().right)),
        inner,
        headers: [...table.querySelectorAll('thead th')].filter(c => getComputedStyle(c).display !== 'none').map(c => c.textContent)
      }
    })
    await page.close()
    expect(m.overflow).toBe(0)
    expect(m.pageOverflow).toBe(0)
    expect(m.rightmost).toBeLessThanOrEqual(m.inner + 0.5)
    if (width >= 1280) {
      // wide screens show every column
      expect(m.headers).toEqual(['route', 'verdict', 'stage', 'parity', 'compared', 'matched', 'mismatched', 'shadow errors', 'skipped', 'primary p50 / p99', 'shadow p50 / p99'])
    } else {
      // narrower ones keep what the route sections do not repeat first
      expect(m.headers).toEqual(expect.arrayContaining(['route', 'verdict', 'parity', 'compared', 'mismatched', 'shadow errors']))
    }
  })
})
