/**
 * Deep Object.freeze of plain data. RegExp instances (the `regex` of mixed path
 * segments) are left as they are: freezing one makes its `lastIndex` read-only.
 */
export function deepFreeze<T> (value: T): T {
  if (value === null || typeof value !== 'object' || value instanceof RegExp || Object.isFrozen(value)) return value
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key])
  return Object.freeze(value)
}
