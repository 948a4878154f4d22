/**
 * Names whose values are secrets by default: query parameters (masked in
 * stored urls and the access log) and JSON keys (masked in stored
 * differences). Names compare exactly, but case-insensitively and ignoring
 * `-`, `_` and `.` (`access_token`, `accessToken`, `Access-Token` are one
 * name): `author`, `sortKey` or `monkey` are never caught by `auth` or `key`.
 */

/** `Access_Token` -> `accesstoken`: the form every sensitive name is compared in. */
export function squashName (name: string): string {
  return name.toLowerCase().replace(/[-_.]/g, '')
}

/**
 * Query parameters redacted by default (README "Redaction"); `redact.query`
 * adds to them. Each written once; its variants are caught by squashName.
 */
export const DEFAULT_REDACTED_QUERY: readonly string[] = [
  'token', 'access_token', 'refresh_token', 'id_token', 'auth_token', 'api_token', 'session_token', 'security_token',
  'csrf', 'csrf_token', 'xsrf', 'xsrf_token', 'jwt', 'otp',
  'password', 'passwd', 'pass', 'pw', 'pwd', 'passphrase',
  'secret', 'client_secret', 'api_secret',
  'api_key', 'key', 'private_key',
  'auth', 'authorization', 'credential', 'credentials',
  'session', 'session_id', 'sid', 'phpsessid', 'jsessionid',
  'signature', 'sig', 'code', 'SAMLResponse',
  'X-Amz-Signature', 'X-Amz-Credential', 'X-Amz-Security-Token', 'X-Goog-Signature', 'X-Goog-Credential'
]

/**
 * JSON keys whose values are redacted by default in stored differences
 * (README "Redaction"); `redact.keep` opts a path out. Narrower than the
 * query list: `code`, `key`, `session` or `auth` are everyday JSON keys.
 */
export const DEFAULT_SECRET_KEYS: readonly string[] = [
  'token', 'access_token', 'refresh_token', 'id_token', 'auth_token', 'api_token', 'bearer_token', 'session_token',
  'security_token', 'csrf_token', 'xsrf_token', 'jwt',
  'password', 'passwd', 'pwd', 'passphrase', 'new_password', 'old_password', 'current_password',
  'password_confirmation', 'confirm_password',
  'secret', 'client_secret', 'api_secret', 'app_secret', 'secret_key', 'secret_access_key',
  'private_key', 'signing_key', 'api_key', 'authorization', 'credentials'
]

const SECRET_KEYS: ReadonlySet<string> = new Set(DEFAULT_SECRET_KEYS.map(squashName))

/** True when a JSON key names a secret by default (`accessToken`, `client_secret`, `Password`). */
export function isSecretKey (key: string): boolean {
  // the longest default is 21 characters as written; long keys are rejected at once
  return key.length <= 32 && SECRET_KEYS.has(squashName(key))
}
