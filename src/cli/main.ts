import { readFileSync } from 'node:fs'
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import { listenHostProblem, parseHost } from './listen-host.js'
import { processIo, type CliIo } from './io.js'
import { REPORT_FORMATS } from '../report/report-formats.js'
import { STATUS_FORMATS } from '../promote/status-formats.js'
import { DEFAULT_STORE_DIR } from '../store/store.js'
import { parseDuration } from '../config/duration.js'

// Each command's code is imported when that command runs: `serve` never loads
// the report, OpenAPI (ajv, swagger-parser) or demo code unless it uses them,
// which keeps the proxy's memory and start-up small.

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

/**
 * The version in the project's own package.json (two folders up, from both
 * src/cli and dist/cli), whatever package runs it: `npm_package_version`
 * names the package of the npm script, not strangler.
 */
export function ownVersion (): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name?: unknown; version?: unknown }
    if (pkg.name === 'strangler' && typeof pkg.version === 'string') return pkg.version
  } catch {
    // fall through
  }
  return 'unknown'
}

/** Errors of listening that are the address's fault, not strangler's: one line, exit 1. */
export function parsePort (value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535')
  return n
}

/** `--correlation-ttl`: a duration (`30m`, `1h`) of at least one second, in whole seconds. */
export function parseTtlSeconds (value: string): number {
  let ms: number
  try { ms = parseDuration(value) } catch (err) { throw new InvalidArgumentError((err as Error).message) }
  if (ms < 1000) throw new InvalidArgumentError('a TTL is at least 1s')
  return Math.ceil(ms / 1000)
}

/**
 * The `strangler` command line: wiring only. Exit codes: 0 success, 1 a
 * finding, 2 bad usage (unknown command or flag, missing required flag,
 * a value it does not know).
 */
