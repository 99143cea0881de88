import { existsSync, mkdirSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { type Browser, chromium } from 'playwright-core';
import { missingPeer } from './peers.js';

export const CHROMIUM = '/usr/bin/chromium';

/** Flags that keep Chromium off the network: nothing but loopback resolves, no background services. */
const ARGS = [
  '--no-sandbox',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-default-apps',
  '--disable-sync',
  '--disable-domain-reliability',
  '--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,AutofillServerCommunication',
  '--metrics-recording-only',
  '--no-first-run',
  '--no-pings',
];

/** Nothing resolves but loopback; `map` adds names of the test's own, each to a loopback address (`evil.test` → `127.0.0.2`). */
function resolverRules(map: Record<string, string> = {}): string {
  for (const to of Object.values(map)) if (!/^127\.\d+\.\d+\.\d+$/.test(to)) throw new Error(`launch(): names map to loopback only, not ${to}`);
  const own = Object.entries(map).map(([name, to]) => `MAP ${name} ${to}, `).join('');
  return `--host-resolver-rules=${own}MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost`;
}

/**
 * Debian's Chromium, headless; without it the test is skipped, or fails under CI=true.
 * `options.hosts` maps names of the test's own to loopback addresses (a rebinding attacker's name, say).
 */
export async function launch(t: TestContext, options: { hosts?: Record<string, string> } = {}): Promise<Browser | undefined> {
  if (!existsSync(CHROMIUM)) {
    missingPeer(t, `${CHROMIUM} is missing (apt-get install chromium, or npm run peers, which npm test runs)`);
    return undefined;
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...ARGS, resolverRules(options.hosts)] });
}

/** Where the run's screenshots go. */
export function resultsDir(): string {
  const dir = 'test-results';
  mkdirSync(dir, { recursive: true });
  return dir;
}
