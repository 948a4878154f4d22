/**
 * Two independent implementations of one small articles API (users, login,
 * articles), written the way real services are: each issues its own session
 * tokens, generates its own ids and slugs, and keeps its own storage. The
 * demo shadows one with the other, and the tests use them to show what
 * learned correlation does. Planted differences a rewrite typically has:
 * `bio` is `null` rather than `""` for a user who wrote none, and DELETE
 * answers 204 with no body where the monolith answered 200 with `{}`.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import type { AddressInfo } from 'node:net'

export interface RunningService {
  readonly url: string
  close (): Promise<void>
}

interface UserInput { readonly username?: string; readonly email?: string; readonly password?: string }
interface ArticleInput { readonly title?: string; readonly description?: string; readonly body?: string }

function slugify (title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')
}

async function listen (app: FastifyInstance): Promise<RunningService> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, close: async () => { await app.close() } }
}

// ---------------------------------------------------------------------------
// The monolith: integer ids, opaque hex session tokens, slugs from the title.

interface LegacyUser { id: number; username: string; email: string; password: string; bio: string }
interface LegacyArticle { id: number; slug: string; title: string; description: string; body: string; authorId: number; createdAt: string; updatedAt: string }

export interface ArticlesOptions {
  /** where the API is mounted, e.g. `/blog` (default: at the root) */
  readonly prefix?: string
}

export async function startArticlesMonolith (opts: ArticlesOptions = {}): Promise<RunningService> {
  return await listen(await articlesMonolithApp(opts))
}

/** The monolith's articles module as a fastify app, ready, not listening (the demo monolith mounts it). */
export async function articlesMonolithApp (opts: ArticlesOptions = {}): Promise<FastifyInstance> {
  const root = Fastify()
  root.register(async (app) => { legacyRoutes(app) }, { prefix: opts.prefix ?? '' })
  await root.ready()
  return root
}

