import { describe, expect, it } from 'vitest'
import { formatProblem } from '../../src/config/format-problem.js'
import { runCli } from '../helpers/cli.js'
import { HEAD, loadErrors, loadOk, writeRules } from './helpers.js'

const ROUTES = `routes:
  - { name: login, match: { method: POST, path: /api/users/login }, serve: legacy, shadow: orders, shadowWrites: true }
  - { name: create-article, match: { method: POST, path: /api/articles }, serve: legacy, shadow: orders, shadowWrites: true }
  - { name: list-articles, match: { method: GET, path: /api/articles }, serve: legacy, shadow: orders }
  - { name: get-article, match: { method: GET, path: "/api/articles/{slug}" }, serve: legacy, shadow: orders }
`

describe('correlate: learn paths per route', () => {
  it('an entry without routes learns from every route; one with routes only from those; paths are not repeated', async () => {
    const { rules } = await loadOk(HEAD + `shadow: { correlationEntries: 500 }
correlate:
  - name: session-token
    learn: ["$.user.token"]
  - name: article-slug
    learn: ["$.article.slug", "$.articles[*].slug"]
    routes: [create-article, list-articles]
  - name: article-id
    learn: ["$.article.id", "$.article.slug"]
    routes: [create-article]
` + ROUTES)
    const learn = Object.fromEntries(rules.routes.map((r) => [r.name, r.learn]))
    expect(learn).toEqual({
      login: ['$.user.token'],
      'create-article': ['$.user.token', '$.article.slug', '$.articles[*].slug', '$.article.id'],
      'list-articles': ['$.user.token', '$.article.slug', '$.articles[*].slug'],
      'get-article': ['$.user.token']
    })
    expect(rules.correlate).toEqual([
      { name: 'session-token', learn: ['$.user.token'], routes: null },
      { name: 'article-slug', learn: ['$.article.slug', '$.articles[*].slug'], routes: ['create-article', 'list-articles'] },
      { name: 'article-id', learn: ['$.article.id', '$.article.slug'], routes: ['create-article'] }
    ])
    expect(rules.shadow.correlationEntries).toBe(500)
  })

  it('without correlate no route learns anything, and the map holds 100,000 pairs by default', async () => {
    const { rules } = await loadOk(HEAD + ROUTES)
    expect(rules.correlate).toEqual([])
    expect(rules.routes.every((r) => r.learn.length === 0)).toBe(true)
    expect(rules.shadow.correlationEntries).toBe(100_000)
  })
})

const BAD = HEAD + `correlate:
  - name: token
    learn: ["$.user.token"]
  - name: slug
    learn: ["$.article.slug"]
    routes: [create-article, list-artcles]
  - name: token
    learn: ["$.user.id"]
` + ROUTES

describe('correlate mistakes are errors with file:line:col', () => {
  it('a route that is not in the file, and a name used twice', async () => {
    const errors = await loadErrors(BAD)
    expect(errors.map((e) => [e.code, e.at, e.line, e.column])).toEqual([
      ['RULES_UNKNOWN_ROUTE', 'correlate[1].routes[1]', 11, 30],
      ['RULES_INVALID_VALUE', 'correlate[2].name', 12, 11]
    ])
    expect(formatProblem(errors[0]!)).toBe(`${errors[0]!.file}:11:30 error RULES_UNKNOWN_ROUTE: correlate "slug" learns from route "list-artcles", which is not a route of this file; did you mean "list-articles"?`)
    expect(formatProblem(errors[1]!)).toContain('correlate name "token" is used twice')
  })

  it('the entry itself: a bad JSON path, no learn paths, an unknown key, a bound that is not positive', async () => {
    const errors = await loadErrors(HEAD + `shadow: { correlationEntries: 0 }
correlate:
  - name: a
    learn: ["user.token"]
  - name: b
    learn: []
  - name: c
    learn: ["$.id"]
    route: [login]
` + ROUTES)
    expect(errors.map((e) => [e.code, e.line])).toEqual([
      ['RULES_INVALID_VALUE', 6],
      ['RULES_BAD_JSON_PATH', 9],
      ['RULES_INVALID_VALUE', 11],
      ['RULES_UNKNOWN_KEY', 14]
    ])
  })

  it('strangler check (a child process) prints both with file:line:col and exits 1', async () => {
    const file = await writeRules(BAD)
    const r = await runCli(['check', '--rules', file])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(`${file}:11:30 error RULES_UNKNOWN_ROUTE: correlate "slug" learns from route "list-artcles"`)
    expect(r.stdout).toContain(`${file}:12:11 error RULES_INVALID_VALUE: correlate name "token" is used twice`)
    expect(r.stdout).toContain('2 errors, 0 warnings')
  })
})
