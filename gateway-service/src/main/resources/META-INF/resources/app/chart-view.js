// How the charts of a page are drawn: smoothing, x axis, log-scaled and hidden charts. Kept in the URL (a view can
// be shared and survives a reload) and remembered as the default for the next page that has no such URL.
import {html} from 'lit';
import {setQuery} from './nav.js';
import {X_MODES} from './chart.js';

// Remembered per page kind ('session', 'compare'): the charts hidden on session pages mean nothing on Compare.
const STORE = 'keisei.chartView.';

function remembered(scope) {
  try {
    return JSON.parse(localStorage.getItem(STORE + scope)) || {};
  } catch {
    return {};
  }
}

function list(v) {
  return new Set(String(v || '').split(',').map((x) => x.trim()).filter(Boolean));
}

/** The view of a page from its query (`smooth`, `x`, `log`, `hide`), else the one remembered for its kind. */
export function chartView(query, scope) {
  const r = remembered(scope);
  const smooth = Number(query?.get('smooth') ?? r.smooth ?? 0);
  const x = query?.get('x') ?? r.x;
  return {
    smoothing: Number.isFinite(smooth) ? Math.min(0.99, Math.max(0, smooth)) : 0,
    xMode: Object.hasOwn(X_MODES, x || '') ? x : 'step',
    log: list(query?.get('log') ?? r.log),
    hide: list(query?.get('hide') ?? r.hide),
  };
}

/** Writes a view into the URL (next to `others`, the page's own parameters) and remembers it for its kind. */
export function writeChartView(view, scope, others = {}) {
  const v = {
    smooth: view.smoothing ? String(view.smoothing) : '',
    x: view.xMode !== 'step' ? view.xMode : '',
    log: [...view.log].join(','),
    hide: [...view.hide].join(','),
  };
  setQuery({...others, ...v});
  try {
    localStorage.setItem(STORE + scope, JSON.stringify(v));
  } catch { /* private mode: the URL still has it */ }
}

/** The smoothing slider and the x-axis choice; `onChange` gets the new view. */
export function chartViewControls(view, onChange) {
  return html`
    <label class="small" title="Exponential moving average, as in TensorBoard; the raw line stays faint behind">Smoothing
      <input type="range" min="0" max="0.99" step="0.01" .value=${String(view.smoothing)} data-testid="smoothing"
        aria-valuetext=${view.smoothing ? String(view.smoothing) : 'off'}
        @input=${(e) => onChange({...view, smoothing: Number(e.target.value)})}>
      <output class="mono">${view.smoothing ? view.smoothing.toFixed(2) : 'off'}</output></label>
    <label class="small">X axis
      <select data-testid="x-mode" @change=${(e) => onChange({...view, xMode: e.target.value})}>
        ${Object.entries(X_MODES).map(([k, label]) => html`<option value=${k} ?selected=${k === view.xMode}>${label}</option>`)}
      </select></label>`;
}
