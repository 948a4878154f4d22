/**
 * A human-readable side-by-side of two JSON documents, for reports only.
 * Uses json-diff (npm), which fuzzy-matches array elements and is slow on
 * large arrays: never call it on the compare path (that is diff-json.ts).
 * Returns '' when the documents are equal.
 */
import { diffString } from 'json-diff'

export interface RenderJsonDiffOptions {
  /** show unchanged members too (default false: elided) */
  readonly full?: boolean
}

export function renderJsonDiff (a: unknown, b: unknown, opts: RenderJsonDiffOptions = {}): string {
  return diffString(a, b, { color: false, full: opts.full ?? false })
}
