import { stat } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { isDatabaseUrl } from '../store/open-store.js'

/**
 * Why a `--store` value a reader was given holds no store, or null when it
 * is a folder (records or not): a folder that does not exist, or a file.
 * A command that reads records says so and exits 1, rather than reporting
 * an empty store. A database URL is not a folder: null (a database that
 * cannot be read is told by the read itself).
 */
export async function storeFolderProblem (location: string): Promise<string | null> {
  if (isDatabaseUrl(location)) return null
  const dir = location.toLowerCase().startsWith('file://') ? fileURLToPath(location) : location
  try {
    const s = await stat(dir)
    if (!s.isDirectory()) return `${location} is a file, not a store folder; give the folder \`serve --store\` writes to`
    return null
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return `no store at ${location}: no such folder (serve creates it on its first record; pass the folder given to \`serve --store\`)`
    return `cannot read the store ${location}: ${(err as Error).message}`
  }
}
