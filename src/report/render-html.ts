/**
 * `--format html`: one self-contained page (inline CSS, no script, no external
 * style, font or image), readable offline. A summary table of routes with
 * parity bars, then per route its counts, latency, status pairs, shadow errors
 * and the most frequent differing paths, each with a side-by-side view of one
 * example's primary and shadow values and json-diff's rendering of the two.
 *
 * Record values are untrusted (they come from upstream responses): every
 * string goes through escapeHtml, and a Content-Security-Policy forbids any
 * script and any fetch, so even a bug in escaping could not run code or leak.
 */
import { htmlHead } from './html-head.js'
import { rescoredLine, type DifferenceExample, type ExampleDocuments, type ParityReport, type RouteReport, type TopDifference, type Verdict } from './parity-report.js'
import { escapeHtml as esc } from './escape-html.js'
import { exampleDiffLines } from './example-diff-lines.js'
import { formatCount, formatMs, formatPercent, formatSkipped } from './format-values.js'
import { describeGates, hasOwnGates } from './gate-thresholds.js'
import { describeFlip } from './last-flip.js'

const MAX_VALUE_CHARS = 4000

const VERDICT_LABEL: Record<Verdict, string> = {
  ready: 'ready',
  almost: 'almost',
  broken: 'broken',
  'insufficient-data': 'insufficient data'
}

