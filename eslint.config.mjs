import nx from '@nx/eslint-plugin';

// Module boundaries are the architecture: apps depend on libs, libs never on
// apps, and libs/lb on nothing of the mesh so it can be copied out alone.
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
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'scope:lb', onlyDependOnLibsWithTags: ['scope:lb'] },
          ],
        },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
      // No-op methods are how an interface says "nothing to do here" (toxics, fake subchannels).
      '@typescript-eslint/no-empty-function': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
];
