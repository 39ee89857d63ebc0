import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '.tools/**', '**/dist/**', '.mocharc.cjs', '**/*.cjs', 'web/src/api/schema.gen.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly' } },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Generic plumbing over Kysely's per-service schemas, and test clients, accept any shape.
    files: ['packages/db/**', 'packages/messaging/**', 'packages/testkit/**', '**/test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['scripts/**', 'infra/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // The domain layer is pure: no I/O libraries.
    files: ['services/*/src/domain/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['express', 'pg', 'kysely', 'amqplib', 'amqp-connection-manager', 'nodemailer', '@shop/db', '@shop/messaging'] }],
    },
  },
);
