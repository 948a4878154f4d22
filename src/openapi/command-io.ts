/** Where a command function writes; the CLI passes process streams, tests collect strings. */
export interface CommandIo {
  stdout (s: string): void
  stderr (s: string): void
}