const CSS = `
:root{--bg:#f6f7f9;--card:#fff;--ink:#1c2330;--mute:#5f6b7a;--line:#e2e6eb;--ready:#1f9d55;--almost:#d69e2e;--broken:#d64545;--insufficient:#8a94a3;--del:#fdecec;--del-ink:#a12626;--add:#e7f6ec;--add-ink:#17683a;--code:#f1f3f6}
@media (prefers-color-scheme:dark){:root{--bg:#12161c;--card:#1b2129;--ink:#e6e9ee;--mute:#9aa5b4;--line:#2c343f;--code:#232a34;--del:#3a1f22;--del-ink:#ff9b9b;--add:#1b3326;--add-ink:#8ee0a8}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1600px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:18px;margin:0;display:flex;gap:10px;align-items:center;flex-wrap:wrap}
h3{font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:var(--mute);margin:18px 0 6px}
.meta{color:var(--mute);margin:0 0 16px}
code,pre{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
code{background:var(--code);padding:1px 4px;border-radius:4px;word-break:break-all}
code.record-id{word-break:normal;white-space:nowrap;display:inline-block;margin:0 4px 2px 0}
td.route-cell{font-weight:600;overflow-wrap:break-word;min-width:12ch}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:0 0 20px}
.card{flex:1 1 100px;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 14px}
.card.c-ready{border-top:3px solid var(--ready)}.card.c-almost{border-top:3px solid var(--almost)}.card.c-broken{border-top:3px solid var(--broken)}.card.c-insufficient-data{border-top:3px solid var(--insufficient)}
.card b{display:block;font-size:20px}
.card span{color:var(--mute);font-size:12px}
.panel{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 18px;margin:0 0 18px;overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{font-size:12px;color:var(--mute);font-weight:600}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.summary th{vertical-align:bottom;white-space:normal}
table.summary td.lat{white-space:normal;min-width:7.5em}
.nw{white-space:nowrap}
/* the summary fits its panel: headers and latencies wrap; on narrow screens the columns the
   route sections repeat (stage, matched, skipped, then latencies) give way */
@media (max-width:1100px){table.summary .opt{display:none}}
@media (max-width:820px){table.summary .opt2{display:none}}
tbody tr:last-child td{border-bottom:0}
a{color:inherit}
.badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600;color:#fff;white-space:nowrap}
.v-ready{background:var(--ready)}.v-almost{background:var(--almost)}.v-broken{background:var(--broken)}.v-insufficient-data{background:var(--insufficient)}
.parity{display:flex;align-items:center;gap:8px;min-width:150px}
.bar{flex:1;height:10px;border-radius:5px;background:var(--line);overflow:hidden;min-width:60px}
.bar>.fill{display:block;height:100%}
.parity .pct{font-variant-numeric:tabular-nums;min-width:58px;text-align:right;font-weight:600}
.share{display:flex;align-items:center;gap:6px;min-width:0}
.share .bar{height:6px;min-width:40px}
.share .fill{background:var(--broken);opacity:.7}
.share .pct{font-variant-numeric:tabular-nums;min-width:54px;text-align:right}
summary code.folded-path{justify-self:start}
.stats{display:grid;grid-template-columns:repeat(auto-fill,minmax(140px,1fr));gap:8px 16px;margin:12px 0 0}
.stats .wide{grid-column:span 2;min-width:280px}
.stats>div>span{display:block;color:var(--mute);font-size:12px}
.stats>div>b{font-variant-numeric:tabular-nums}
details.path{border-top:1px solid var(--line)}
details.path>summary{display:grid;grid-template-columns:minmax(180px,2.2fr) 70px 150px 110px minmax(0,1.6fr);gap:10px;padding:7px 4px;cursor:pointer;align-items:center;list-style:none}
details.path>summary::-webkit-details-marker{display:none}
details.path>summary::before{content:"▸";position:absolute;margin-left:-14px;color:var(--mute)}
details.path[open]>summary::before{content:"▾"}
.paths{padding-left:14px}
.paths code.record-id{white-space:normal;word-break:break-all}
.paths-head{display:grid;grid-template-columns:minmax(180px,2.2fr) 70px 150px 110px minmax(0,1.6fr);gap:10px;padding:4px;font-size:12px;color:var(--mute);font-weight:600}
.example{padding:4px 4px 14px}
.example p{margin:4px 0 8px;color:var(--mute)}
.example p.request{color:var(--ink)}
.example p.request code.url{word-break:break-all}
.side-by-side{display:grid;grid-template-columns:1fr 1fr;gap:10px}
.side{margin:0;border:1px solid var(--line);border-radius:8px;overflow:hidden;min-width:0}
.side figcaption{padding:5px 10px;font-size:12px;font-weight:600;border-bottom:1px solid var(--line)}
.side.primary figcaption{background:var(--del);color:var(--del-ink)}
.side.shadow figcaption{background:var(--add);color:var(--add-ink)}
.side pre{margin:0;padding:8px 10px;white-space:pre-wrap;word-break:break-word;max-height:320px;overflow:auto}
.side pre.absent{color:var(--mute);font-style:italic}
.jsondiff{font:12.5px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;margin:10px 0 0;border:1px solid var(--line);border-radius:8px;padding:6px 0;overflow:auto;max-height:360px}
.jsondiff div{padding:0 10px;white-space:pre}
.jsondiff .del{background:var(--del);color:var(--del-ink)}
.jsondiff .add{background:var(--add);color:var(--add-ink)}
.jsondiff-title{font-size:12px;color:var(--mute);margin:10px 0 0}
.muted{color:var(--mute)}
footer{color:var(--mute);font-size:12px;margin:24px 0}
`

function parityBar (parity: number | null, verdict: Verdict): string {
  const pct = parity === null ? 0 : Math.max(0, Math.min(100, parity * 100))
  const label = formatPercent(parity)
  return `<div class="parity" title="parity ${esc(label)}"><div class="bar" role="img" aria-label="parity ${esc(label)}"><span class="fill v-${verdict}" style="width:${pct.toFixed(2)}%"></span></div><span class="pct">${esc(label)}</span></div>`
}

function badge (v: Verdict): string {
  return `<span class="badge v-${v}" data-verdict="${v}">${VERDICT_LABEL[v]}</span>`
}

function ids (examples: readonly string[]): string {
  return examples.map(id => `<code class="record-id">${esc(id)}</code>`).join(' ')
}

const FILTER_VERDICTS = ['ready', 'almost', 'broken', 'insufficient-data'] as const
const FILTER_STAGES = ['legacy', 'shadowing', 'canary', 'migrated', 'verifying'] as const

/**
 * A filter by verdict and by stage, without script (the CSP forbids any):
 * radio buttons, and CSS rules that hide the table rows and route sections
 * of other verdicts or stages while one is checked (see FILTER_CSS).
 */
