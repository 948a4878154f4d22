/** A one-line progress bar on a terminal; a line per quarter when not on a terminal. */
export class ProgressBar {
  private readonly total: number
  private readonly write: (s: string) => void
  private readonly tty: boolean
  private lastQuarter = -1

  constructor (total: number, write: (s: string) => void, tty: boolean) {
    this.total = total
    this.write = write
    this.tty = tty
  }

  update (done: number, label: string): void {
    const frac = this.total === 0 ? 1 : done / this.total
    if (this.tty) {
      const width = 30
      const full = Math.round(frac * width)
      this.write(`\r  [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${String(done).padStart(String(this.total).length)}/${this.total} ${label}`)
      if (done === this.total) this.write('\n')
      return
    }
    const quarter = Math.floor(frac * 4)
    if (quarter !== this.lastQuarter) {
      this.lastQuarter = quarter
      this.write(`  ${done}/${this.total} requests ${label}\n`)
    }
  }
}
