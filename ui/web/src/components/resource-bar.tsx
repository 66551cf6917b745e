/**
 * One resource of a queue or node as a bar, readable without the numbers:
 *
 *   [#########!!!!////      |        ]   # allocated up to the guarantee, ! allocated above it (amber),
 *             ^ guarantee tick            / pending (hatched), the end of the bar is the scale (max)
 *
 * The scale is the queue's own max, else the nearest ancestor's (the root's is the cluster), drawn with
 * a dashed end when the queue has no max of its own. Nodes draw allocated and occupied (other
 * schedulers' pods, grey) against capacity. Each bar has a full sentence as its accessible name.
 */
import { formatQuantity, resourceLabel } from '../format.js';

const pct = (v: number, scale: number) => (scale <= 0 ? 0 : Math.max(0, Math.min(100, (v / scale) * 100)));

export interface QueueBarProps {
  readonly name: string;
  readonly allocated: number;
  readonly pending: number;
  readonly guaranteed: number | undefined;
  /** The queue's own max for this resource, if any. */
  readonly max: number | undefined;
  /** What the full width stands for: max, else an inherited max, else the largest value shown. */
  readonly scale: number;
}

export function QueueBar({ name, allocated, pending, guaranteed, max, scale: givenScale }: QueueBarProps) {
  const scale = givenScale > 0 ? givenScale : Math.max(allocated + pending, guaranteed ?? 0, 1);
  const over = guaranteed !== undefined && allocated > guaranteed;
  const base = over ? guaranteed : allocated;
  const q = (v: number) => formatQuantity(name, v);
  const words = [
    `${resourceLabel(name)}: ${q(allocated)} allocated`,
    max === undefined ? 'no max of its own' : `of max ${q(max)}`,
    guaranteed === undefined ? 'no guarantee' : `guaranteed ${q(guaranteed)}`,
    pending > 0 ? `${q(pending)} pending` : null,
    over ? 'over its guarantee' : null,
  ].filter((w) => w !== null);
  return (
    <div className="bar-wrap">
      <div className={`bar${max === undefined ? ' bar-inherited' : ''}`} role="img" aria-label={words.join(', ')} title={words.join(', ')}>
        <span className="seg seg-alloc" style={{ width: `${pct(base, scale)}%` }} />
        {over ? <span className="seg seg-over" style={{ width: `${pct(allocated, scale) - pct(base, scale)}%` }} /> : null}
        {pending > 0 ? <span className="seg seg-pending" style={{ width: `${Math.min(pct(pending, scale), 100 - pct(allocated, scale))}%` }} /> : null}
        {guaranteed === undefined ? null : <span className="tick" style={{ left: `${pct(guaranteed, scale)}%` }} />}
      </div>
      <span className="bar-text">
        {q(allocated)}
        <span className="muted"> / {max === undefined ? '∞' : q(max)}</span>
      </span>
    </div>
  );
}

export interface NodeBarProps {
  readonly name: string;
  readonly allocated: number;
  readonly occupied: number;
  readonly capacity: number;
}

export function NodeBar({ name, allocated, occupied, capacity }: NodeBarProps) {
  const q = (v: number) => formatQuantity(name, v);
  const words = `${resourceLabel(name)}: ${q(allocated)} allocated by drover, ${q(occupied)} by other schedulers, of ${q(capacity)}`;
  const used = allocated + occupied;
  const level = capacity > 0 && used / capacity >= 0.9 ? ' bar-full' : '';
  return (
    <div className="bar-wrap">
      <div className={`bar${level}`} role="img" aria-label={words} title={words}>
        <span className="seg seg-alloc" style={{ width: `${pct(allocated, capacity)}%` }} />
        {occupied > 0 ? <span className="seg seg-occupied" style={{ width: `${Math.min(pct(occupied, capacity), 100 - pct(allocated, capacity))}%` }} /> : null}
      </div>
      <span className="bar-text">
        {q(used)}
        <span className="muted"> / {q(capacity)}</span>
      </span>
    </div>
  );
}

/** A plain meter for totals (the dashboard's capacity cards). */
export function UsageBar({ name, used, capacity }: { readonly name: string; readonly used: number; readonly capacity: number }) {
  const words = `${resourceLabel(name)}: ${q2(name, used)} used of ${q2(name, capacity)}`;
  return (
    <div className="bar bar-big" role="img" aria-label={words} title={words}>
      <span className="seg seg-alloc" style={{ width: `${pct(used, capacity)}%` }} />
    </div>
  );
}

const q2 = formatQuantity;
