import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { TestContext } from 'node:test';

/**
 * The one rule for a real peer program (promtool, prometheus, carbon, chromium)
 * that is not installed: under CI=true a failure, naming `how` to get it (a
 * missing peer is never a silent skip there), elsewhere a skip saying the same.
 * Returns only when the test was skipped; the caller then returns.
 */
export function missingPeer(t: TestContext, how: string): void {
  if (process.env.CI === 'true') assert.fail(how);
  t.skip(how);
}

/** The path of a real peer program on the PATH, or undefined after `missingPeer()`. */
export function requirePeer(t: TestContext, program: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status === 0 && path !== '') return path;
  missingPeer(t, `${program} is not installed: run \`npm run peers\` (scripts/install-peers.sh)`);
  return undefined;
}
