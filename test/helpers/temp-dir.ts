import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A fresh directory under the OS temp dir. */
export async function tempDir (prefix = 'strangler-test-'): Promise<string> {
  return await mkdtemp(join(tmpdir(), prefix))
}
