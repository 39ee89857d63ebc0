#!/usr/bin/env node
// Compiles every process of the shop and the packages they use to JavaScript (each package's
// dist/, by `tsc -b tsconfig.build.json`), then copies what the code reads at run time beside
// it: SQL migrations and mail templates, from src/ to dist/ at the same relative place. Then the
// storefront and admin (web/dist, by Vite), which the gateway serves.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const tsc = path.join(root, 'node_modules', '.bin', 'tsc');
// Written after each complete build: a later start with nothing newer skips loading the compiler.
const stamp = path.join(root, 'node_modules', '.cache', 'shop-build-stamp');

// The packages tsc built: every reference of the root build, and theirs.
const packages = new Set();
function collect(config) {
  const dir = path.dirname(config);
  if (packages.has(dir)) return;
  if (path.basename(config) === 'tsconfig.build.json' && dir !== root) packages.add(dir);
  // The build configs are plain JSON but for the comment line of the root one.
  const json = JSON.parse(readFileSync(config, 'utf8').replace(/^\/\/.*$/gm, ''));
  for (const reference of json.references ?? []) collect(path.resolve(dir, reference.path));
}
collect(path.join(root, 'tsconfig.build.json'));

/** The newest modification time of what a build reads: sources, build configs, manifests. */
function newestInput() {
  let newest = 0;
  const consider = (file) => {
    if (existsSync(file)) newest = Math.max(newest, statSync(file).mtimeMs);
  };
  for (const file of ['tsconfig.base.json', 'tsconfig.build.json', 'pnpm-lock.yaml']) consider(path.join(root, file));
  for (const dir of packages) {
    for (const file of ['package.json', 'tsconfig.json', 'tsconfig.build.json']) consider(path.join(dir, file));
    for (const entry of readdirSync(path.join(dir, 'src'), { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) consider(path.join(entry.parentPath, entry.name));
    }
  }
  return newest;
}

/** The newest modification time of a file under the given paths (files or folders), but the generated API types. */
function newestOf(paths) {
  let newest = 0;
  for (const p of paths) {
    if (!existsSync(p)) continue;
    const files = statSync(p).isFile() ? [p] : readdirSync(p, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
    for (const file of files) if (path.basename(file) !== 'schema.gen.ts') newest = Math.max(newest, statSync(file).mtimeMs);
  }
  return newest;
}

/**
 * Builds the pages (web/dist) unless they are newer than their sources, their configuration and
 * the API document their client is typed from.
 */
function buildWeb() {
  const web = path.join(root, 'web');
  const built = path.join(web, 'dist', 'index.html');
  const inputs = ['src', 'index.html', 'admin', 'vite.config.ts', 'tsconfig.json', 'package.json'].map((p) => path.join(web, p));
  inputs.push(path.join(root, 'gateway', 'src', 'api-docs', 'openapi.json'), path.join(root, 'pnpm-lock.yaml'));
  if (existsSync(built) && statSync(built).mtimeMs > newestOf(inputs)) {
    console.log('web pages up to date (web/dist)');
    return;
  }
  const result = spawnSync('pnpm', ['--filter', '@shop/web', 'run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const upToDate =
  process.argv.length === 2 && existsSync(stamp) && statSync(stamp).mtimeMs > newestInput() && [...packages].every((dir) => existsSync(path.join(dir, 'dist')));
if (upToDate) {
  console.log(`build up to date: ${packages.size} packages, nothing changed since the last build`);
  buildWeb();
  process.exit(0);
}

const startedAt = new Date();
const built = spawnSync(tsc, ['-b', 'tsconfig.build.json', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

let copied = 0;
for (const dir of packages) {
  const src = path.join(dir, 'src');
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.endsWith('.ts')) continue;
    const from = path.join(entry.parentPath, entry.name);
    cpSync(from, path.join(dir, 'dist', path.relative(src, from)));
    copied += 1;
  }
}
mkdirSync(path.dirname(stamp), { recursive: true });
writeFileSync(stamp, `${startedAt.toISOString()}\n`);
// Dated when the build began: a file saved while it ran counts as newer next time.
utimesSync(stamp, startedAt, startedAt);
console.log(`built ${packages.size} packages; ${copied} files copied beside the JavaScript`);
buildWeb();
