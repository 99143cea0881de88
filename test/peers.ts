import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { TestContext } from 'node:test';

/**
 * The path of a real peer program, or: under CI=true a failure (a missing
 * peer is never a silent skip there), elsewhere a skip that says how to get it.
 */
export function requirePeer(t: TestContext, program: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status === 0 && path !== '') return path;
  const how = `${program} is not installed: run \`npm run peers\` (scripts/install-peers.sh)`;
  if (process.env.CI === 'true') assert.fail(how);
  t.skip(how);
  return undefined;
}
