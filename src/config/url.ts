/** origin and base path of an upstream url such as http://127.0.0.1:3000/base */
export interface UpstreamAddress {
  readonly origin: string
  /** '' when none; never ends with '/' */
  readonly basePath: string
}

/** Parse an upstream url; throws with a message saying what is wrong. */
export function parseUpstreamUrl (text: string): UpstreamAddress {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new Error(`url ${JSON.stringify(text)} is not a URL; write e.g. http://127.0.0.1:3000`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`url ${JSON.stringify(text)} must start with http:// or https://`)
  }
  if (url.search !== '' || text.includes('?')) throw new Error(`url ${JSON.stringify(text)} must not have a query string`)
  if (url.hash !== '' || text.includes('#')) throw new Error(`url ${JSON.stringify(text)} must not have a fragment`)
  if (url.username !== '' || url.password !== '') throw new Error(`url ${JSON.stringify(text)} must not carry credentials`)
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') }
}
