// Number, time and size formatting shared by every page.

const intFmt = new Intl.NumberFormat('en-US');

export function fmtInt(v) {
  return v == null || Number.isNaN(v) ? '–' : intFmt.format(Math.round(v));
}

/** A metric value with `digits` significant digits (4); scientific for very small or large magnitudes. */
export function fmtNum(v, digits = 4) {
  if (v == null || typeof v !== 'number' || Number.isNaN(v)) return '–';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e7)) return v.toExponential(Math.min(2, digits - 1));
  if (a >= 1000) return intFmt.format(Math.round(v));
  return Number(v.toPrecision(digits)).toString();
}

export function fmtPct(v, digits = 1) {
  return v == null || Number.isNaN(v) ? '–' : `${(v * 100).toFixed(digits)} %`;
}

export function fmtDuration(seconds) {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${String(m % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

export function fmtBytes(b) {
  if (b == null) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = b;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

export function fmtMb(mb) {
  return mb == null ? '–' : mb >= 1024 ? `${(mb / 1024).toFixed(1)} GiB` : `${Math.round(mb)} MiB`;
}

/**
 * CPU in cores from millicores, as the whole app writes CPU amounts: "1 CPU", "0.5 CPU", "1.25 CPU" (the
 * resource service's queue reasons say it the same way). Never "1000m".
 */
export function fmtCpu(millis) {
  if (millis == null || !Number.isFinite(Number(millis))) return '–';
  return `${Number((Number(millis) / 1000).toFixed(3))} CPU`;
}

/** "3 min ago" style, for instants given as ISO strings or epoch milliseconds. */
export function fmtAgo(t) {
  if (t == null) return '–';
  const ms = typeof t === 'number' ? t : Date.parse(t);
  if (Number.isNaN(ms)) return '–';
  const d = (Date.now() - ms) / 1000;
  if (d < 5) return 'just now';
  if (d < 60) return `${Math.round(d)} s ago`;
  if (d < 3600) return `${Math.round(d / 60)} min ago`;
  if (d < 86400) return `${Math.round(d / 3600)} h ago`;
  return new Date(ms).toLocaleDateString();
}

export function fmtTime(t) {
  if (t == null) return '–';
  const d = new Date(typeof t === 'number' ? t : Date.parse(t));
  return Number.isNaN(d.getTime()) ? '–' : d.toLocaleString();
}

export function shortId(id) {
  return id ? String(id).slice(0, 8) : '–';
}
