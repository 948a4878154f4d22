/**
 * Debian's chromium driven by playwright-core, as the report's HTML tests
 * need: headless, no network-touching features, a fresh profile per launch.
 */
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'
export const hasChromium = existsSync(CHROMIUM)

export interface Browser {
  context: BrowserContext
  close (): Promise<void>
}

export async function launchChromium (): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'strangler-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    offline: true,
    viewport: { width: 1360, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
  return {
    context,
    async close () {
      await context.close()
      await rm(profile, { recursive: true, force: true })
    }
  }
}
