import type { Env } from '../config/env-values.js'

/**
 * The environment a flip checks the rules file with: `env`, where a variable
 * it does not have reads as a placeholder. `${NAME}` values (upstream
 * headers: tokens) are read by the proxies from their own environment, which
 * the person or controller running `promote` seldom has; a flip changes
 * routing, never those values, so it checks everything else as the proxies'
 * loader would and leaves `RULES_UNSET_ENV` to them (`strangler check` on the
 * proxies' host still reports it).
 */
export function flipEnv (env: Env = process.env): Env {
  return new Proxy(env, {
    get: (target, name) => typeof name === 'string' ? target[name] ?? 'unset-in-this-environment' : undefined
  })
}
