// Children for the tests whose capture would touch the test runner's own output (named child.ts: scripts/test.mjs --unit leaves out the files that start processes by this name).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What a fixture printed, and the result it reported on file descriptor 3. */
export interface FixtureRun {
  /** Its stdout, byte for byte. */
  stdout: Buffer;
  stderr: Buffer;
  // The tests read the result's fields freely; each assertion says what it expects.
  result: any;
  code: number | null;
}

/**
 * Runs `fixtures/<name>.ts` in a child (through tsx), so that capturing its
 * console and stdout does not touch the test runner's own. The fixture
 * reports its result as JSON on file descriptor 3, which the capture never
 * sees. `env` adds to the environment (`LOGS_OFF=1`: the fixture runs the
 * same code without capture, for the byte-for-byte comparison).
 */
export function runFixture(name: string, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<FixtureRun> {
  const file = fileURLToPath(new URL(`./fixtures/${name}.ts`, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', file], { stdio: ['ignore', 'pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const res: Buffer[] = [];
  child.stdout!.on('data', (d: Buffer) => out.push(d));
  child.stderr!.on('data', (d: Buffer) => err.push(d));
  (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => res.push(d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`fixture ${name} took longer than ${timeoutMs} ms; stderr: ${Buffer.concat(err).toString().slice(-2000)}`));
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err);
      const text = Buffer.concat(res).toString();
      let result: unknown;
      try {
        result = text === '' ? undefined : JSON.parse(text);
      } catch {
        reject(new Error(`fixture ${name} reported no JSON: ${text.slice(0, 500)}; stderr: ${stderr.toString().slice(-2000)}`));
        return;
      }
      resolve({ stdout: Buffer.concat(out), stderr, result, code });
    });
  });
}
