/**
 * What a reload of the rules file answers: the admin listener shows it as is.
 * `unchanged`: the file's content was the same as at the last reload (or the
 * start), so nothing was validated or swapped again; the result is that
 * last one's.
 */
export type ReloadResult =
  | { readonly ok: true; readonly routes: number; readonly warnings: readonly string[]; readonly unchanged?: true }
  | { readonly ok: false; readonly errors: readonly string[]; readonly unchanged?: true }

/** The last reload that read a changed file: its result, when and why it ran. */
export type LastReload =
  | { readonly ok: true; readonly at: Date; readonly reason: string; readonly routes: number; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly at: Date; readonly reason: string; readonly errors: readonly string[] }

/** The port the admin listener reloads through (the composition root gives it the rules reloader). */
export interface Reload {
  reload (reason: string): Promise<ReloadResult>
  /** the last reload that read a changed file, or null before the first */
  readonly last: LastReload | null
}
