/** query parameters of a connection URL that carry a secret */
const SECRET_PARAMS = /^(password|pass|pwd|sslpassword|sslkey)$/i

/**
 * A `--store` value fit for logs, errors and output: a folder as given; a
 * connection URL with its password (in the userinfo or a `password=` query
 * parameter) replaced by `***`. A URL that does not parse has anything
 * between `:` and `@` after `//` masked.
 */
export function redactUrl (location: string): string {
  // a folder is shown as given
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return location
  let url: URL
  try {
    url = new URL(location)
  } catch {
    return location.replace(/(\/\/[^/:@]*):[^@/]*@/, '$1:***@')
  }
  if (url.password !== '') url.password = '***'
  for (const key of [...url.searchParams.keys()]) {
    if (SECRET_PARAMS.test(key)) url.searchParams.set(key, '***')
  }
  return url.href
}
