// Colours of the dashboard's lines. A run (session) has one colour everywhere (overview, session page, Compare),
// derived from its id alone, so it never depends on which other runs are shown or in what order.

/** The palette: CSS custom properties defined for the light and the dark theme in app.css. */
export const PALETTE = ['--c1', '--c2', '--c3', '--c4', '--c5', '--c6', '--c7', '--c8', '--c9', '--c10'];

/** The CSS custom property of a run's colour (FNV-1a of its id). */
export function runColor(id) {
  let h = 0x811c9dc5;
  const s = String(id ?? '');
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return PALETTE[(h >>> 0) % PALETTE.length];
}

/** The colour of the i-th line of a chart that holds several metrics of one run. */
export function lineColor(i) {
  return PALETTE[i % PALETTE.length];
}

/** Resolves a custom property to a colour (canvas drawing needs the value, not the variable). */
export function cssColor(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}
