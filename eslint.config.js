// ESLint 9 flat config: `npm run lint` (part of `npm test`).
// typescript-eslint's non-type-checked `recommended` keeps it fast (no type
// information is built). Style is standard-like and no semicolons; there is no
// formatter, so only rules that catch mistakes or keep imports honest are on.
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: ['dist/**', 'coverage/**', 'bench/tmp/**', '.cache/**', '.strangler/**']
  },
  {
    files: ['src/**/*.{ts,mts,js,mjs}', 'test/**/*.{ts,mts,js,mjs}', 'bench/**/*.{ts,mts,js,mjs}', 'scripts/**/*.{ts,mts,js,mjs}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node }
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'error'
    },
    rules: {
      // unused variables and imports are errors; a leading `_` marks one kept on purpose
      '@typescript-eslint/no-unused-vars': ['error', {
        args: 'after-used',
        argsIgnorePattern: '^_',
        varsIgnorePattern: '^_',
        caughtErrors: 'none',
        destructuredArrayIgnorePattern: '^_',
        ignoreRestSiblings: true
      }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', {
        prefer: 'type-imports',
        fixStyle: 'separate-type-imports'
      }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-var': 'error',
      'prefer-const': ['error', { destructuring: 'all' }],
      // standard's rule: `new` for its side effect only says so with a disable comment
      'no-new': 'error',
      // off: the report and its tests match terminal control characters on purpose
      'no-control-regex': 'off'
    }
  }
)
