import { OVERFLOW_LABEL, type FamilySnapshot } from '../../metrics/index.js';
import { escapeLabelValue } from './escape.js';

/**
 * Rendered label pairs (`a="1",b="2"`, without braces) of every series of a
 * family. Label columns are append-only and replaced (never edited) when a
 * series is removed, so the strings rendered for one column set stay valid:
 * they are kept per column set and only new series are rendered on the next
 * scrape, and only as far as `upTo` (the renderer asks chunk by chunk, so a
 * first scrape of a large family does not render every label set at once).
 * The cache is invisible to callers: the output depends only on the snapshot.
 */
const cache = new WeakMap<object, string[]>();

export function labelPairs(family: FamilySnapshot, upTo: number = family.size): readonly string[] {
  const n = Math.min(upTo, family.size);
  const names = family.labelNames;
  if (names.length === 0) return emptyPairs(family);
  const key = family.labelValues;
  let out = cache.get(key);
  if (out === undefined) cache.set(key, (out = []));
  if (out.length < n) {
    const cols = family.labelValues;
    const k = names.length;
    for (let i = out.length; i < n; i++) {
      if (i === family.overflow) {
        out.push(`${OVERFLOW_LABEL}="true"`);
        continue;
      }
      let s = `${names[0]}="${escapeLabelValue(cols[0]![i]!)}"`;
      for (let j = 1; j < k; j++) s += `,${names[j]}="${escapeLabelValue(cols[j]![i]!)}"`;
      out.push(s);
    }
  }
  return out;
}

function emptyPairs(family: FamilySnapshot): readonly string[] {
  const out = new Array<string>(family.size);
  for (let i = 0; i < family.size; i++) out[i] = i === family.overflow ? `${OVERFLOW_LABEL}="true"` : '';
  return out;
}
