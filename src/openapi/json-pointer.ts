/** One JSON pointer step (RFC 6901): `~` -> `~0`, `/` -> `~1`. `/users/{id}` -> `~1users~1{id}` */
export function escapePointer (key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1')
}
