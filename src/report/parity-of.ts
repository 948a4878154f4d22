/** matched ÷ compared, 0..1; null when nothing was compared. */
export function parityOf (matched: number, compared: number): number | null {
  return compared === 0 ? null : matched / compared
}
