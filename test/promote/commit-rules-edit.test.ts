import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { chmod, lstat, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { commitRulesEdit, AuditUnwrittenError, type AuditDraft } from '../../src/promote/commit-rules-edit.js'
import { editRouteNode } from '../../src/promote/edit-route-node.js'
import { setRouteRouting } from '../../src/promote/set-route-routing.js'
import { StranglerError } from '../../src/errors.js'
import { MemoryStore } from '../../src/store/memory-store.js'
import { openStore } from '../../src/store/open-store.js'
import type { AuditEntry } from '../../src/store/audit-entry.js'
import { tempDir } from '../helpers/temp-dir.js'

const RULES = `# shop rules
version: 1
upstreams:
  legacy: { url: http://127.0.0.1:3000 }
  orders: { url: http://127.0.0.1:4000, headers: { set: { authorization: "Bearer \${ORDERS_TOKEN_NOT_SET_HERE}" } } }
serve: legacy
routes:
  - name: get-order   # the hot one
    match: { path: "/api/orders/{id}" }
    serve: legacy
`

const DRAFT: AuditDraft = {
  by: 'ana',
  action: 'promote',
  route: 'get-order',
  from: { stage: 'legacy', serve: 'legacy', shadow: null },
  to: { stage: 'shadowing', serve: 'legacy', shadow: 'orders' },
  evidence: null,
  forced: false,
  reason: 'start comparing',
  at: new Date('2026-03-01T10:00:00Z')
}

const sha = (s: string): string => createHash('sha256').update(s).digest('hex')
const shadowed = (text: string): string => editRouteNode(text, 'rules.yaml', 'get-order', (n, d) => { setRouteRouting(n, d, { serve: 'legacy', shadow: 'orders' }) })

async function rejection (p: Promise<unknown>): Promise<StranglerError> {
  try {
    await p
  } catch (err) {
    if (err instanceof StranglerError) return err
    throw err
  }
  throw new Error('expected a rejection')
}

let dir: string
let file: string
beforeEach(async () => {
  dir = await tempDir('strangler-commit-')
  file = join(dir, 'rules.yaml')
  await writeFile(file, RULES)
})
afterEach(async () => { await rm(dir, { recursive: true, force: true }) })

describe('commitRulesEdit', () => {
  it('replaces the file atomically with its mode, then appends the audit entry beside the store', async () => {
    await chmod(file, 0o640)
    const store = openStore(join(dir, '.strangler', 'diffs'))
    const after = shadowed(RULES)
    const entry = await commitRulesEdit({ file, before: RULES, after, store, entry: DRAFT })
    expect(await readFile(file, 'utf8')).toBe(after)
    expect((await stat(file)).mode & 0o777).toBe(0o640)
    expect((await readdir(dir)).sort()).toEqual(['.strangler', 'rules.yaml'])
    expect(entry).toEqual({
      v: 1,
      id: expect.stringMatching(/^[0-9a-f]{12}$/),
      at: '2026-03-01T10:00:00.000Z',
      by: 'ana',
      action: 'promote',
      route: 'get-order',
      from: DRAFT.from,
      to: DRAFT.to,
      evidence: null,
      forced: false,
      reason: 'start comparing',
      file,
      hashBefore: sha(RULES),
      hashAfter: sha(after),
      routeBefore: 'name: get-order   # the hot one\n    match: { path: "/api/orders/{id}" }\n    serve: legacy\n'
    })
    const lines = (await readFile(join(dir, '.strangler', 'audit.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as AuditEntry)
    expect(lines).toEqual([entry])
    await store.close()
  })

  it('refuses a result that would not load, listing the problems, and leaves the file alone', async () => {
    const store = new MemoryStore()
    const after = editRouteNode(RULES, 'rules.yaml', 'get-order', (n, d) => { setRouteRouting(n, d, { serve: 'legacy', shadow: 'ordres' }) })
    const err = await rejection(commitRulesEdit({ file, before: RULES, after, store, entry: DRAFT }))
    expect(err.code).toBe('RULES_EDIT_INVALID')
    expect(err.message).toMatch(/^the flip would make .*rules\.yaml invalid, so it was not changed:\n.*rules\.yaml:11:13 error RULES_UNKNOWN_UPSTREAM route "get-order": shadow names upstream "ordres"/)
    expect(await readFile(file, 'utf8')).toBe(RULES)
    expect(await store.readAudit()[Symbol.asyncIterator]().next()).toEqual({ done: true, value: undefined })
  })

  it('refuses when the file changed since it was read, and writes nothing', async () => {
    const store = new MemoryStore()
    const edited = RULES.replace('# shop rules', '# shop rules, edited by hand meanwhile')
    await writeFile(file, edited)
    const err = await rejection(commitRulesEdit({ file, before: RULES, after: shadowed(RULES), store, entry: DRAFT }))
    expect(err.code).toBe('RULES_CHANGED_MEANWHILE')
    expect(err.message).toContain('changed since it was read (someone edited it meanwhile): nothing was written')
    expect(await readFile(file, 'utf8')).toBe(edited)
    expect((await readdir(dir))).toEqual(['rules.yaml'])
  })

  it('keeps the file changed and hands back the entry when the audit log cannot be written', async () => {
    const store = new MemoryStore()
    await store.close()
    const after = shadowed(RULES)
    const err = await rejection(commitRulesEdit({ file, before: RULES, after, store, entry: DRAFT }))
    expect(err).toBeInstanceOf(AuditUnwrittenError)
    expect(err.code).toBe('AUDIT_UNWRITABLE')
    expect(err.message).toMatch(/rules\.yaml was changed \(route get-order: legacy → shadowing is in effect\) but its audit line could not be written: .*Add this line to the audit log by hand:\n\{"v":1,/)
    expect((err as AuditUnwrittenError).entry.hashAfter).toBe(sha(after))
    expect(await readFile(file, 'utf8')).toBe(after)
  })

  it('writes through a symlinked rules file to its target and audits the target', async () => {
    const link = join(dir, 'current.yaml')
    await symlink(file, link)
    const store = new MemoryStore()
    const after = shadowed(RULES)
    const entry = await commitRulesEdit({ file: link, before: RULES, after, store, entry: DRAFT })
    expect(entry.file).toBe(file)
    expect(await readFile(link, 'utf8')).toBe(after)
    expect((await lstat(link)).isSymbolicLink()).toBe(true)
  })
})