function filterControls (report: ParityReport): string {
  const radio = (group: string, value: string, label: string, checked: boolean): string =>
    `<input type="radio" name="${group}" id="${group}-${value}"${checked ? ' checked' : ''}><label for="${group}-${value}">${esc(label)}</label>`
  const stages = FILTER_STAGES.filter(st => report.routes.some(r => r.stage === st))
  return `<div class="filters"><span class="muted">verdict</span> ${radio('fv', 'all', 'all', true)}${FILTER_VERDICTS.map(v => radio('fv', v, VERDICT_LABEL[v], false)).join('')}` +
    (stages.length > 0 ? ` <span class="muted">stage</span> ${radio('fs', 'all', 'all', true)}${stages.map(st => radio('fs', st, st, false)).join('')}` : '') + '</div>'
}

/** The filter's CSS: while `#fv-ready` is checked, rows and sections of other verdicts are hidden; likewise for stages. */
const FILTER_CSS = [
  'pre.doc .diff{background:#fde7c8;display:inline-block;min-width:100%}',
  ...FILTER_VERDICTS.map(v => `body:has(#fv-${v}:checked) :is(tr, section.route)[data-verdict]:not([data-verdict="${v}"]){display:none}`),
  ...FILTER_STAGES.map(st => `body:has(#fs-${st}:checked) :is(tr, section.route)[data-stage]:not([data-stage="${st}"]){display:none}`),
  '.filters{margin:0 0 .6em;display:flex;flex-wrap:wrap;gap:.3em .6em;align-items:center}.filters label{margin-right:.4em;cursor:pointer}'
].join('\n')

/** Root causes across routes. */
function groupsSection (report: ParityReport): string {
  if (report.groups.length === 0) return ''
  const rows = report.groups.map(g => `<tr><td><code>${esc(g.signature)}</code></td><td class="n">${formatCount(g.pairs)}</td><td>${g.routes.map(x => `${esc(x.route)} <span class="muted">(${formatCount(x.pairs)})</span>`).join(', ')}</td><td>${ids(g.examples)}</td></tr>`).join('')
  return `<section class="panel groups"><h2>Root causes</h2><p class="muted">Differences grouped by signature across routes, largest first.</p><table><thead><tr><th>difference</th><th class="n">pairs</th><th>routes</th><th>examples</th></tr></thead><tbody>${rows}</tbody></table></section>`
}

function pair (p: number | null, q: number | null): string {
  return `<span class="nw">${esc(formatMs(p))}</span> / <span class="nw">${esc(formatMs(q))}</span>`
}

function valueBlock (v: unknown, present: boolean): string {
  if (!present) return '<pre class="absent">(absent on this side)</pre>'
  let s = JSON.stringify(v, null, 2) ?? String(v)
  if (s.length > MAX_VALUE_CHARS) s = `${s.slice(0, MAX_VALUE_CHARS)}\n… (${formatCount(s.length - MAX_VALUE_CHARS)} more characters)`
  return `<pre>${esc(s)}</pre>`
}

/** The two whole answers, line by line side by side; lines that differ from the other side's are marked. */
function documentsBlock (docs: ExampleDocuments): string {
  const a = docs.primary.split('\n')
  const b = docs.shadow.split('\n')
  const side = (lines: readonly string[], other: readonly string[]): string =>
    lines.map((l, i) => `<span class="${l === other[i] ? 'same' : 'diff'}">${esc(l)}</span>`).join('\n')
  return '<details class="documents"><summary>whole answers (kept pair)</summary><div class="side-by-side">' +
    `<figure class="side primary"><figcaption>primary</figcaption><pre class="doc">${side(a, b)}</pre></figure>` +
    `<figure class="side shadow"><figcaption>shadow</figcaption><pre class="doc">${side(b, a)}</pre></figure></div></details>`
}