function legacyRoutes (app: FastifyInstance): void {
  const users: LegacyUser[] = []
  const articles: LegacyArticle[] = []
  const sessions = new Map<string, number>()
  let nextUser = 1
  let nextArticle = 1

  const login = (u: LegacyUser): { user: Record<string, unknown> } => {
    const token = randomBytes(16).toString('hex')
    sessions.set(token, u.id)
    return { user: { username: u.username, email: u.email, bio: u.bio, token } }
  }
  const current = (req: FastifyRequest): LegacyUser | undefined => {
    const m = /^Token (\S+)$/.exec(req.headers.authorization ?? '')
    const id = m === null ? undefined : sessions.get(m[1]!)
    return users.find((u) => u.id === id)
  }
  const unauthorized = (reply: FastifyReply): FastifyReply => reply.code(401).send({ errors: { body: ['unauthorized'] } })
  const view = (a: LegacyArticle): Record<string, unknown> => {
    const author = users.find((u) => u.id === a.authorId)!
    return { id: a.id, slug: a.slug, title: a.title, description: a.description, body: a.body, createdAt: a.createdAt, updatedAt: a.updatedAt, author: { username: author.username, bio: author.bio } }
  }

  app.post('/api/users', async (req, reply) => {
    const input = (req.body as { user?: UserInput } | undefined)?.user ?? {}
    if (input.username === undefined || input.email === undefined || input.password === undefined) return await reply.code(422).send({ errors: { body: ['username, email and password are required'] } })
    if (users.some((u) => u.email === input.email)) return await reply.code(422).send({ errors: { email: ['has already been taken'] } })
    const u: LegacyUser = { id: nextUser++, username: input.username, email: input.email, password: input.password, bio: '' }
    users.push(u)
    return await reply.code(201).send(login(u))
  })
  app.post('/api/users/login', async (req, reply) => {
    const input = (req.body as { user?: UserInput } | undefined)?.user ?? {}
    const u = users.find((x) => x.email === input.email && x.password === input.password)
    if (u === undefined) return await reply.code(422).send({ errors: { 'email or password': ['is invalid'] } })
    return login(u)
  })
  app.get('/api/user', async (req, reply) => {
    const u = current(req)
    if (u === undefined) return await unauthorized(reply)
    return { user: { username: u.username, email: u.email, bio: u.bio } }
  })
  app.post('/api/articles', async (req, reply) => {
    const u = current(req)
    if (u === undefined) return await unauthorized(reply)
    const input = (req.body as { article?: ArticleInput } | undefined)?.article ?? {}
    if (input.title === undefined) return await reply.code(422).send({ errors: { title: ["can't be blank"] } })
    const now = new Date().toISOString()
    const a: LegacyArticle = { id: nextArticle++, slug: slugify(input.title), title: input.title, description: input.description ?? '', body: input.body ?? '', authorId: u.id, createdAt: now, updatedAt: now }
    articles.push(a)
    return await reply.code(201).send({ article: view(a) })
  })
  app.get('/api/articles', async (req) => {
    const author = (req.query as { author?: string }).author
    const list = articles.filter((a) => author === undefined || users.find((u) => u.id === a.authorId)?.username === author)
    return { articles: list.map(view), articlesCount: list.length }
  })
  app.get('/api/articles/:slug', async (req, reply) => {
    const a = articles.find((x) => x.slug === (req.params as { slug: string }).slug)
    if (a === undefined) return await reply.code(404).send({ errors: { article: ['not found'] } })
    return { article: view(a) }
  })
  app.put('/api/articles/:slug', async (req, reply) => {
    const u = current(req)
    if (u === undefined) return await unauthorized(reply)
    const a = articles.find((x) => x.slug === (req.params as { slug: string }).slug)
    if (a === undefined) return await reply.code(404).send({ errors: { article: ['not found'] } })
    if (a.authorId !== u.id) return await reply.code(403).send({ errors: { article: ['forbidden'] } })
    const input = (req.body as { article?: ArticleInput } | undefined)?.article ?? {}
    if (input.body !== undefined) a.body = input.body
    if (input.description !== undefined) a.description = input.description
    a.updatedAt = new Date().toISOString()
    return { article: view(a) }
  })
  app.delete('/api/articles/:slug', async (req, reply) => {
    const u = current(req)
    if (u === undefined) return await unauthorized(reply)
    const i = articles.findIndex((x) => x.slug === (req.params as { slug: string }).slug && x.authorId === u.id)
    if (i < 0) return await reply.code(404).send({ errors: { article: ['not found'] } })
    articles.splice(i, 1)
    return {}
  })
}

// ---------------------------------------------------------------------------
// The rewrite: UUIDs, signed-looking session tokens, slugs with a random suffix.

interface Account { readonly id: string; readonly username: string; readonly email: string; readonly password: string; readonly bio: string | null }
interface Post { readonly id: string; readonly slug: string; title: string; description: string; body: string; readonly author: string; readonly createdAt: string; updatedAt: string }

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url')

export async function startArticlesRewrite (opts: ArticlesOptions = {}): Promise<RunningService> {
  const root = Fastify()
  root.register(async (app) => { rewriteRoutes(app) }, { prefix: opts.prefix ?? '' })
  return await listen(root)
}

