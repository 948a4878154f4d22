// Types for the parts of json-diff (npm, no bundled types) that report/example-diff-lines.ts uses.
declare module 'json-diff' {
  export interface JsonDiffOptions {
    color?: boolean
    full?: boolean
    maxElisions?: number
    excludeKeys?: string[]
    sort?: boolean
    precision?: number
  }
  export function diff (a: unknown, b: unknown, options?: JsonDiffOptions): unknown
  export function diffString (a: unknown, b: unknown, options?: JsonDiffOptions): string
}
