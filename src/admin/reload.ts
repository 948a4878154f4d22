/** What a reload of the rules file answers: the admin listener shows it as is. */
export type ReloadResult =
  | { readonly ok: true; readonly routes: number; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly errors: readonly string[] }

/** The port the admin listener reloads through (the composition root gives it the rules reloader). */
export interface Reload {
  reload (reason: string): Promise<ReloadResult>
}
