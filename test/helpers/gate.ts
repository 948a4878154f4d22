/** A promise with its resolve function, for holding an upstream until the test says so. */
export function gate (): { promise: Promise<void>; open: () => void } {
  let open: () => void = () => {}
  const promise = new Promise<void>((resolve) => { open = resolve })
  return { promise, open }
}
