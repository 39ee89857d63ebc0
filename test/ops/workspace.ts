import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

/** The repository root. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A process of the shop: a workspace package with a `src/main.ts`. */
export interface ShopProcess {
  /** Its name in docker-compose.yml and Kubernetes: the package name without `@shop/`. */
  name: string;
  packageName: string;
  /** Its folder, relative to the root. */
  dir: string;
}

/**
 * Processes that docker-compose and Kubernetes run as something else: the mail sink is the local
 * SMTP server of development and tests, and Mailpit stands in for it there.
 */
export const STAND_INS: Readonly<Record<string, string>> = { '@shop/mail-sink': 'mailpit' };

/** Every workspace package (pnpm-workspace.yaml) with a `src/main.ts`. */
export function shopProcesses(): ShopProcess[] {
  const workspace = YAML.parse(readFileSync(path.join(root, 'pnpm-workspace.yaml'), 'utf8')) as { packages: string[] };
  const dirs = workspace.packages.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    return readdirSync(path.join(root, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${parent}/${entry.name}`);
  });
  return dirs
    .filter((dir) => existsSync(path.join(root, dir, 'src/main.ts')) && existsSync(path.join(root, dir, 'package.json')))
    .map((dir) => {
      const packageName = (JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as { name: string }).name;
      return { name: packageName.replace(/^@shop\//, ''), packageName, dir };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The processes docker-compose and Kubernetes run themselves (no stand-in). */
export function deployedProcesses(): ShopProcess[] {
  return shopProcesses().filter((p) => !(p.packageName in STAND_INS));
}

/** The process's config loader (`load<Name>Config` of its `src/config.ts`), to check an environment against. */
export async function configLoaderOf(process: ShopProcess): Promise<(env: NodeJS.ProcessEnv) => unknown> {
  const module = (await import(path.join(root, process.dir, 'src/config.ts'))) as Record<string, unknown>;
  const loaders = Object.entries(module).filter(([name, value]) => /^load\w+Config$/.test(name) && typeof value === 'function');
  if (loaders.length !== 1) throw new Error(`${process.dir}/src/config.ts should export one load<Name>Config, has ${loaders.map(([n]) => n).join(', ') || 'none'}`);
  return loaders[0]![1] as (env: NodeJS.ProcessEnv) => unknown;
}

/** Runs a command from the root; a failure throws with what it printed. */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  try {
    return execFileSync(command, args, { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const failure = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${failure.stderr || failure.stdout || failure.message}`, { cause: err });
  }
}

/** Whether `command` can be run (it answers `args`). */
export function answers(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
