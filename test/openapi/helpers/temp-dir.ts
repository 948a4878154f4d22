import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

/** A fresh temp folder; write files into it by relative path; remove it after. */
export interface TempDir {
  readonly path: string
  write (rel: string, content: string): string
  remove (): void
}

export function tempDir (prefix = 'strangler-openapi-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return {
    path,
    write (rel, content) {
      const file = join(path, rel)
      mkdirSync(dirname(file), { recursive: true })
      writeFileSync(file, content)
      return file
    },
    remove () { rmSync(path, { recursive: true, force: true }) }
  }
}
