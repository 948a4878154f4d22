import { stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'

/** Why `--out` cannot be written into its folder: the folder does not exist, or is a file; null when it can. The folder is never created. */
export async function outFolderProblem (out: string): Promise<string | null> {
  const folder = dirname(resolve(out))
  try {
    if (!(await stat(folder)).isDirectory()) return `${folder} is a file, not a folder`
    return null
  } catch {
    return `the folder ${folder} does not exist (create it first)`
  }
}
