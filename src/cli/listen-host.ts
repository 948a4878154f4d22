import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { InvalidArgumentError } from 'commander'

/**
 * `--host` / `--admin-host` as commander parses them: four dot-separated
 * numbers must be an IPv4 address (999.1.1.1 is refused at once, exit 2);
 * a name is resolved before listening (listenHostProblem).
 */
export function parseHost (value: string): string {
  if (value === '') throw new InvalidArgumentError('an address is an IP address or a host name, e.g. 127.0.0.1 or 0.0.0.0')
  if (/^\d+(\.\d+){3}$/.test(value) && isIP(value) !== 4) throw new InvalidArgumentError(`${value} is not an IPv4 address (each part is 0 to 255)`)
  return value
}

/** Why `host` cannot be listened on, as one line, or null: a name that does not resolve. */
export async function listenHostProblem (flag: string, host: string): Promise<string | null> {
  if (isIP(host) !== 0) return null
  try {
    await lookup(host)
    return null
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    return `cannot listen on ${flag} ${host}: ${code === 'ENOTFOUND' ? 'no such host name' : (err as Error).message}`
  }
}
