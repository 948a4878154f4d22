import type { Rules } from '../config/types.js'
import { RouteTable } from './route-table.js'

/**
 * Holds the running route table. A request reads `table` once at its start
 * and keeps that snapshot to the end, so a reload never changes a request
 * mid-flight; `swap` replaces the whole table in one assignment.
 */
export class LiveRules {
  private current: RouteTable
  private listeners: Array<(next: RouteTable, prev: RouteTable) => void> = []
  loadedAt: Date

  constructor (rules: Rules) {
    this.current = new RouteTable(rules)
    this.loadedAt = new Date()
  }

  get table (): RouteTable {
    return this.current
  }

  swap (rules: Rules): void {
    const prev = this.current
    this.current = new RouteTable(rules)
    this.loadedAt = new Date()
    for (const l of this.listeners) l(this.current, prev)
  }

  onSwap (listener: (next: RouteTable, prev: RouteTable) => void): void {
    this.listeners.push(listener)
  }
}
