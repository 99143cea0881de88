import type { ComponentChildren } from 'preact';
import './usage-bar.css';

/** The share of its limit past which a figure is drawn and said as a warning. */
export const NEAR_LIMIT = 0.85;

/**
 * A figure against its limit, as LiveDashboard draws it: a label, "used of
 * limit" in words, and a bar that turns to the warning colour from
 * `NEAR_LIMIT`. `limit` undefined draws no bar (nothing bounds it).
 */
export function UsageBar(props: { id: string; label: string; used: number; limit?: number | undefined; format: (v: number) => string; source?: ComponentChildren }): preact.JSX.Element {
  const f = props.limit !== undefined && props.limit > 0 ? Math.max(0, props.used / props.limit) : undefined;
  const near = f !== undefined && f >= NEAR_LIMIT;
  return (
    <div class={`usage${near ? ' near' : ''}`} data-testid={`usage-${props.id}`}>
      <div class="usage-head">
        <span class="usage-label">{props.label}</span>
        <span class="usage-figures">
          {props.format(props.used)}
          {props.limit !== undefined && (
            <>
              {' of '}
              <span data-testid="usage-limit">{props.format(props.limit)}</span>
              {f !== undefined && ` · ${(f * 100).toFixed(f < 0.1 ? 1 : 0)} %`}
            </>
          )}
          {props.source !== undefined && <span class="muted"> ({props.source})</span>}
        </span>
      </div>
      {f !== undefined && (
        <div class="usage-track" role="meter" aria-label={`${props.label} of its limit`} aria-valuemin={0} aria-valuemax={1} aria-valuenow={Math.min(1, f)} aria-valuetext={`${(f * 100).toFixed(0)} %`}>
          <div class="usage-fill" style={{ width: `${Math.min(100, f * 100).toFixed(1)}%` }} />
        </div>
      )}
    </div>
  );
}
