import { expect, it } from 'vitest'
import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runDemo } from '../../src/cli/run-demo.js'
import { readRecords } from '../../src/store/read-records.js'
import { tempDir } from '../helpers/temp-dir.js'

// regression (issue 12): `demo --dir D` run twice reported both runs' records together
async function demo (dir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await runDemo({ dir, requests: 36, tty: false }, { stdout: (s) => { stdout += s }, stderr: (s) => { stderr += s } })
  return { code, stdout, stderr }
}

async function recordCount (dir: string): Promise<number> {
  let n = 0
  for await (const r of readRecords(join(dir, 'diffs'))) if (r.route !== undefined) n++
  return n
}

it('a second run in the same --dir starts from an empty store, and says so', async () => {
  const dir = await tempDir('strangler-demo-twice-')
  const first = await demo(dir)
  expect(first.code).toBe(0)
  expect(first.stderr).not.toContain('earlier demo run')
  const once = await recordCount(dir)
  expect(once).toBeGreaterThan(0)

  const second = await demo(dir)
  expect(second.code).toBe(0)
  expect(second.stderr).toMatch(/records {6}.*: the \d+ files? of an earlier demo run removed, this run starts from an empty store/)
  // the same traffic, the same number of records: nothing of the first run is counted again
  expect(await recordCount(dir)).toBe(once)
})

it('a store folder holding other files is left alone: exit 1, nothing removed', async () => {
  const dir = await tempDir('strangler-demo-foreign-')
  expect((await demo(dir)).code).toBe(0)
  await writeFile(join(dir, 'diffs', 'notes.txt'), 'mine')
  const before = (await readdir(join(dir, 'diffs'))).sort()
  const r = await demo(dir)
  expect(r.code).toBe(1)
  expect(r.stderr).toContain('holds files that are not demo records (notes.txt); pass another --dir')
  expect((await readdir(join(dir, 'diffs'))).sort()).toEqual(before)
})
