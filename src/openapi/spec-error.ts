import { StranglerError, type ErrorCode } from '../errors.js'

/** Where in a spec file a problem is, when it can be found. */
export interface SpecPosition {
  /** the file the position is in (the spec, or the file a $ref points from) */
  readonly file: string
  /** 1-based */
  readonly line: number
  /** 1-based */
  readonly column: number
}

/**
 * A StranglerError about an OpenAPI file (SPEC_READ, SPEC_INVALID,
 * SPEC_REF_REFUSED), with the file position when one was found. The message
 * already starts with `file:line:col:` when the position is known.
 */
export class SpecError extends StranglerError {
  readonly file: string
  readonly position: SpecPosition | null
  constructor (code: ErrorCode, file: string, message: string, position: SpecPosition | null = null, options?: { cause?: unknown }) {
    const where = position === null ? file : `${position.file}:${position.line}:${position.column}`
    super(code, `${where}: ${message}`, options)
    this.name = 'SpecError'
    this.file = file
    this.position = position
  }
}