function exampleBlock (ex: DifferenceExample, docs?: Readonly<Record<string, ExampleDocuments>>): string {
  const caption = (side: 'primary' | 'shadow', upstream: string | null): string =>
    `${side}${upstream !== null ? ` · ${esc(upstream)}` : ''}`
  const request = ex.method !== null || ex.url !== null
    ? `<p class="request">Request: <code class="method">${esc(ex.method ?? '?')}</code> <code class="url">${esc(ex.url ?? '?')}</code></p>`
    : ''
  const head = `<p>Example: record <code class="record-id">${esc(ex.id)}</code>, ${esc(ex.kind)} at <code>${esc(ex.path)}</code></p>${request}`
  if (ex.kind === 'contract') {
    return `${head}<div class="side-by-side"><figure class="side primary"><figcaption>contract</figcaption><pre>${esc(ex.message ?? '')}</pre></figure></div>`
  }
  const hasP = ex.primary !== undefined
  const hasS = ex.shadow !== undefined
  const lines = exampleDiffLines(ex)
  const diff = lines.length === 0
    ? ''
    : `<div class="jsondiff-title">json-diff</div><div class="jsondiff">${lines.map(l =>
      `<div class="${l.sign === '-' ? 'del' : l.sign === '+' ? 'add' : 'same'}">${esc(l.sign + l.text)}</div>`).join('')}</div>`
  return `${head}<div class="side-by-side">` +
    `<figure class="side primary"><figcaption>${caption('primary', ex.primaryUpstream)}</figcaption>${valueBlock(ex.primary, hasP)}</figure>` +
    `<figure class="side shadow"><figcaption>${caption('shadow', ex.shadowUpstream)}</figcaption>${valueBlock(ex.shadow, hasS)}</figure>` +
    `</div>${diff}${docs?.[ex.id] !== undefined ? documentsBlock(docs[ex.id]!) : ''}`
}

function pathRow (d: TopDifference, open: boolean, docs?: Readonly<Record<string, ExampleDocuments>>): string {
  const share = Math.max(0, Math.min(100, d.share * 100))
  return `<details class="path"${open ? ' open' : ''}><summary>` +
    `<code class="folded-path">${esc(d.path)}</code>` +
    `<span class="n">${formatCount(d.count)}</span>` +
    `<span class="share"><span class="bar"><span class="fill" style="width:${share.toFixed(2)}%"></span></span><span class="pct">${esc(formatPercent(d.share))}</span></span>` +
    `<span class="muted">${esc(Object.keys(d.kinds).join(', '))}</span>` +
    `<span>${ids(d.examples)}</span>` +
    `</summary><div class="example">${d.example !== null ? exampleBlock(d.example, docs) : '<p>No example kept.</p>'}</div></details>`
}

