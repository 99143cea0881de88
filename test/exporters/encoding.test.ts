import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ContentCoding, negotiateEncoding } from '../../src/exporters/encoding.js';

const BOTH: readonly ContentCoding[] = ['br', 'gzip'];
const GZIP: readonly ContentCoding[] = ['gzip'];
const NONE: readonly ContentCoding[] = [];

// [Accept-Encoding, what the server has besides identity, the coding it must pick]
const CASES: [string | undefined, readonly ContentCoding[], ContentCoding][] = [
  // No header: identity; an empty one: identity only.
  [undefined, BOTH, 'identity'],
  ['', BOTH, 'identity'],
  ['   ', BOTH, 'identity'],
  // Plain lists: br > gzip > identity when the weights are equal.
  ['gzip', BOTH, 'gzip'],
  ['br', BOTH, 'br'],
  ['gzip, br', BOTH, 'br'],
  ['br, gzip', GZIP, 'gzip'],
  ['gzip, deflate, br, zstd', BOTH, 'br'],
  ['deflate', BOTH, 'identity'],
  ['zstd, compress', BOTH, 'identity'],
  // q-values decide before the preference.
  ['gzip;q=1, br;q=0.5', BOTH, 'gzip'],
  ['br;q=0.5, gzip;q=0.5', BOTH, 'br'],
  ['br;q=0.001, gzip;q=0.002', BOTH, 'gzip'],
  ['br;q=0.5', BOTH, 'br'],
  ['gzip;q=0.001', BOTH, 'gzip'],
  ['gzip;q=0.5, identity', BOTH, 'identity'],
  ['identity;q=0.4, gzip;q=0.5', BOTH, 'gzip'],
  ['gzip;q=1.0', BOTH, 'gzip'],
  ['gzip;q=1.000', BOTH, 'gzip'],
  ['gzip; q=0.8', BOTH, 'gzip'],
  ['gzip ;Q=0.8', BOTH, 'gzip'],
  // q=0: not acceptable, in every spelling.
  ['gzip;q=0', BOTH, 'identity'],
  ['gzip;q=0.0', BOTH, 'identity'],
  ['gzip;q=0.000', BOTH, 'identity'],
  ['gzip;q=0, br;q=0', BOTH, 'identity'],
  ['br;q=0, gzip', BOTH, 'gzip'],
  ['gzip;q=0', GZIP, 'identity'],
  // Malformed q-values count as 0: never send what the client may not decode.
  ['gzip;q=2', BOTH, 'identity'],
  ['gzip;q=1.5', BOTH, 'identity'],
  ['gzip;q=-1', BOTH, 'identity'],
  ['gzip;q=abc', BOTH, 'identity'],
  ['gzip;q=0.1234', BOTH, 'identity'],
  ['gzip;q=', BOTH, 'identity'],
  ['br;q=nope, gzip', BOTH, 'gzip'],
  // Other parameters are not q.
  ['gzip;level=9', BOTH, 'gzip'],
  // Names are case-insensitive; x-gzip is gzip.
  ['GZIP', BOTH, 'gzip'],
  ['Br', BOTH, 'br'],
  ['x-gzip', BOTH, 'gzip'],
  ['x-gzip;q=0, gzip;q=0', GZIP, 'identity'],
  // Listed twice: the higher weight.
  ['gzip;q=0, gzip', GZIP, 'gzip'],
  // `*` weighs every coding not listed, identity included.
  ['*', BOTH, 'br'],
  ['*', GZIP, 'gzip'],
  ['*', NONE, 'identity'],
  ['*;q=0.5, gzip', BOTH, 'gzip'],
  ['*;q=0, gzip;q=0.5', BOTH, 'gzip'],
  ['br;q=0, *', BOTH, 'gzip'],
  ['gzip;q=0, *;q=0.3', BOTH, 'br'],
  ['*;q=0', BOTH, 'identity'],
  ['*;q=0, identity', BOTH, 'identity'],
  // Nothing acceptable at all: identity anyway.
  ['identity;q=0', NONE, 'identity'],
  ['identity;q=0, gzip;q=0', BOTH, 'identity'],
  ['identity;q=0, gzip', BOTH, 'gzip'],
  // Junk and stray separators.
  [',,, ,gzip,,', BOTH, 'gzip'],
  [';q=1', BOTH, 'identity'],
  ['gzip;;q=0', BOTH, 'identity'],
  ['"gzip"', BOTH, 'identity'],
  [`${'x'.repeat(5000)}, gzip`, BOTH, 'identity'],
];

test('picks the coding by q-value, identity and *, with br > gzip > identity on ties, for each header', () => {
  for (const [header, available, want] of CASES) {
    assert.equal(negotiateEncoding(header, available), want, `Accept-Encoding: ${JSON.stringify(header?.slice(0, 60))} with ${available.join(',') || 'identity only'}`);
  }
});

test('reads a header repeated on the request as one list', () => {
  assert.equal(negotiateEncoding(['gzip;q=0.5', 'br'], BOTH), 'br');
  assert.equal(negotiateEncoding(['br;q=0', 'gzip;q=0'], BOTH), 'identity');
});

test('offers br and gzip by default', () => {
  assert.equal(negotiateEncoding('gzip, br'), 'br');
  assert.equal(negotiateEncoding('gzip'), 'gzip');
});
