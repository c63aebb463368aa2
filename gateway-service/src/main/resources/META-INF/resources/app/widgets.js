// Small shared pieces: state badges, progress bars, system meters.
import {html, nothing} from 'lit';
import {KElement} from './base.js';
import {fmtMb, fmtPct} from './format.js';

export function stateBadge(state) {
  return html`<span class="badge state-${state}" data-state=${state}>${state || 'unknown'}</span>`;
}

/** A progress bar; `fraction` in [0, 1]. */
export function progressBar(fraction, label) {
  const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  return html`<div class="progress" role="progressbar" aria-label=${label} aria-valuemin="0" aria-valuemax="100"
      aria-valuenow=${Math.round(f * 100)}><span style="width:${(f * 100).toFixed(1)}%"></span></div>`;
}

function meter(label, fraction, text) {
  const f = Math.max(0, Math.min(1, fraction || 0));
  return html`<div class="meter"><span>${label}</span><span class="small mono">${text}</span>
    <div class="progress" role="meter" aria-label=${label} aria-valuemin="0" aria-valuemax="100" aria-valuenow=${Math.round(f * 100)}>
      <span class=${f > 0.85 ? 'hot' : ''} style="width:${(f * 100).toFixed(1)}%"></span></div></div>`;
}

/** CPU, memory and every GPU of one SystemStatus sample. */
export class SystemMeters extends KElement {
  static properties = {status: {attribute: false}};

  render() {
    const s = this.status;
    if (!s) return html`<p class="muted">No system sample yet.</p>`;
    const mem = s.memoryTotalMb ? s.memoryUsedMb / s.memoryTotalMb : 0;
    const gpus = s.gpus || [];
    return html`<div data-testid="system-meters">
      ${meter('CPU', (s.cpuPercent || 0) / 100, fmtPct((s.cpuPercent || 0) / 100, 0))}
      ${meter('Memory', mem, `${fmtMb(s.memoryUsedMb)} / ${fmtMb(s.memoryTotalMb)}`)}
      ${gpus.length === 0 ? html`<div class="meter"><span>GPUs</span><span class="muted small">none</span></div>` : nothing}
      ${gpus.map((g) => html`
        ${meter(`GPU ${g.index}`, (g.utilizationPercent || 0) / 100, `${Math.round(g.utilizationPercent || 0)} % busy`)}
        ${meter(`GPU ${g.index} mem`, g.memoryTotalMb ? g.memoryUsedMb / g.memoryTotalMb : 0, `${fmtMb(g.memoryUsedMb)} / ${fmtMb(g.memoryTotalMb)}`)}`)}
      <p class="muted small" style="margin:.3rem 0 0">${s.node}${gpus.length ? ` · ${gpus.map((g) => g.name).join(', ')}` : ''}</p>
    </div>`;
  }
}
customElements.define('system-meters', SystemMeters);
