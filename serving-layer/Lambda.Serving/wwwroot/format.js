// Number and time formatting. Fixed locale and UTC so every viewer (and the browser test) reads
// the same text whatever the machine's settings.

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

export const formatInteger = (n) => (n == null ? '—' : integer.format(n));
export const formatCompact = (n) => compact.format(n);
export const formatSpend = (micros) => (micros == null ? '—' : money.format(micros / 1e6));
export const formatPercent = (ratio) => (ratio == null ? '—' : `${(ratio * 100).toFixed(2)} %`);

const pad = (n) => String(n).padStart(2, '0');

/** "2024-05-01 13:45 UTC" */
export function formatTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** "13:45" or, for ticks at midnight or day granularity, "May 1". */
export function formatTick(ms, stepMs) {
  const d = new Date(ms);
  if (stepMs >= 86_400_000 || (d.getUTCHours() === 0 && d.getUTCMinutes() === 0)) {
    return d.toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
  }
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** "12 s ago", "5 min ago", "3 h ago" relative to nowMs. */
export function formatAge(iso, nowMs) {
  if (!iso) return '—';
  const seconds = Math.max(0, Math.round((nowMs - Date.parse(iso)) / 1000));
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 48 * 3600) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} days ago`;
}
