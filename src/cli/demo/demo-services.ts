import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'

/**
 * The two sample services of `strangler demo`: a "monolith" and a "new
 * service" that reimplements part of it, with the kind of differences a real
 * rewrite has: its own timestamps, another list order, a renamed field, a
 * rounding bug on discounted orders, and a billing API with its own path
 * scheme and shape (adapted by a transform in rules/demo.yaml).
 */

export interface RunningService {
  readonly url: string
  close (): Promise<void>
}

interface Order { id: number; customer: string; items: number; totalCents: number; discount: number; status: string }

function order (id: number): Order {
  const discount = id % 37 === 0 ? 0.15 : 0
  const gross = 1000 + ((id * 379) % 9000)
  return { id, customer: `customer-${(id % 40) + 1}`, items: (id % 5) + 1, totalCents: Math.round(gross * (1 - discount)), discount, status: ['new', 'paid', 'shipped'][id % 3]! }
}

function invoice (id: number): { id: number; customer: string; amountCents: number; currency: string; issuedOn: string } {
  return { id, customer: `customer-${(id % 40) + 1}`, amountCents: 2500 + ((id * 613) % 20000), currency: 'EUR', issuedOn: `2026-${String((id % 12) + 1).padStart(2, '0')}-01` }
}

function json (res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

function monolith (req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x')
  const p = url.pathname
  let m: RegExpExecArray | null
  if (p === '/api/orders') {
    const page = Number(url.searchParams.get('page') ?? '1')
    const orders = Array.from({ length: 10 }, (_, i) => order((page - 1) * 10 + i + 1))
    json(res, 200, { page, generatedAt: new Date().toISOString(), requestId: Math.random().toString(36).slice(2), orders })
  } else if ((m = /^\/api\/orders\/(\d+)$/.exec(p)) !== null) {
    json(res, 200, order(Number(m[1])))
  } else if ((m = /^\/api\/customers\/(\d+)$/.exec(p)) !== null) {
    const id = Number(m[1])
    json(res, 200, { id, name: `Customer ${id}`, phone: `+33 1 23 45 ${String(id).padStart(2, '0')}`, since: 2015 + (id % 10) })
  } else if ((m = /^\/api\/invoices\/(\d+)$/.exec(p)) !== null) {
    const id = Number(m[1])
    json(res, 200, invoice(id))
  } else if ((m = /^\/api\/catalog\/(\d+)$/.exec(p)) !== null) {
    json(res, 200, { sku: `SKU-${m[1]}`, title: `Product ${m[1]}`, priceCents: 499 })
  } else if ((m = /^\/api\/users\/(\d+)$/.exec(p)) !== null) {
    json(res, 200, { id: Number(m[1]), login: `user${m[1]}`, servedBy: 'monolith' })
  } else {
    json(res, 404, { error: 'not found' })
  }
}

function newService (req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x')
  const p = url.pathname
  let m: RegExpExecArray | null
  if (p === '/api/orders') {
    const page = Number(url.searchParams.get('page') ?? '1')
    // newest first, and discounted totals rounded down (the bug to find)
    const orders = Array.from({ length: 10 }, (_, i) => {
      const o = order((page - 1) * 10 + i + 1)
      if (o.discount > 0) o.totalCents = Math.floor(o.totalCents * 0.999)
      return o
    }).reverse()
    json(res, 200, { page, generatedAt: new Date(Date.now() + 7).toISOString(), requestId: Math.random().toString(36).slice(2), orders })
  } else if ((m = /^\/api\/orders\/(\d+)$/.exec(p)) !== null) {
    json(res, 200, order(Number(m[1])))
  } else if ((m = /^\/api\/customers\/(\d+)$/.exec(p)) !== null) {
    const id = Number(m[1])
    json(res, 200, { id, name: `Customer ${id}`, phoneNumber: `+33 1 23 45 ${String(id).padStart(2, '0')}`, since: 2015 + (id % 10) })
  } else if ((m = /^\/billing\/v2\/invoices\/(\d+)$/.exec(p)) !== null) {
    // the new billing API: its own path scheme and field names, an amount object, an internal id
    const inv = invoice(Number(m[1]))
    json(res, 200, { invoiceId: inv.id, customerRef: inv.customer, amount: { cents: inv.amountCents, currency: 'EUR' }, issuedOn: inv.issuedOn, ledgerEntry: `L-${inv.id * 7919}` })
  } else if ((m = /^\/api\/users\/(\d+)$/.exec(p)) !== null) {
    json(res, 200, { id: Number(m[1]), login: `user${m[1]}`, servedBy: 'new-service' })
  } else {
    json(res, 404, { error: 'not found' })
  }
}

async function serve (handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<RunningService> {
  const server = http.createServer(handler)
  server.keepAliveTimeout = 10_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

/** The monolith; with `blog`, it also answers under /blog with that app (its articles module). */
export async function startMonolith (blog?: FastifyInstance): Promise<RunningService> {
  if (blog === undefined) return await serve(monolith)
  const running = await serve((req, res) => {
    if (req.url?.startsWith('/blog/') === true) blog.routing(req, res)
    else monolith(req, res)
  })
  return { url: running.url, close: async () => { await running.close(); await blog.close() } }
}

export async function startNewService (): Promise<RunningService> {
  return await serve(newService)
}
