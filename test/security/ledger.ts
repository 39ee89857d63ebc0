import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** What one kind of attack did: how many cases it checked, what it sent, and what went wrong. */
export interface LedgerRow {
  checks: number;
  requests: number;
  serverErrors: number;
  leaks: number;
}

/** The attack report: one row per kind of attack, in the order they first counted something. */
export class Ledger {
  readonly rows = new Map<string, LedgerRow>();

  row(kind: string): LedgerRow {
    let row = this.rows.get(kind);
    if (!row) {
      row = { checks: 0, requests: 0, serverErrors: 0, leaks: 0 };
      this.rows.set(kind, row);
    }
    return row;
  }

  total(): LedgerRow {
    const total = { checks: 0, requests: 0, serverErrors: 0, leaks: 0 };
    for (const row of this.rows.values()) {
      total.checks += row.checks;
      total.requests += row.requests;
      total.serverErrors += row.serverErrors;
      total.leaks += row.leaks;
    }
    return total;
  }

  /** A Markdown table: checks run, requests sent, 5xx seen, data leaked, per kind and in total. */
  table(): string {
    const line = (kind: string, r: LedgerRow) => `| ${kind} | ${r.checks} | ${r.requests} | ${r.serverErrors} | ${r.leaks} |`;
    return [
      '| attack | checks run | requests sent | 5xx seen | data leaked |',
      '| --- | ---: | ---: | ---: | ---: |',
      ...[...this.rows].map(([kind, row]) => line(kind, row)),
      line('**total**', this.total()),
    ].join('\n');
  }
}

/** The report of the last full run, committed beside the other reliability figures. */
export const ATTACK_REPORT = path.resolve(import.meta.dirname, '../../docs/reliability/attack.md');

/** Writes the report: what was attacked, how hard, and the table. */
export function writeAttackReport(ledger: Ledger, settings: string[]): void {
  const text = [
    '# Attack report',
    '',
    'Written by the security suite (`test/security`, part of `npm test`) at the end of its last run,',
    'against the whole shop in one process behind its gateway. A 5xx or a leak fails the suite.',
    '',
    ...settings.map((s) => `- ${s}`),
    '',
    ledger.table(),
    '',
  ].join('\n');
  mkdirSync(path.dirname(ATTACK_REPORT), { recursive: true });
  writeFileSync(ATTACK_REPORT, text);
}
