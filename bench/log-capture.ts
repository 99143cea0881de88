import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Result } from './harness.js';

/**
 * What a log line costs with the capture on (wobserver's console and stream
 * wrappers, its pino destination, its winston transport: redaction, the ring)
 * against the same line with it off, in a process whose stdout and stderr go to
 * /dev/null so that the write itself is as cheap as it gets (bench/log-capture-child.ts).
 * The note gives the capture's own cost per line, in µs.
 */
export async function logCapture(): Promise<Result[]> {
  const file = fileURLToPath(new URL('./log-capture-child.ts', import.meta.url));
  const nul = openSync('/dev/null', 'w');
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', file], { stdio: ['ignore', nul, nul, 'pipe'] });
  let out = '';
  child.stdio[3]!.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0 || out === '') throw new Error(`log-capture child exited ${code}`);
  return (JSON.parse(out) as Result[]).map((r) => ({ ...r, note: `${((1 / r.ours - 1 / r.theirs) * 1e6).toFixed(2)} µs a line for the capture (${(1e6 / r.theirs).toFixed(2)} µs without, ${(1e6 / r.ours).toFixed(2)} µs with); stdout on /dev/null` }));
}
