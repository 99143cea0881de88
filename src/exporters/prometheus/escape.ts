const LABEL_SPECIAL = /[\\"\n]/;
const HELP_TEXT_SPECIAL = /[\\\n]/;
const HELP_OM_SPECIAL = /[\\"\n]/;

/** Escapes a label value; both formats escape `\`, `"` and line feed. */
export function escapeLabelValue(v: string): string {
  if (!LABEL_SPECIAL.test(v)) return v;
  return v.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** Escapes HELP text for the text format 0.0.4: `\` and line feed only (a `"` stays as it is). */
export function escapeHelpText(v: string): string {
  if (!HELP_TEXT_SPECIAL.test(v)) return v;
  return v.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'));
}

/** Escapes HELP text for OpenMetrics 1.0: `\`, `"` and line feed. */
export function escapeHelpOpenMetrics(v: string): string {
  if (!HELP_OM_SPECIAL.test(v)) return v;
  return v.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** A sample value: `NaN`, `+Inf`, `-Inf`, or the shortest decimal that reads back to the same double. */
export function formatValue(v: number): string {
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** A bucket bound in OpenMetrics' canonical form: integers carry `.0` (`le="1.0"`), as Prometheus 3 normalises them. */
export function formatBoundCanonical(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return `${v}.0`;
  return formatValue(v);
}
