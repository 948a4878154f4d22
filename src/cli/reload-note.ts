/** What a command that flipped a route prints last: running proxies pick the file up by themselves. */
export function reloadNote (file: string): string {
  return `proxies serving ${file} pick it up on their own: strangler serve reloads its rules file on change (SIGHUP and POST /reload do too)\n`
}
