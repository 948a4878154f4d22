/**
 * `strangler status --format html`: the board as one self-contained page
 * (inline CSS, no script, nothing fetched), like the HTML report. Every
 * text from a file (route names, upstreams, reasons, who) goes through
 * escapeHtml, and a Content-Security-Policy forbids any script and fetch.
 */
import { htmlHead } from '../report/html-head.js'
import { escapeHtml as esc } from '../report/escape-html.js'
import { describeFlip } from '../report/last-flip.js'
import type { StatusBoard, StatusRow } from './status-board.js'
import { gatesCell, heldByCell, measuredCells } from './status-cells.js'
import { headlineText, sharePercent } from './status-headline.js'
import { describeRollout } from './status-rollout.js'


const CSS = `
:root{--bg:#f6f7f9;--card:#fff;--ink:#1c2330;--mute:#5f6b7a;--line:#e2e6eb;--code:#f1f3f6;--ready:#1f9d55;--almost:#d69e2e;--broken:#d64545;--insufficient:#8a94a3}
@media (prefers-color-scheme:dark){:root{--bg:#12161c;--card:#1b2129;--ink:#e6e9ee;--mute:#9aa5b4;--line:#2c343f;--code:#232a34}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1600px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}
.meta,.muted{color:var(--mute)}
.headline{font-size:16px;font-weight:600;margin:8px 0 16px}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:0 0 20px}
.card{flex:1 1 120px;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 14px}
.card b{display:block;font-size:20px}
.card span{color:var(--mute);font-size:12px}
.panel{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 18px;overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{font-size:12px;color:var(--mute);font-weight:600}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.route{font-weight:600;overflow-wrap:anywhere}
code{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--code);padding:1px 4px;border-radius:4px;overflow-wrap:anywhere}
.badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600;color:#fff;white-space:nowrap}
.v-ready{background:var(--ready)}.v-almost{background:var(--almost)}.v-broken{background:var(--broken)}.v-insufficient-data{background:var(--insufficient)}
.small{font-size:12px;color:var(--mute);margin-top:2px}
tbody tr:last-child td{border-bottom:0}
footer{color:var(--mute);font-size:12px;margin:24px 0}
`

function verdictCell (r: StatusRow): string {
  if (r.verdict === null) return '<span class="muted">not compared</span>'
  return `<span class="badge v-${r.verdict}" data-verdict="${r.verdict}">${r.verdict === 'insufficient-data' ? 'insufficient data' : r.verdict}</span>`
}

function rowHtml (r: StatusRow): string {
  const m = measuredCells(r)
  const next = `${esc(r.next.says)}${r.next.command !== null ? `<div><code class="command">${esc(r.next.command)}</code></div>` : ''}`
  const held = r.heldBy === null ? '—' : `${esc(heldByCell(r.heldBy))}<div class="small">${esc(r.heldBy.message)}</div>`
  const notes = [`gates ${esc(gatesCell(r.gates))}`]
  if (r.rollout !== null) notes.unshift(`rollout ${esc(describeRollout(r.rollout))}`)
  return `<tr data-route="${esc(r.route)}" data-stage="${r.stage}">` +
    `<td class="route">${esc(r.route)}<div class="small">${notes.join('<br>')}</div></td>` +
    `<td>${r.stage}</td><td>${esc(r.serving)}</td><td>${esc(r.shadow ?? '—')}</td>` +
    `<td class="n">${esc(m.parity)}</td><td class="n">${esc(m.pairs)}</td><td class="n">${esc(m.errors)}</td>` +
    `<td>${verdictCell(r)}</td><td>${held}</td><td class="next">${next}</td>` +
    `<td class="flip">${r.lastFlip === null ? '—' : esc(describeFlip(r.lastFlip))}</td></tr>`
}

export function renderStatusHtml (board: StatusBoard): string {
  const h = board.headline
  const card = (value: string, label: string): string => `<div class="card"><b>${value}</b><span>${label}</span></div>`
  const cards = [
    card(`${h.migrated} / ${h.routes}`, `routes migrated (${esc(sharePercent(h.share))})`),
    ...(h.operations !== null ? [card(`${h.operations.migrated} / ${h.operations.total}`, `operations migrated (${esc(sharePercent(h.operations.share))})`)] : []),
    card(String(h.canary), 'canary'),
    card(`${h.shadowing}`, `shadowing (${h.shadowingReady} ready)`),
    card(String(h.legacy), 'legacy')
  ]
  return `${htmlHead('strangler status', 'strangler status', CSS)}<main>
<h1>strangler status</h1>
<p class="meta">rules <code>${esc(board.rules)}</code> · store <code>${esc(board.store)}</code> · generated ${esc(board.generatedAt)}</p>
<p class="headline">${esc(headlineText(h))}</p>
<div class="cards">${cards.join('')}</div>
<section class="panel">
<table class="status">
<thead><tr><th>route</th><th>stage</th><th>serving</th><th>shadow</th><th class="n">parity</th><th class="n">pairs</th><th class="n">shadow errors</th><th>verdict</th><th>held by</th><th>next</th><th>last flip</th></tr></thead>
<tbody>${board.routes.map(rowHtml).join('')}</tbody>
</table>
${board.routes.length === 0 ? '<p class="muted">No routes: every request goes to the default upstream.</p>' : ''}
</section>
<footer>Parity, pairs and shadow errors are measured over each route's gates' window. Held by: the first gate that fails for a route whose next step needs evidence. Next: the command that takes the route to its next stage, or what to do first.</footer>
</main>
</body>
</html>
`
}
