/**
 * A windowed list: only the rows in view (plus a few either side) are in the DOM, so 10,000
 * applications cost as much to draw as 30. Rows have one fixed height, which keeps the arithmetic
 * exact:
 *   first = floor(scrollTop / rowHeight) - overscan,  last = ceil((scrollTop + viewport) / rowHeight) + overscan
 * and a spacer of items * rowHeight gives the scroll bar its true length. The header scrolls
 * sideways with the rows and stays on top (sticky). ARIA: the container is a table or treegrid whose
 * rows carry aria-rowindex, so assistive technology knows where in the full list a row sits.
 */
import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import type { ReactNode, UIEvent } from 'react';

export interface VirtualListProps<T> {
  readonly items: readonly T[];
  readonly rowHeight: number;
  readonly renderRow: (item: T, index: number) => ReactNode;
  readonly rowKey: (item: T) => string;
  /** The column header row, drawn above the rows. */
  readonly header?: ReactNode;
  /** An accessible name for the list. */
  readonly label: string;
  readonly role?: 'table' | 'treegrid';
  /** Scroll this row into view when it changes. */
  readonly scrollToIndex?: number | undefined;
  readonly overscan?: number;
  readonly className?: string;
  /** For tests and benchmarks: how many rows are drawn. */
  readonly testId?: string;
  /** Size to the rows, up to this many pixels, instead of filling the page. */
  readonly maxHeight?: number;
}

/** The column header's height (styles.css `.row-head`) plus its border, for `maxHeight` lists. */
const HEADER_HEIGHT = 39;

/** Before the first measurement: a typical laptop viewport. */
const INITIAL_VIEWPORT = 800;

export function VirtualList<T>(props: VirtualListProps<T>) {
  const { items, rowHeight, renderRow, rowKey, header, label, role = 'table', scrollToIndex, overscan = 8, className, testId, maxHeight } = props;
  const ref = useRef<HTMLDivElement>(null);
  const headerRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(INITIAL_VIEWPORT);
  const frame = useRef<number | null>(null);

  useLayoutEffect(() => {
    const el = ref.current;
    if (el === null) return undefined;
    setViewport(el.clientHeight || INITIAL_VIEWPORT);
    const observer = new ResizeObserver(() => setViewport(el.clientHeight || INITIAL_VIEWPORT));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    const el = ref.current;
    if (el === null || scrollToIndex === undefined || scrollToIndex < 0) return;
    const headerHeight = headerRef.current?.offsetHeight ?? 0;
    const top = scrollToIndex * rowHeight;
    const visibleTop = el.scrollTop;
    const visibleBottom = visibleTop + el.clientHeight - headerHeight;
    if (top < visibleTop || top + rowHeight > visibleBottom) {
      el.scrollTop = Math.max(0, top - (el.clientHeight - headerHeight) / 2);
      setScrollTop(el.scrollTop);
    }
  }, [scrollToIndex, rowHeight]);

  // A shorter list (a filter) clamps the scroll position; read it again rather than wait for the event.
  useLayoutEffect(() => {
    const el = ref.current;
    if (el !== null) setScrollTop(el.scrollTop);
  }, [items.length]);

  // One state update per animation frame, however many scroll events arrive.
  const onScroll = useCallback((e: UIEvent<HTMLDivElement>) => {
    const el = e.currentTarget;
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      setScrollTop(el.scrollTop);
    });
  }, []);

  const top = Math.min(scrollTop, Math.max(0, items.length * rowHeight - viewport));
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((top + viewport) / rowHeight) + overscan);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    const item = items[i];
    if (item === undefined) continue;
    rows.push(
      <div key={rowKey(item)} className="vrow" style={{ transform: `translateY(${i * rowHeight}px)`, height: rowHeight }} role="presentation">
        {renderRow(item, i)}
      </div>,
    );
  }

  return (
    <div
      ref={ref}
      className={`vlist${maxHeight === undefined ? '' : ' fit'} ${className ?? ''}`}
      style={maxHeight === undefined ? undefined : { height: Math.min(maxHeight, items.length * rowHeight + (header === undefined ? 0 : HEADER_HEIGHT) + 2) }}
      onScroll={onScroll} role={role} aria-label={label} aria-rowcount={items.length + (header === undefined ? 0 : 1)} tabIndex={0} data-testid={testId}>
      {header === undefined ? null : (
        <div ref={headerRef} className="vhead" role="rowgroup">
          {header}
        </div>
      )}
      <div className="vbody" role="rowgroup" style={{ height: items.length * rowHeight }}>
        {rows}
      </div>
    </div>
  );
}
