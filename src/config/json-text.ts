/** Whether a rules file's text is JSON (an object) rather than YAML: edits then write JSON back. */
export function isJsonText (text: string): boolean {
  if (!/^\s*\{/.test(text)) return false
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}