function rewriteRoutes (app: FastifyInstance): void {
  const accounts = new Map<string, Account>()
  const posts = new Map<string, Post>()
  const tokens = new Map<string, string>()

  const issue = (a: Account): string => {
    const token = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: a.id, iat: Date.now() })}.${randomBytes(12).toString('base64url')}`
    tokens.set(token, a.id)
    return token
  }
  const whoami = (req: FastifyRequest): Account | null => {
    const [scheme, token] = (req.headers.authorization ?? '').split(' ')
    if (scheme !== 'Token' || token === undefined) return null
    return accounts.get(tokens.get(token) ?? '') ?? null
  }
  const denied = { errors: { body: ['unauthorized'] } }
  const present = (p: Post): Record<string, unknown> => {
    const a = accounts.get(p.author)!
    return { id: p.id, slug: p.slug, title: p.title, description: p.description, body: p.body, createdAt: p.createdAt, updatedAt: p.updatedAt, author: { username: a.username, bio: a.bio } }
  }
  const userView = (a: Account, token?: string): { user: Record<string, unknown> } =>
    ({ user: token === undefined ? { username: a.username, email: a.email, bio: a.bio } : { username: a.username, email: a.email, bio: a.bio, token } })

  app.post('/api/users', async (req, reply) => {
    const { username, email, password } = (req.body as { user?: UserInput } | undefined)?.user ?? {}
    if (username === undefined || email === undefined || password === undefined) return await reply.code(422).send({ errors: { body: ['username, email and password are required'] } })
    for (const a of accounts.values()) if (a.email === email) return await reply.code(422).send({ errors: { email: ['has already been taken'] } })
    const a: Account = { id: randomUUID(), username, email, password, bio: null }
    accounts.set(a.id, a)
    return await reply.code(201).send(userView(a, issue(a)))
  })
  app.post('/api/users/login', async (req, reply) => {
    const { email, password } = (req.body as { user?: UserInput } | undefined)?.user ?? {}
    for (const a of accounts.values()) if (a.email === email && a.password === password) return userView(a, issue(a))
    return await reply.code(422).send({ errors: { 'email or password': ['is invalid'] } })
  })
  app.get('/api/user', async (req, reply) => {
    const a = whoami(req)
    return a === null ? await reply.code(401).send(denied) : userView(a)
  })
  app.post('/api/articles', async (req, reply) => {
    const a = whoami(req)
    if (a === null) return await reply.code(401).send(denied)
    const { title, description, body } = (req.body as { article?: ArticleInput } | undefined)?.article ?? {}
    if (title === undefined) return await reply.code(422).send({ errors: { title: ["can't be blank"] } })
    const now = new Date().toISOString()
    const p: Post = { id: randomUUID(), slug: `${slugify(title)}-${randomBytes(3).toString('hex')}`, title, description: description ?? '', body: body ?? '', author: a.id, createdAt: now, updatedAt: now }
    posts.set(p.slug, p)
    return await reply.code(201).send({ article: present(p) })
  })
  app.get('/api/articles', async (req) => {
    const author = (req.query as { author?: string }).author
    const list = [...posts.values()].filter((p) => author === undefined || accounts.get(p.author)?.username === author)
    return { articles: list.map(present), articlesCount: list.length }
  })
  app.get('/api/articles/:slug', async (req, reply) => {
    const p = posts.get((req.params as { slug: string }).slug)
    return p === undefined ? await reply.code(404).send({ errors: { article: ['not found'] } }) : { article: present(p) }
  })
  app.put('/api/articles/:slug', async (req, reply) => {
    const a = whoami(req)
    if (a === null) return await reply.code(401).send(denied)
    const p = posts.get((req.params as { slug: string }).slug)
    if (p === undefined) return await reply.code(404).send({ errors: { article: ['not found'] } })
    if (p.author !== a.id) return await reply.code(403).send({ errors: { article: ['forbidden'] } })
    const patch = (req.body as { article?: ArticleInput } | undefined)?.article ?? {}
    if (patch.body !== undefined) p.body = patch.body
    if (patch.description !== undefined) p.description = patch.description
    p.updatedAt = new Date().toISOString()
    return { article: present(p) }
  })
  app.delete('/api/articles/:slug', async (req, reply) => {
    const a = whoami(req)
    if (a === null) return await reply.code(401).send(denied)
    const p = posts.get((req.params as { slug: string }).slug)
    if (p === undefined || p.author !== a.id) return await reply.code(404).send({ errors: { article: ['not found'] } })
    posts.delete(p.slug)
    return await reply.code(204).send()
  })
}
