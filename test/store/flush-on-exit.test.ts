import { expect, it } from 'vitest'
import { readRecords } from '../../src/store/read-records.js'
import { collect } from './make-record.js'
import { useFixtureRunner } from './run-fixture.js'
import { useTempDirs } from './temp-dir.js'

const tempDir = useTempDirs()
const runFixture = useFixtureRunner()
const N = 5_000

it('a process whose SIGTERM handler awaits store.close() has all N records on disk', async () => {
  const dir = await tempDir()
  const run = runFixture(dir, N, 'handler')
  await run.ready
  // nothing is written yet: the flush timer is an hour away, so close() does the writing
  expect(await collect(readRecords(dir))).toHaveLength(0)
  run.child.kill('SIGTERM')
  const { code, signal, stderr } = await run.exited
  expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' })
  const records = await collect(readRecords(dir))
  expect(records).toHaveLength(N)
  expect(records.map((r) => r.id)).toEqual(Array.from({ length: N }, (_, i) => `${run.child.pid}-${i}`))
})

it('control: without the handler, SIGTERM loses the buffered records (so the test above can fail)', async () => {
  const dir = await tempDir()
  const run = runFixture(dir, N, 'no-handler')
  await run.ready
  run.child.kill('SIGTERM')
  const { signal } = await run.exited
  expect(signal).toBe('SIGTERM')
  expect(await collect(readRecords(dir))).toHaveLength(0)
})

it('a process that just ends (event loop empty) is not held up by the store timer and flushes on beforeExit', async () => {
  const dir = await tempDir()
  const run = runFixture(dir, N, 'natural')
  const { code, stderr } = await run.exited // the flush timer is unref'd: no hour-long wait
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
  expect(await collect(readRecords(dir))).toHaveLength(N)
})
