/**
 * The name of a store file: `diffs-<UTC time, seconds>-<pid>-<seq>.ndjson`,
 * e.g. `diffs-20261121T100000Z-0004242-000003.ndjson`. The pid and seq are
 * zero-padded, so for one process lexical order is creation order; files of
 * different processes sort by the second they were opened.
 */
export function diffFileName (at: Date, pid: number, seq: number): string {
  const stamp = at.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '')
  return `diffs-${stamp}-${String(pid).padStart(7, '0')}-${String(seq).padStart(6, '0')}.ndjson`
}

/** Which files of a store directory hold records (plain or gzip-compressed NDJSON). */
export function isRecordFileName (name: string): boolean {
  return name.endsWith('.ndjson') || name.endsWith('.ndjson.gz')
}
