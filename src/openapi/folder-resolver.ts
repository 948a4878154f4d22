import { realpathSync, statSync, readFileSync } from 'node:fs'
import { isAbsolute, relative, resolve as resolvePath, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SpecError } from './spec-error.js'

/** The file info the ref parser hands a resolver (the subset we use). */
interface RefFile {
  readonly url: string
  readonly reference?: string
  readonly baseUrl?: string
}

/** A json-schema-ref-parser resolver plugin. */
export interface RefResolverPlugin {
  readonly order: number
  canRead (file: RefFile): boolean
  read (file: RefFile): Buffer
}

export interface FolderResolver {
  readonly plugin: RefResolverPlugin
  /** the first refusal or read failure of a $ref; the parser's own (vaguer) error is replaced by it */
  failure (): SpecError | null
}

/**
 * The only resolver strangler gives the ref parser: it answers every $ref
 * (`canRead` is always true, and the parser's own `file` and `http` resolvers
 * are switched off), reads a file only when its real path (symlinks resolved)
 * lies inside `folder`, and refuses everything else (other schemes, http,
 * https, file:// URLs or paths outside the folder) without reading a byte.
 * A refusal is a SpecError SPEC_REF_REFUSED naming the $ref and the file it
 * was written in.
 */
export function createFolderResolver (folder: string, rootFile: string): FolderResolver {
  const realFolder = realpathSync(folder)
  let first: SpecError | null = null

  const refuse = (file: RefFile, why: string): never => {
    const ref = file.reference ?? file.url
    const from = describeBase(file.baseUrl, rootFile)
    const err = new SpecError('SPEC_REF_REFUSED', from, `$ref ${JSON.stringify(ref)} refused: ${why}; strangler only reads files inside ${realFolder}`)
    first ??= err
    throw err
  }

  const plugin: RefResolverPlugin = {
    order: 1,
    canRead: () => true,
    read (file: RefFile): Buffer {
      const url = file.url
      const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase()
      if (scheme !== undefined && scheme !== 'file') {
        refuse(file, scheme === 'http' || scheme === 'https' ? 'it points to the network' : `the ${scheme}: scheme is not supported`)
      }
      let path: string
      try {
        path = scheme === 'file' ? fileURLToPath(url) : decodePath(url)
      } catch {
        return refuse(file, 'it is not a local file path')
      }
      path = resolvePath(path)
      if (!inside(realFolder, path) && !inside(folder, path)) refuse(file, 'it is outside the spec folder')
      let real: string
      try {
        real = realpathSync(path)
      } catch {
        const err = new SpecError('SPEC_READ', describeBase(file.baseUrl, rootFile), `$ref ${JSON.stringify(file.reference ?? url)}: file not found`)
        first ??= err
        throw err
      }
      if (!inside(realFolder, real)) refuse(file, 'it resolves (through a symbolic link) outside the spec folder')
      if (!statSync(real).isFile()) refuse(file, 'it is not a regular file')
      return readFileSync(real)
    }
  }
  return { plugin, failure: () => first }
}

function inside (folder: string, path: string): boolean {
  const rel = relative(folder, path)
  return rel !== '' && !rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel)
}

/** The ref parser hands file-system paths URL-encoded (encodeURI plus #, ? and the like). */
function decodePath (url: string): string {
  return decodeURIComponent(url.replace(/%(?![0-9A-Fa-f]{2})/g, '%25'))
}

function describeBase (baseUrl: string | undefined, rootFile: string): string {
  if (baseUrl === undefined) return rootFile
  const noHash = baseUrl.split('#')[0] ?? baseUrl
  try {
    return noHash.startsWith('file:') ? fileURLToPath(noHash) : decodePath(noHash)
  } catch {
    return noHash
  }
}
