#!/usr/bin/env node
// The commands of the README (`npm start`, `npm test`, `npm run bench`, `npm run test:resilience`) on a machine with only Node and npm:
// installs the pinned pnpm locally if it is missing, installs dependencies from the lockfile,
// then runs the workspace script.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const pinned = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
const localPnpm = path.join(root, '.tools', 'node_modules', '.bin', 'pnpm');
// `start` compiles the shop (incrementally), then runs the launcher itself (not through `pnpm
// run`), so Ctrl-C and SIGTERM reach it directly.
const tasks = {
  start: { before: ['run', '--silent', 'build'], run: [process.execPath, ['--conditions=development', '--import', 'tsx', 'infra/local/launcher.ts']] },
  test: { run: [null, ['run', '--silent', 'test:all']] },
  // The benchmark builds the shop itself and runs its compiled processes.
  bench: { run: [process.execPath, ['--conditions=development', '--import', 'tsx', 'scripts/bench.ts']] },
  // The fault tests' full run, alone on the machine: it stops RabbitMQ and restarts PostgreSQL.
  resilience: { run: [null, ['exec', 'mocha']], env: { TEST_SPEC: 'test/resilience/**/*.test.ts', SHOP_FAULTS: 'full' } },
};
const task = tasks[process.argv[2]];
if (!task) {
  console.error(`usage: bootstrap.mjs ${Object.keys(tasks).join('|')}`);
  process.exit(2);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function version(command) {
  const result = spawnSync(command, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function findPnpm() {
  if (version('pnpm') === pinned) return 'pnpm';
  if (!existsSync(localPnpm) || version(localPnpm) !== pinned) {
    console.log(`installing pnpm ${pinned} into .tools/ ...`);
    run('npm', ['install', '--prefix', path.join(root, '.tools'), '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `pnpm@${pinned}`]);
  }
  return localPnpm;
}

const pnpm = findPnpm();
// Workspace scripts call pnpm themselves.
if (pnpm !== 'pnpm') process.env.PATH = `${path.dirname(pnpm)}${path.delimiter}${process.env.PATH}`;
// pnpm keeps a copy of the lockfile it installed; when it is the lockfile of the checkout, the
// install is the one asked for and checking it again would only cost seconds.
const installed = path.join(root, 'node_modules', '.pnpm', 'lock.yaml');
const lockfile = path.join(root, 'pnpm-lock.yaml');
if (existsSync(installed) && readFileSync(installed, 'utf8') === readFileSync(lockfile, 'utf8')) console.log('dependencies up to date (node_modules holds pnpm-lock.yaml)');
else run(pnpm, ['install', '--frozen-lockfile', '--reporter=append-only', '--config.confirmModulesPurge=false']);

if (task.before) run(pnpm, task.before);
const [command, args] = task.run;
const child = spawn(command ?? pnpm, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...task.env } });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
