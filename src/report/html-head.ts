/** no script, no outside resource: a saved page shows what it holds and does nothing else */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

/** The start of one of strangler's HTML pages, up to `<body>`: the strict CSP, `generator`, the title and the inline style. */
export function htmlHead (generator: string, title: string, css: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${generator}">
<link rel="icon" href="data:,">
<title>${title}</title>
<style>${css}</style>
</head>
<body>
`
}
