/**
 * Summaries of repeated timings, printed by every benchmark as one JSON line.
 */
export type BenchResult = Readonly<Record<string, string | number | boolean>>;

function percentile(sorted: readonly number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export function summarise(ms: readonly number[]): { medianMs: number; p95Ms: number; minMs: number; maxMs: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    medianMs: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    minMs: round(sorted[0] ?? Number.NaN),
    maxMs: round(sorted[sorted.length - 1] ?? Number.NaN),
  };
}
