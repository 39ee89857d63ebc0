import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium package: its binary, found at run time (`.ci/run` installs the package when missing). */
export function chromiumBinary(): string {
  for (const candidate of ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(candidate)) return candidate;
  const found = spawnSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).stdout.trim();
  if (found) return found;
  throw new Error("Chromium is missing: install Debian's chromium package (apt-get install chromium; .ci/run does)");
}

/** The pages as the e2e gateway serves them; built first when a run starts without them. */
export function ensureWebBuilt(webDist: string): void {
  if (existsSync(path.join(webDist, 'index.html'))) return;
  execFileSync('pnpm', ['--filter', '@shop/web', 'run', '--silent', 'build'], { stdio: 'inherit' });
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Headless Chromium with a fresh profile, `origin`'s host mapped to the gateway (so mailed links
 * and PayPal-style returns to the shop's origin reach it).
 */
export async function launchChromium(origin: string, gatewayUrl: string): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'shop-chromium-'));
  const { host } = new URL(gatewayUrl);
  const shop = new URL(origin);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumBinary(),
    headless: true,
    viewport: DESKTOP,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--host-resolver-rules=MAP ${shop.hostname}:${shop.port || '80'} ${host}`,
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 812 };

/** Saves the page at desktop and phone width into `dir` (`<name>-desktop.png`, `<name>-phone.png`). */
export async function screenshots(page: Page, dir: string, name: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: path.join(dir, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(DESKTOP);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** What axe-core finds serious or critical on the page: rule, impact and the elements, one line each. */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  // Evaluated by the browser's debugger, not as a page script: the pages' policy allows no inline script.
  await page.evaluate(`${axeSource}\nwindow.__axe = axe;`);
  const violations = (await page.evaluate(`window.__axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) })))`)) as Array<{
    id: string;
    impact: string | null;
    targets: string[];
  }>;
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.targets.slice(0, 3).join(', ')}`);
}
