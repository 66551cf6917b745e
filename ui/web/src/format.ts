/**
 * How the UI writes numbers: resource quantities in the units people read (cores, GiB), percentages,
 * counts and times. Values arrive in base units, as everywhere in drover: `vcore` in millicores,
 * `memory` in bytes, everything else (`pods`, `nvidia.com/gpu`) as a plain count. Pure functions with
 * no DOM, so the browser tests can import them to compare what the page shows with the REST answer.
 */

export type Resource = Readonly<Record<string, number>>;

/** The resources the UI draws bars for, in this order; others appear in details only. */
export const MAIN_RESOURCES = ['vcore', 'memory'] as const;

const MEMORY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'] as const;

/** At most `digits` decimals, trailing zeros dropped: 1.50 -> "1.5", 2.00 -> "2". */
function trimmed(value: number, digits: number): string {
  const s = value.toFixed(digits);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** 1500 -> "1.5 cores", 1000 -> "1 core", 250 -> "0.25 cores", 0 -> "0 cores". */
export function formatCores(millicores: number): string {
  const cores = millicores / 1000;
  const digits = Math.abs(cores) >= 100 ? 0 : Math.abs(cores) >= 10 ? 1 : 2;
  const text = trimmed(cores, digits);
  return `${text} ${text === '1' ? 'core' : 'cores'}`;
}

/** Binary units, one decimal: 4294967296 -> "4 GiB", 1610612736 -> "1.5 GiB", 512 -> "512 B". */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < MEMORY_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${trimmed(value, unit === 0 ? 0 : 1)} ${MEMORY_UNITS[unit] ?? 'B'}`;
}

/** One resource value in words, by its name. */
export function formatQuantity(name: string, value: number): string {
  switch (name) {
    case 'vcore':
      return formatCores(value);
    case 'memory':
    case 'ephemeral-storage':
      return formatBytes(value);
    case 'pods':
      return `${formatCount(value)} ${value === 1 ? 'pod' : 'pods'}`;
    default:
      return `${formatCount(value)} ${name}`;
  }
}

/** A whole resource map, main resources first: "1.5 cores, 4 GiB, 3 pods". Empty or absent: "none". */
export function formatResource(r: Resource | undefined, options: { readonly only?: readonly string[] } = {}): string {
  if (r === undefined) return 'none';
  const names = orderedNames(r).filter((n) => options.only === undefined || options.only.includes(n));
  const parts = names.filter((n) => (r[n] ?? 0) !== 0).map((n) => formatQuantity(n, r[n] ?? 0));
  return parts.length === 0 ? 'none' : parts.join(', ');
}

/** The names of a resource map, vcore and memory first, then pods, then the rest alphabetically. */
export function orderedNames(r: Resource): string[] {
  const rank = (n: string) => (n === 'vcore' ? 0 : n === 'memory' ? 1 : n === 'pods' ? 2 : 3);
  return Object.keys(r).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** A short label for a resource name in table headers and bars. */
export function resourceLabel(name: string): string {
  return name === 'vcore' ? 'CPU' : name === 'memory' ? 'Memory' : name === 'pods' ? 'Pods' : name;
}

/** 12345 -> "12,345". */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** 0.4567 -> "46%"; values under 1% but above 0 show as "<1%" so a busy-looking 0% never lies. */
export function formatPercent(fraction: number): string {
  const p = fraction * 100;
  if (p > 0 && p < 1) return '<1%';
  return `${Math.round(p)}%`;
}

/**
 * Unix nanoseconds -> milliseconds, or undefined for absent and zero (YuniKorn's "not set"). Rounded:
 * today's times in nanoseconds are beyond 2^53, so a double holds them only to ~256 ns and a whole
 * millisecond can come back as 0.9999... of itself.
 */
export function nanosToMillis(ns: number | undefined): number | undefined {
  return ns === undefined || ns <= 0 ? undefined : Math.round(ns / 1e6);
}

/** A queue path shortened from the left to about `max` characters, whole segments: "…dept-0.team-07". */
export function shortPath(path: string, max = 26): string {
  if (path.length <= max) return path;
  const parts = path.split('.');
  let out = parts[parts.length - 1] ?? path;
  for (let i = parts.length - 2; i >= 0; i--) {
    const next = `${parts[i] ?? ''}.${out}`;
    if (next.length + 1 > max) break;
    out = next;
  }
  return `…${out}`;
}

/** "5 s ago", "3 min ago", "2 h ago", "4 d ago" relative to `now` (both Unix milliseconds). */
export function formatAge(ms: number, now: number): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/** An absolute time people read, in their locale: "2024-11-24 19:57:03". */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
