import { describe, expect, it } from 'vitest'
import { aggregateRecords } from '../../src/report/aggregate-records.js'
import { renderText } from '../../src/report/render-text.js'
import { makeRecord } from './ground-truth-store.js'

describe('the text report and terminal escape sequences in records', () => {
  it('shows control characters escaped, never raw', async () => {
    const evil = '\u001b]0;pwned\u0007\u001b[2J'
    const recs = [makeRecord({ route: `r${evil}`, outcome: 'mismatch', i: 1, error: evil, differences: [{ kind: 'added', path: `$.a${evil}`, shadow: 1 }] })]
    const text = renderText(await aggregateRecords(recs))
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/)
    expect(text).toContain('$.a\\u001b]0;pwned\\u0007\\u001b[2J')
  })
})
