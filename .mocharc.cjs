// One mocha run covers every test in the workspace; each run gets its own databases and vhost.
module.exports = {
  // Workspace packages resolve to their TypeScript sources (the `development` export condition).
  'node-option': ['import=tsx', 'conditions=development'],
  extension: ['ts'],
  spec: process.env.TEST_SPEC
    ? process.env.TEST_SPEC.split(',')
    : [
        'packages/*/test/**/*.test.ts',
        'services/*/test/**/*.test.ts',
        'gateway/test/**/*.test.ts',
        'infra/*/test/**/*.test.ts',
        'test/e2e/**/*.test.ts',
        'test/browser/**/*.test.ts',
        'test/security/**/*.test.ts',
        'test/process/**/*.test.ts',
        'test/replicas/**/*.test.ts',
        'test/ops/**/*.test.ts',
        'test/resilience/**/*.test.ts',
      ],
  require: ['packages/testkit/src/mocha-hooks.ts'],
  reporter: 'packages/testkit/src/reporter.cjs',
  timeout: 20000,
  exit: true,
};
