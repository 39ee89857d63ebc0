import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { eventually } from './wait.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** A process of the shop started as operators start it (`node --conditions=development --import tsx <main.ts>`), for tests of its life. */
export interface ShopProcess {
  child: ChildProcess;
  /** Its JSON log lines so far. */
  logs(): Array<Record<string, unknown>>;
  /** Waits for a log line whose message matches. */
  waitForLog(message: string | RegExp, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves with the exit code (or signal) once it has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends a signal; SIGKILL as a last resort by tests that clean up. */
  kill(signal?: NodeJS.Signals): void;
}

/** Starts `entry` (relative to the repository root) with this environment on top of the test's own. */
export function startShopProcess(entry: string, env: Record<string, string>): ShopProcess {
  const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', path.join(root, entry)], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream! }).on('line', (line) => {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ message: line });
      }
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    logs: () => lines,
    waitForLog: (message, timeoutMs = 20_000) =>
      eventually(
        () => lines.find((l) => (typeof message === 'string' ? l.message === message : message.test(String(l.message)))),
        timeoutMs,
        `log line ${String(message)}`,
      ),
    exited,
    kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
