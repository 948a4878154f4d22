const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/**
 * Escape text for HTML element content and quoted attribute values. Every
 * string from a record (route names, paths, values, ids, messages) goes
 * through this before it reaches the page.
 */
export function escapeHtml (s: string): string {
  return String(s).replace(/[&<>"']/g, c => ENTITIES[c]!)
}
