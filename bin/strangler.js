#!/usr/bin/env node
import { main } from '../dist/cli/main.js'

main(process.argv).then(
  (code) => { if (typeof code === 'number') process.exitCode = code },
  (err) => { console.error(err && err.stack ? err.stack : String(err)); process.exitCode = 1 }
)
