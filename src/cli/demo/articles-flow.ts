/**
 * What a client of the articles API does, through the proxy: register, log
 * in, read itself, write an article, read it and the author's list, update
 * it, delete it (and, with `checkGone`, read it once more: a 404). Every
 * later call carries the token or the slug an earlier answer gave: the
 * values learned correlation maps to the other side's own.
 */
export interface ArticlesUser { readonly username: string; readonly email: string; readonly password: string }

export interface ArticlesFlowOptions {
  /** put before every path, e.g. `/blog` when the proxy strips it */
  readonly prefix?: string
  /** end with a read of the deleted article (answered 404) */
  readonly checkGone?: boolean
}

interface Answer { readonly status: number; readonly json: Record<string, unknown> | null }

async function call (base: string, method: string, path: string, body?: unknown, token?: string): Promise<Answer> {
  const headers: Record<string, string> = {}
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (token !== undefined) headers.authorization = `Token ${token}`
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await res.text()
  return { status: res.status, json: text === '' ? null : JSON.parse(text) as Record<string, unknown> }
}

/** Runs the flow for one user; resolves with the status of every answer, in order. */
export async function runArticlesFlow (base: string, user: ArticlesUser, opts: ArticlesFlowOptions = {}): Promise<number[]> {
  const p = opts.prefix ?? ''
  const statuses: number[] = []
  const step = async (method: string, path: string, body?: unknown, token?: string): Promise<Record<string, unknown>> => {
    const a = await call(base, method, p + path, body, token)
    statuses.push(a.status)
    return a.json ?? {}
  }
  await step('POST', '/api/users', { user })
  const login = await step('POST', '/api/users/login', { user: { email: user.email, password: user.password } })
  const token = String((login['user'] as Record<string, unknown> | undefined)?.['token'] ?? '')
  await step('GET', '/api/user', undefined, token)
  const created = await step('POST', '/api/articles', { article: { title: `How to train your dragon, by ${user.username}`, description: 'Ever wonder how?', body: 'You have to believe' } }, token)
  const slug = String((created['article'] as Record<string, unknown> | undefined)?.['slug'] ?? '')
  await step('GET', `/api/articles/${slug}`)
  await step('GET', `/api/articles?author=${encodeURIComponent(user.username)}`)
  await step('PUT', `/api/articles/${slug}`, { article: { body: 'With two hands' } }, token)
  await step('GET', `/api/articles/${slug}`)
  await step('DELETE', `/api/articles/${slug}`, undefined, token)
  if (opts.checkGone === true) await step('GET', `/api/articles/${slug}`)
  return statuses
}
