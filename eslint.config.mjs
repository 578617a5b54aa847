import nx from '@nx/eslint-plugin';

// Module boundaries are the architecture: apps depend on libs, libs never on
// apps, and libs/lb on nothing of the mesh (but libs/config) so it can be
// copied out with that one small lib.
const depConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  // libs/lb may use the small config lib, which depends on nothing of ours.
  { sourceTag: 'scope:lb', onlyDependOnLibsWithTags: ['scope:lb', 'scope:config'] },
  { sourceTag: 'scope:config', onlyDependOnLibsWithTags: ['scope:config'] },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/generated/**', 'reports/**', '.nx/**'],
  },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
  {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints,
        },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
      // No-op methods are how an interface says "nothing to do here" (toxics, fake subchannels).
      '@typescript-eslint/no-empty-function': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // libs/lb's bench is its own entry point (`@zonemesh/lb/bench`) compiled
    // apart from src/: it uses the library through its public barrel, as a
    // user would, not through relative paths into src/.
    files: ['libs/lb/bench/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: ['@zonemesh/lb'], depConstraints }],
    },
  },
];
