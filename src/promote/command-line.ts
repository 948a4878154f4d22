const PLAIN = /^[A-Za-z0-9_\-./:=@%+,]+$/

/** One shell word: as it is when it needs no quoting, else in single quotes (POSIX shells). */
function shellWord (arg: string): string {
  return PLAIN.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`
}

/** A command line a user can paste into a shell: `strangler promote 'get order' --rules rules.yaml`. */
export function commandLine (args: readonly string[]): string {
  return args.map(shellWord).join(' ')
}
