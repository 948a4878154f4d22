import { expect, it } from 'vitest'
import { redactUrl } from '../../src/store/redact-url.js'

it('masks the password of a connection URL, in its userinfo and in a password parameter', () => {
  expect(redactUrl('postgres://app:s3cret@db.internal:5432/strangler')).toBe('postgres://app:***@db.internal:5432/strangler')
  expect(redactUrl('postgresql://app@db/x?sslmode=require&password=s3cret')).toBe('postgresql://app@db/x?sslmode=require&password=***')
  expect(redactUrl('redis://:s3cret@127.0.0.1:6379/0')).toBe('redis://:***@127.0.0.1:6379/0')
})

it('leaves a URL without a password and a folder as given', () => {
  expect(redactUrl('postgres://app@db.internal/strangler')).toBe('postgres://app@db.internal/strangler')
  expect(redactUrl('.strangler/diffs')).toBe('.strangler/diffs')
  expect(redactUrl('/srv/a:b@c/diffs')).toBe('/srv/a:b@c/diffs')
})

it('masks what looks like a password in a URL that does not parse', () => {
  const out = redactUrl('postgres://app:s3cret@[bad/strangler')
  expect(out).not.toContain('s3cret')
  expect(out).toContain('app:***@')
})
