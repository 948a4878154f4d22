import { expect, it } from 'vitest'
import { LOOKALIKE_CHARACTERS } from '../../src/routing/path-guard.js'

// The path guard runs its NFKC check only on paths holding one of
// LOOKALIKE_CHARACTERS; that list must hold every character of Unicode whose
// NFKC form brings a dot, slash, backslash, percent sign or semicolon, and
// nothing else.
it('LOOKALIKE_CHARACTERS is exactly the characters whose NFKC form holds . / \\ % or ;', () => {
  const missing: string[] = []
  const extra: string[] = []
  for (let c = 0x80; c <= 0x10ffff; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue
    const ch = String.fromCodePoint(c)
    const folded = ch.normalize('NFKC')
    const folds = folded !== ch && /[./\\%;]/.test(folded)
    const listed = LOOKALIKE_CHARACTERS.test(ch)
    if (folds && !listed) missing.push(`U+${c.toString(16)}`)
    if (listed && !folds) extra.push(`U+${c.toString(16)}`)
  }
  expect({ missing, extra }).toEqual({ missing: [], extra: [] })
})
