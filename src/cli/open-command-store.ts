import { StranglerError } from '../errors.js'
import { openStore } from '../store/open-store.js'
import type { Store } from '../store/store.js'
import type { CliIo } from './io.js'

/**
 * The store a command's `--store` names, through open-store; a form it cannot
 * open is told on stderr (`strangler COMMAND: …`) and gives null: the caller
 * exits 2 (bad usage).
 */
export function openCommandStore (command: string, location: string, io: CliIo): Store | null {
  try {
    return openStore(location)
  } catch (err) {
    if (err instanceof StranglerError) {
      io.stderr(`strangler ${command}: ${err.message}\n`)
      return null
    }
    throw err
  }
}
