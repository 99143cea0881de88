import assert from 'node:assert/strict';
import { test } from 'node:test';
import { address, fieldText, heading } from '../../src/ui/components/field-text.js';

test('fieldText() formats a detail field by its name: percentages, durations, bytes, identifiers, argv, endpoints', () => {
  assert.equal(fieldText('eventLoopUtilization', 0.00579), '0.6 %');
  assert.equal(fieldText('ageMs', 134053), '2 min 14 s');
  assert.equal(fieldText('cpuSeconds', 1.5), '1.5 s');
  assert.equal(fieldText('heapUsed', 10 * 1024 * 1024), '10.0 MiB');
  assert.equal(fieldText('recvBufferSize', 131072), '128 KiB');
  assert.equal(fieldText('maxOldGenerationSizeMb', 64), '64 MiB');
  assert.equal(fieldText('pid', 123456), '123456');
  assert.equal(fieldText('threadId', 12345), '12345');
  assert.equal(fieldText('exitCode', 1000), '1000');
  assert.equal(fieldText('online', true), 'yes');
  assert.equal(fieldText('command', ['node', '-e', 'x']), 'node -e x');
  assert.equal(fieldText('execArgv', []), '–');
  assert.equal(fieldText('local', { address: '::1', port: 80 }), '[::1]:80');
  assert.equal(fieldText('signal', null), '–');
  assert.equal(address({ address: '127.0.0.1', port: 4001 }), '127.0.0.1:4001');
});

test('heading() writes a camelCase key in words without its unit, and leaves header and /proc names as they are', () => {
  assert.equal(heading('eventLoopUtilization'), 'Event loop utilization');
  assert.equal(heading('ageMs'), 'Age');
  assert.equal(heading('httpVersion'), 'HTTP version');
  assert.equal(heading('content-type'), 'content-type');
  assert.equal(heading('VmRSS'), 'VmRSS');
});
