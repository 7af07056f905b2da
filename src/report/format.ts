/**
 * Text for the report: HTML escaping, numbers for people (thousands separated, a real minus sign),
 * a figure with its Monte Carlo SE rounded to what the SE allows, and period labels as calendar months.
 */

/** Escape text for HTML element content and double-quoted attributes. */
export function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const MINUS = '\u2212';

/** A number with `decimals` decimals, thousands separated by commas, minus as U+2212. */
export function fixed(x: number, decimals: number): string {
  if (!Number.isFinite(x)) return '—';
  const s = Math.abs(x).toFixed(decimals);
  const [int, frac] = s.split('.');
  const grouped = int.length > 3 ? int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : int;
  const body = frac ? `${grouped}.${frac}` : grouped;
  return x < 0 && Number(s) !== 0 ? MINUS + body : body;
}

/** Decimals that show `x` to about `sig` significant digits (none for large numbers, at most 6). */
export function decimalsFor(x: number, sig: number): number {
  if (!Number.isFinite(x) || x === 0) return 0;
  return Math.min(6, Math.max(0, sig - 1 - Math.floor(Math.log10(Math.abs(x)))));
}

/** A plain figure to 3 significant digits (large numbers whole). */
export function num(x: number | null | undefined, sig = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return fixed(x, decimalsFor(x, sig));
}

/**
 * `value ± mc_se`, the SE to two significant digits and the value to the same decimal place
 * (e.g. 0.325 ± 0.074; −85 ± 50). A zero or missing SE shows the value alone.
 */
export function pm(value: number | null | undefined, mcSe: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  // A zero SE (or one at rounding-error size) means the figure does not vary across draws.
  if (mcSe === null || mcSe === undefined || !Number.isFinite(mcSe) || mcSe < 1e-6 * Math.max(1, Math.abs(value))) return num(value);
  const d = decimalsFor(mcSe, 2);
  return `${fixed(value, d)} ± ${fixed(mcSe, d)}`;
}

/** A setting's value as written: whole numbers grouped (1,500), others as they are (0.25, "notyet"). */
export function setting(v: number | string): string {
  if (typeof v !== 'number') return v;
  return Number.isInteger(v) ? fixed(v, 0) : String(v).replace('-', MINUS);
}

/** A share as a percentage (0.05 → "5 %"). */
export function pct(x: number, decimals = 0): string {
  return `${fixed(100 * x, decimals)} %`;
}

export interface PeriodInfo {
  first: number;
  unit: string;
  /** "YYYY-MM" (months) or "YYYY" (years) of the first period, when the scenario gives it. */
  calendarStart?: string;
}

/** A period label as a calendar month or year when the scenario says when period `first` is. */
export function periodLabel(p: number, info: PeriodInfo | null): string {
  if (!info?.calendarStart) return String(p);
  const m = /^(\d{4})(?:-(\d{1,2}))?$/.exec(info.calendarStart);
  if (!m) return String(p);
  const offset = Math.round(p - info.first);
  if (info.unit === 'year') return String(Number(m[1]) + offset);
  const months = Number(m[1]) * 12 + (Number(m[2] ?? 1) - 1) + offset;
  return `${Math.floor(months / 12)}-${String((months % 12) + 1).padStart(2, '0')}`;
}
