/** Where a command writes; the CLI passes the process streams, tests collect strings. */
export interface CliIo {
  stdout (s: string): void
  stderr (s: string): void
}

export const processIo: CliIo = {
  stdout: (s) => { process.stdout.write(s) },
  stderr: (s) => { process.stderr.write(s) }
}
