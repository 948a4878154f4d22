/**
 * Whether file bytes are text a rules file can be: UTF-8 (a BOM is fine)
 * without NUL. A short description of what they are instead, so that a
 * problem never echoes the bytes of an image or an archive to a terminal.
 */
export function notTextReason (bytes: Uint8Array): string | null {
  const head = [...bytes.subarray(0, 8)].map(b => b.toString(16).padStart(2, '0')).join(' ')
  const size = `${bytes.length} byte${bytes.length === 1 ? '' : 's'}, beginning ${head}`
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return `the file is UTF-16 text (${size}); save it as UTF-8`
  }
  if (bytes.includes(0)) return `the file is binary, not YAML or JSON text (${size})`
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return `the file is not UTF-8 text (${size}); save it as UTF-8`
  }
  return null
}
