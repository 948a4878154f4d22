/**
 * A unified diff (`diff -u` style) of two texts, line by line, with 3 lines
 * of context: what `suggest --write` prints of its change. The common head
 * and tail are set aside first, then the rest is aligned by a longest common
 * subsequence of lines.
 */

const CONTEXT = 3

type Op = { readonly t: ' ' | '-' | '+'; readonly line: string }

function lines (text: string): string[] {
  const out = text.split('\n')
  if (out.at(-1) === '') out.pop()
  return out
}

function align (a: readonly string[], b: readonly string[]): Op[] {
  let head = 0
  while (head < a.length && head < b.length && a[head] === b[head]) head++
  let tail = 0
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++
  const x = a.slice(head, a.length - tail)
  const y = b.slice(head, b.length - tail)
  // lcs[i][j]: length of the longest common subsequence of x[i..] and y[j..]
  const lcs: Uint32Array[] = Array.from({ length: x.length + 1 }, () => new Uint32Array(y.length + 1))
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)
    }
  }
  const ops: Op[] = a.slice(0, head).map((line) => ({ t: ' ', line }))
  let i = 0
  let j = 0
  while (i < x.length || j < y.length) {
    // removals before insertions, as diff -u prints them
    if (i < x.length && j < y.length && x[i] === y[j]) { ops.push({ t: ' ', line: x[i]! }); i++; j++ } else if (i < x.length && (j === y.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) { ops.push({ t: '-', line: x[i]! }); i++ } else { ops.push({ t: '+', line: y[j]! }); j++ }
  }
  for (const line of a.slice(a.length - tail)) ops.push({ t: ' ', line })
  return ops
}

/** The diff of `before` and `after` under `--- name` / `+++ name` headers; '' when they are equal. */
export function unifiedDiff (before: string, after: string, name: string): string {
  if (before === after) return ''
  const ops = align(lines(before), lines(after))
  const out = [`--- ${name}`, `+++ ${name}`]
  let k = 0
  while (k < ops.length) {
    if (ops[k]!.t === ' ') { k++; continue }
    // a hunk: from CONTEXT lines before this change to CONTEXT lines after the last change within reach
    const start = Math.max(0, k - CONTEXT)
    let end = k
    for (let m = k; m < ops.length; m++) {
      if (ops[m]!.t !== ' ') end = m
      else if (m - end > 2 * CONTEXT) break
    }
    const stop = Math.min(ops.length, end + 1 + CONTEXT)
    let oldLine = 1
    let newLine = 1
    for (let m = 0; m < start; m++) {
      if (ops[m]!.t !== '+') oldLine++
      if (ops[m]!.t !== '-') newLine++
    }
    const body = ops.slice(start, stop)
    const oldCount = body.filter((o) => o.t !== '+').length
    const newCount = body.filter((o) => o.t !== '-').length
    const range = (line: number, n: number): string => n === 1 ? `${line}` : `${n === 0 ? line - 1 : line},${n}`
    out.push(`@@ -${range(oldLine, oldCount)} +${range(newLine, newCount)} @@`)
    for (const o of body) out.push(o.t + o.line)
    k = stop
  }
  return out.join('\n') + '\n'
}