function routeSection (r: RouteReport, i: number, report: ParityReport): string {
  const docs = report.exampleDocuments
  const stat = (label: string, value: string, wide = false): string => `<div${wide ? ' class="wide"' : ''}><span>${label}</span><b>${value}</b></div>`
  const parts: string[] = []
  parts.push(`<section class="panel route" id="route-${i}" data-route="${esc(r.route)}" data-verdict="${r.verdict}" data-stage="${esc(r.stage ?? 'none')}">`)
  parts.push(`<h2><span class="route-name">${esc(r.route)}</span>${badge(r.verdict)}${r.stage !== null ? `<span class="muted">${esc(r.stage)}</span>` : ''}</h2>`)
  if (r.lastFlip !== null) parts.push(`<p class="flip muted">Last flip: ${esc(describeFlip(r.lastFlip))}</p>`)
  if (hasOwnGates(r.gates, report.thresholds)) parts.push(`<p class="gates muted">Gates (the route's own): ${esc(describeGates(r.gates))}</p>`)
  if (r.explainedBy !== null && r.mismatched > 0) parts.push(`<p class="cause">Every mismatch has <code>${esc(r.explainedBy)}</code> (see Root causes).</p>`)
  parts.push(`<div class="stats">${[
    stat('parity', parityBar(r.parity, r.verdict), true),
    stat('compared', formatCount(r.compared)),
    stat('matched', formatCount(r.matched)),
    stat('mismatched', formatCount(r.mismatched)),
    stat('shadow errors', formatCount(r.errors)),
    stat('skipped', esc(r.skippedTotal === 0 ? '0' : `${formatCount(r.skippedTotal)} (${formatSkipped(r.skipped)})`), r.skippedTotal > 0),
    stat('primary p50 / p99', pair(r.latency.primary.p50, r.latency.primary.p99)),
    stat('shadow p50 / p99', pair(r.latency.shadow.p50, r.latency.shadow.p99))
  ].join('')}</div>`)
  if (r.statusPairs.length > 0) {
    parts.push('<h3>Status codes that differ (primary → shadow)</h3><table class="status-pairs"><thead><tr><th>status</th><th class="n">records</th><th>examples</th></tr></thead><tbody>')
    for (const s of r.statusPairs) parts.push(`<tr><td><code>${esc(s.label)}</code></td><td class="n">${formatCount(s.count)}</td><td>${ids(s.examples)}</td></tr>`)
    parts.push('</tbody></table>')
  }
  if (r.topErrors.length > 0) {
    parts.push('<h3>Shadow errors</h3><table class="errors"><thead><tr><th>message</th><th class="n">records</th><th>examples</th></tr></thead><tbody>')
    for (const e of r.topErrors) parts.push(`<tr><td><code>${esc(e.message)}</code></td><td class="n">${formatCount(e.count)}</td><td>${ids(e.examples)}</td></tr>`)
    parts.push('</tbody></table>')
  }
  if (r.topDifferences.length > 0) {
    parts.push(`<h3>Most frequent differing fields <span class="muted">(records, of ${formatCount(r.mismatched)} mismatched; ${formatCount(r.distinctPaths)} distinct paths${r.pathsApproximate ? ', counts approximate' : ''})</span></h3>`)
    parts.push('<div class="paths"><div class="paths-head"><span>path</span><span>records</span><span>share</span><span>kinds</span><span>examples</span></div>')
    r.topDifferences.forEach((d, k) => parts.push(pathRow(d, k === 0, docs)))
    parts.push('</div>')
  } else if (r.mismatched === 0 && r.compared > 0) {
    parts.push('<p class="muted">No differences: every compared pair matched.</p>')
  }
  if (r.noise.length > 0) parts.push(`<p class="muted">noise (calibration: the primary's own answers differ; not counted): ${r.noise.map(p => `<code>${esc(p)}</code>`).join(', ')}</p>`)
  if (r.topContract.length > 0) {
    parts.push(`<h3>Contract findings <span class="muted">(not counted in parity; ${formatCount(r.contract)} of ${formatCount(r.compared)} compared records)</span></h3><table class="contract"><thead><tr><th>side</th><th>path</th><th class="n">records</th><th>breaks</th><th>examples</th></tr></thead><tbody>`)
    for (const c of r.topContract) parts.push(`<tr><td>${esc(c.side)}</td><td><code>${esc(c.path)}</code></td><td class="n">${formatCount(c.count)}</td><td><code>${esc(c.schemaPath)}</code> ${esc(c.message)}</td><td>${ids(c.examples)}</td></tr>`)
    parts.push('</tbody></table>')
  }
  if (r.operations.length > 0) {
    parts.push('<h3>Operations</h3><table class="operations"><thead><tr><th>operation</th><th class="n">compared</th><th>parity</th><th class="n">shadow errors</th></tr></thead><tbody>')
    for (const o of r.operations) parts.push(`<tr><td><code>${esc(o.operation)}</code></td><td class="n">${formatCount(o.compared)}</td><td>${esc(formatPercent(o.parity))}</td><td class="n">${formatCount(o.errors)}</td></tr>`)
    parts.push('</tbody></table>')
  }
  parts.push('</section>')
  return parts.join('')
}