export async function main (argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let code = 0
  const program = new Command('strangler')
    .description('Migration proxy for the strangler-fig pattern: route by route, with shadow traffic and parity diffs')
    .version(ownVersion(), '-V, --version')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })

  program.command('serve')
    .description('run the proxy; reloads the rules file on change, on SIGHUP and on POST /reload')
    .requiredOption('--rules <file>', 'rules file (YAML or JSON)')
    .option('--port <port>', 'port to listen on', parsePort, 8080)
    .option('--host <host>', 'address to listen on', parseHost, '127.0.0.1')
    .option('--admin-port <port>', 'admin listener port (/healthz, /routes, /metrics, POST /reload); off unless given', parsePort)
    .option('--admin-host <host>', 'admin listener address', parseHost, '127.0.0.1')
    .addOption(new Option('--admin-token <token>', 'require Authorization: Bearer <token> on every admin request (prefer the environment variable: arguments show in ps)').env('STRANGLER_ADMIN_TOKEN'))
    .option('--store <dir|url>', 'where diff records are written: a folder (NDJSON) or postgres://user@host:5432/db', DEFAULT_STORE_DIR)
    .option('--spec <openapi>', 'OpenAPI spec: check both responses of shadowed routes against it')
    .addOption(new Option('--correlation <redis-url>', 'share learned correlation pairs with other proxies: redis://[:password@]host:port[/db] (prefer the environment variable: arguments show in ps)').env('STRANGLER_CORRELATION'))
    .option('--correlation-ttl <duration>', 'how long a shared pair lives in Redis', parseTtlSeconds, 3600)
    .option('--correlation-prefix <prefix>', 'Redis key prefix of shared pairs', 'strangler:corr:')
    .addOption(new Option('--log-level <level>', 'log level; warn silences the access log').choices(LOG_LEVELS).default('info'))
    .action(async (o: { rules: string; port: number; host: string; adminPort?: number; adminHost: string; adminToken?: string; store: string; spec?: string; correlation?: string; correlationTtl: number; correlationPrefix: string; logLevel: string }, cmd: Command) => {
      // an empty STRANGLER_ADMIN_TOKEN is no token (compose files set variables empty); an empty --admin-token is a mistake
      const fromEnv = cmd.getOptionValueSource('adminToken') === 'env'
      if (o.adminToken === '' && !fromEnv) {
        io.stderr('strangler serve: USAGE: --admin-token is empty; give a token, or leave the flag out\n')
        code = 2
        return
      }
      for (const [flag, host] of [['--host', o.host], ['--admin-host', o.adminHost]] as const) {
        if (flag === '--admin-host' && o.adminPort === undefined) continue
        const problem = await listenHostProblem(flag, host)
        if (problem !== null) { io.stderr(`strangler serve: ${problem}\n`); code = 1; return }
      }
      const { runServe } = await import('./run-serve.js')
      // a listen failure is LISTEN_FAILED from startProxy: one line, exit 1 (run-serve)
      code = await runServe({
        rulesFile: o.rules,
        port: o.port,
        host: o.host,
        adminPort: o.adminPort,
        adminHost: o.adminHost,
        adminToken: o.adminToken === '' ? undefined : o.adminToken,
        storeDir: o.store,
        specFile: o.spec,
        // checked (and shown only with its password masked) by startProxy: a bad address is USAGE, exit 2
        correlation: o.correlation === undefined || o.correlation === '' ? undefined : { url: o.correlation, ttlSeconds: o.correlationTtl, prefix: o.correlationPrefix },
        logLevel: o.logLevel
      }, io)
    })

  program.command('check')
    .description('validate a rules file; print every problem with file:line:col; exit 1 on errors')
    .requiredOption('--rules <file>', 'rules file (YAML or JSON)')
    .option('--spec <openapi>', 'also list operations no route serves and routes matching no operation')
    .action(async (o: { rules: string; spec?: string }) => {
      const { runCheck } = await import('./run-check.js')
      code = await runCheck(o, io, async (rules, spec) => (await import('../openapi/spec-problems.js')).specProblems(rules, spec))
    })

  program.command('report')
    .description('parity per route from the diff records: compared, matched, mismatched, errors, parity, latency, top differing paths')
    .option('--store <dir|url>', 'the diff store: a folder (NDJSON) or a postgres:// URL', DEFAULT_STORE_DIR)
    .option('--route <name>', 'only this route')
    .option('--since <when>', 'only records since a duration ago (30m, 1h, 7d) or an ISO time')
    .addOption(new Option('--format <format>', 'output format').choices([...REPORT_FORMATS]).default('text'))
    .option('--out <file>', 'write the report to a file instead of stdout')
    .option('--rules <file>', "re-score the stored records and kept pairs under this file's compare settings (no new traffic)")
    .action(async (o: { store: string; route?: string; since?: string; format: string; out?: string; rules?: string }) => {
      const { runReport } = await import('./run-report.js')
      code = await runReport(o, io)
    })

  program.command('show')
    .description('one record with its kept pair: the request, both responses side by side, the differences, a curl line to replay it')
    .argument('<id>', 'record id, or its first 8 or more characters')
    .option('--store <dir|url>', 'the diff store: a folder (NDJSON) or a postgres:// URL', DEFAULT_STORE_DIR)
    .option('--rules <file>', "rules file: the curl lines use its upstreams' URLs")
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (id: string, o: { store: string; rules?: string; format: string }) => {
      const { runShow } = await import('./run-show.js')
      code = await runShow({ id, ...o }, io)
    })

  program.command('suggest')
    .description('propose compare settings per route (ignore, typeOnly, unordered, tolerance, accept) from the stored records and kept pairs, each with its evidence')
    .requiredOption('--rules <file>', 'rules file (YAML or JSON)')
    .option('--store <dir|url>', 'the diff store: a folder (NDJSON) or a postgres:// URL', DEFAULT_STORE_DIR)
    .option('--route <name>', 'only this route')
    .option('--write', 'add the proposals to the rules file in place (comments and layout kept), check it loads, print the diff', false)
    .option('--accept', 'also write the accept proposals (known differences), which are questions', false)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (o: { rules: string; store: string; route?: string; write: boolean; accept: boolean; format: string }) => {
      const { runSuggest } = await import('./run-suggest.js')
      code = await runSuggest(o, io)
    })

  program.command('init')
    .description('write a starter rules file from an OpenAPI spec: one `serve: legacy` route per operation')
    .requiredOption('--spec <openapi>', 'OpenAPI 3.0/3.1 or Swagger 2.0 file (YAML or JSON)')
    .requiredOption('--legacy <url>', 'URL of the monolith')
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--force', 'overwrite --out if it exists', false)
    .option('--new-spec <openapi>', 'the new service\'s spec: operations it shares with the monolith are shadowed to it, with a transform where its path or success status differs')
    .option('--new <url>', 'URL of the new service (with --new-spec)')
    .option('--new-name <name>', 'its upstream name', 'new')
    .action(async (o: { spec: string; legacy: string; out?: string; force: boolean; newSpec?: string; new?: string; newName: string }) => {
      const { runInit } = await import('./run-init.js')
      code = await runInit(o, io)
    })

  program.command('coverage')
    .description('each operation of the spec with its stage and parity: how much of the monolith is migrated')
    .requiredOption('--rules <file>', 'rules file (YAML or JSON)')
    .requiredOption('--spec <openapi>', 'OpenAPI 3.0/3.1 or Swagger 2.0 file (YAML or JSON)')
    .option('--store <dir|url>', 'the diff store (folder or postgres:// URL) for parity (default .strangler/diffs when it exists)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'md']).default('text'))
    .action(async (o: { rules: string; spec: string; store?: string; format: string }) => {
      const { runCoverage } = await import('./run-coverage.js')
      code = await runCoverage(o, io)
    })

  program.command('rollout')
    .description("the rollout controller (one per fleet): raises each route's rollout.steps every `every` while the gates hold; on a breach of rollbackOn, returns the route to its weights from before the rollout and halts it; edits the rules file (the proxies reload it) and audits each change")
    .requiredOption('--rules <file>', 'rules file (YAML or JSON), edited in place')
    .option('--store <dir|url>', 'the diff store (folder or postgres:// URL): parity evidence, the rollups the proxies write, and the audit log beside it', DEFAULT_STORE_DIR)
    .option('--interval <duration>', 'time between ticks', '10s')
    .option('--once', 'run one tick and exit (cron, scripts)', false)
    .option('--dry-run', 'print what it would do; write nothing', false)
    .option('--by <name>', 'who the audit log names', 'strangler rollout')
    .action(async (o: { rules: string; store: string; interval: string; once: boolean; dryRun: boolean; by: string }) => {
      const { runRollout } = await import('./run-rollout.js')
      code = await runRollout(o, io)
    })

  program.command('promote')
    .description('move a route to its next stage (legacy → shadowing → canary → migrated → verifying), or --to a stage; refused when its gates fail (unless --force --reason); edits the rules file in place and appends to the audit log')
    .argument('<route>', 'route name')
    .requiredOption('--rules <file>', 'rules file (YAML or JSON), edited in place')
    .option('--store <dir|url>', 'the diff store (folder or postgres:// URL): the gates\' evidence, and the audit log beside it', DEFAULT_STORE_DIR)
    .addOption(new Option('--to <stage>', 'go to this stage instead of the next').choices(['legacy', 'shadowing', 'canary', 'migrated', 'verifying']))
    .option('--weight <percent>', "the new side's share for a canary, above 0 and at most 100 (default 10, then 25, 50, 100)", (v) => {
      const n = Number(v)
      if (v.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 100) throw new InvalidArgumentError('a percentage above 0 and at most 100')
      return n
    })
    .option('--shadow <upstream>', 'the new service, for a route that serves legacy and mirrors nowhere yet')
    .option('--force', 'flip even though a gate fails (needs --reason)', false)
    .option('--reason <text>', 'why, for the audit log')
    .option('--by <name>', 'who, for the audit log (default: the OS user)')
    .option('--dry-run', 'print the flip and the diff of the file; write nothing', false)
    .action(async (route: string, o: { rules: string; store: string; to?: string; weight?: number; shadow?: string; force: boolean; reason?: string; by?: string; dryRun: boolean }) => {
      const { runPromote } = await import('./run-promote.js')
      code = await runPromote({ route, ...o }, io)
    })

  program.command('rollback')
    .description("undo the route's last flip still in effect, from the audit log: its exact text from before the flip is written back")
    .argument('<route>', 'route name')
    .requiredOption('--rules <file>', 'rules file (YAML or JSON), edited in place')
    .option('--store <dir|url>', 'the diff store (folder or postgres:// URL): the audit log is beside the folder, or in the database', DEFAULT_STORE_DIR)
    .option('--force', 'roll back even though the route was edited since the flip (needs --reason)', false)
    .option('--reason <text>', 'why, for the audit log')
    .option('--by <name>', 'who, for the audit log (default: the OS user)')
    .option('--dry-run', 'print the rollback and the diff of the file; write nothing', false)
    .action(async (route: string, o: { rules: string; store: string; force: boolean; reason?: string; by?: string; dryRun: boolean }) => {
      const { runRollback } = await import('./run-rollback.js')
      code = await runRollback({ route, ...o }, io)
    })

  program.command('status')
    .description('one board of every route: stage, serving, parity over its gates\' window, verdict, the gate holding it back, the next step as a command, rollout and last flip; the migrated share in one headline')
    .requiredOption('--rules <file>', 'rules file (YAML or JSON)')
    .option('--store <dir|url>', `the diff store (folder or postgres:// URL), with the audit log (default ${DEFAULT_STORE_DIR})`)
    .option('--spec <openapi>', 'OpenAPI spec: the headline adds the migrated share of its operations')
    .addOption(new Option('--format <format>', 'output format').choices([...STATUS_FORMATS]).default('text'))
    .option('--out <file>', 'write the board to a file instead of stdout')
    .action(async (o: { rules: string; store?: string; spec?: string; format: string; out?: string }) => {
      const { runStatus } = await import('./run-status.js')
      code = await runStatus(o, io)
    })

  program.command('demo')
    .description('start a sample monolith, a sample new service and the proxy; send traffic; print the parity report')
    .option('--dir <dir>', 'where the demo writes its rules, records and HTML report (default: a new temp dir)')
    .option('--requests <n>', 'how many requests to send', (v) => {
      const n = Number(v)
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive whole number')
      return n
    }, 450)
    .action(async (o: { dir?: string; requests: number }) => {
      const { runDemo } = await import('./run-demo.js')
      code = await runDemo(o, io)
    })

  try {
    await program.parseAsync(argv as string[])
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; everything else commander refuses is bad usage
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0
      return 2
    }
    throw err
  }
  return code
}
