// dependency-cruiser config: `npm run deps` (part of `npm test`).
// Keeps the folder layout of src/ honest (DESIGN.md "House style"):
// - no circular dependency between modules;
// - imports only point DOWN the layer order below (a folder may import itself
//   and any folder under it, never one above it);
// - src/errors.ts is the bottom: anyone may import it, it imports nothing in src/;
// - every module of src/ lives in one of these folders (or is src/errors.ts),
//   so no file escapes the rules by living somewhere unlisted.
// Type-only imports count too (tsPreCompilationDeps), and an import that cannot
// be resolved is an error, so no dependency goes unseen.

// The one list, top to bottom. Feature folders (promote, suggest, openapi,
// report) sit under cli/, so they can never import cli/.
const LAYERS = [
  'cli',
  'app',
  'admin',
  'promote',
  'suggest',
  'openapi',
  'report',
  'proxy',
  'compose',
  'cache',
  'auth',
  'rate-limit',
  'transforms',
  'shadow',
  'record',
  'compare',
  'store',
  'routing',
  'upstream',
  'metrics',
  'config'
]
const FEATURES = ['promote', 'suggest', 'openapi', 'report']

const folder = (name) => `^src/${name}/`
const ORDER = `${LAYERS.join(' > ')} > errors.ts`

// One rule per (lower, upper) pair, named after both folders, e.g.
// `routing-must-not-import-config`.
const upwardImports = LAYERS.flatMap((lower, i) =>
  LAYERS.slice(0, i).map((upper) => ({
    name: `${lower}-must-not-import-${upper}`,
    severity: 'error',
    comment: upper === 'cli' && FEATURES.includes(lower)
      ? `src/${lower}/ is a feature folder: feature folders never import src/cli/ (layer order: ${ORDER})`
      : `src/${lower}/ is below src/${upper}/: imports only point down the layer order (${ORDER})`,
    from: { path: folder(lower) },
    to: { path: folder(upper) }
  }))
)

const IN_A_LAYER = `^src/(${LAYERS.join('|')})/|^src/errors[.]ts$`

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A module reaches itself again through its imports: break the cycle (a port/interface in the lower folder, or move the shared piece down).',
      from: {},
      to: { circular: true }
    },
    ...upwardImports,
    {
      name: 'errors-must-not-import-src',
      severity: 'error',
      comment: `src/errors.ts is the bottom of the layer order (${ORDER}): anyone may import it, it imports nothing from src/.`,
      from: { path: '^src/errors[.]ts$' },
      to: { path: '^src/', pathNot: '^src/errors[.]ts$' }
    },
    {
      name: 'module-outside-the-layers',
      severity: 'error',
      comment: `Every module of src/ lives in one of the layer folders (${ORDER}) or is src/errors.ts: add a new folder to LAYERS in .dependency-cruiser.cjs (and to DESIGN.md's layout) before using it.`,
      from: { path: '^src/', pathNot: IN_A_LAYER },
      to: {}
    },
    {
      name: 'import-of-module-outside-the-layers',
      severity: 'error',
      comment: `Every module of src/ lives in one of the layer folders (${ORDER}) or is src/errors.ts: add a new folder to LAYERS in .dependency-cruiser.cjs (and to DESIGN.md's layout) before using it.`,
      from: {},
      to: { path: '^src/', pathNot: IN_A_LAYER }
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'This import cannot be resolved, so the layer rules cannot see where it points: fix the path or install the package.',
      from: {},
      to: { couldNotResolve: true }
    }
  ],
  options: {
    // type-only imports (`import type`, `import { type X }`) are dependencies too
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' }
  }
}