export function renderHtml (report: ParityReport): string {
  const t = report.totals
  const meta: string[] = [`generated ${esc(report.generatedAt)}`]
  if (report.store !== null) meta.unshift(`store <code>${esc(report.store)}</code>`)
  if (t.firstAt !== null) meta.push(`records from ${esc(t.firstAt)} to ${esc(t.lastAt ?? '')}`)
  if (report.filters.route !== null) meta.push(`route <code>${esc(report.filters.route)}</code>`)
  if (report.filters.since !== null) meta.push(`since ${esc(report.filters.since)}`)
  const rescored = rescoredLine(report.rescored)
  if (rescored !== null) meta.push(esc(rescored))
  const card = (value: string, label: string, cls = ''): string => `<div class="card${cls}"><b>${value}</b><span>${label}</span></div>`
  const showStage = report.routes.some(r => r.stage !== null)
  const showContract = report.routes.some(r => r.contract > 0)
  const showCorrelated = report.routes.some(r => r.correlated > 0)
  const rows = report.routes.map((r, i) => `<tr data-route="${esc(r.route)}" data-verdict="${r.verdict}" data-stage="${esc(r.stage ?? 'none')}">` +
    `<td class="route-cell"><a href="#route-${i}">${esc(r.route)}</a></td><td>${badge(r.verdict)}</td>${showStage ? `<td class="opt">${esc(r.stage ?? '—')}</td>` : ''}` +
    `<td>${parityBar(r.parity, r.verdict)}</td>` +
    `<td class="n">${formatCount(r.compared)}</td><td class="n opt">${formatCount(r.matched)}</td><td class="n">${formatCount(r.mismatched)}</td>` +
    `<td class="n">${formatCount(r.errors)}</td><td class="n opt">${formatCount(r.skippedTotal)}</td>${showCorrelated ? `<td class="n">${formatCount(r.correlated)}</td>` : ''}${showContract ? `<td class="n">${formatCount(r.contract)}</td>` : ''}` +
    `<td class="n lat opt2">${pair(r.latency.primary.p50, r.latency.primary.p99)}</td><td class="n lat opt2">${pair(r.latency.shadow.p50, r.latency.shadow.p99)}</td></tr>`).join('')
  const th = report.thresholds
  return `${htmlHead('strangler report', 'strangler parity report', CSS + '\n' + FILTER_CSS)}<main>
<h1>strangler parity report</h1>
<p class="meta">${meta.join(' · ')}</p>
<div class="cards">${[
    card(formatCount(t.records), 'records'),
    card(formatCount(t.compared), 'compared'),
    card(esc(formatPercent(t.parity)), 'overall parity'),
    card(formatCount(t.errors), 'shadow errors'),
    card(formatCount(t.skippedTotal), 'skipped'),
    card(String(t.verdicts.ready), 'routes ready', ' c-ready'),
    card(String(t.verdicts.almost), 'almost ready', ' c-almost'),
    card(String(t.verdicts.broken), 'broken', ' c-broken'),
    card(String(t.verdicts['insufficient-data']), 'insufficient data', ' c-insufficient-data')
  ].join('')}</div>
<section class="panel">
${filterControls(report)}
<table class="summary">
<thead><tr><th>route</th><th>verdict</th>${showStage ? '<th class="opt">stage</th>' : ''}<th>parity</th><th class="n">compared</th><th class="n opt">matched</th><th class="n">mismatched</th><th class="n">shadow errors</th><th class="n opt">skipped</th>${showCorrelated ? '<th class="n" title="differences explained by learned correlation">correlated</th>' : ''}${showContract ? '<th class="n">contract</th>' : ''}<th class="n opt2">primary p50 / p99</th><th class="n opt2">shadow p50 / p99</th></tr></thead>
<tbody>${rows}</tbody>
</table>
</section>
${groupsSection(report)}
${report.routes.map((r, i) => routeSection(r, i, report)).join('\n')}
<footer>Parity = matched ÷ compared (shadow errors and skipped pairs are not compared). Verdicts: ready ≥ ${esc(formatPercent(th.ready))} parity with ≤ ${esc(formatPercent(th.readyErrorRate))} shadow errors; almost ≥ ${esc(formatPercent(th.almost))} with ≤ ${esc(formatPercent(th.almostErrorRate))}; insufficient data under ${formatCount(th.minCompared)} pairs${report.routes.some(r => hasOwnGates(r.gates, th)) ? ' (a route with gates of its own is judged by them, as its section says)' : ''}. Routes: ready first, most broken last among those with enough data.</footer>
</main>
</body>
</html>
`
}
