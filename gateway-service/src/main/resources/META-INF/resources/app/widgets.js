// Small shared pieces: state badges, progress bars, system meters, toasts.
import {html, nothing, render} from 'lit';
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

/**
 * CPU, memory and every GPU of one SystemStatus sample. A cluster node's sample (it has a `usageSource`) knows its
 * GPUs by count only: one meter of GPUs requested, and "requested" where CPU and memory are its pods' requests.
 * `compact` leaves out the node line (a table row names the node already).
 */
export class SystemMeters extends KElement {
  static properties = {status: {attribute: false}, compact: {type: Boolean}};

  render() {
    const s = this.status;
    if (!s) return html`<p class="muted">No system sample yet.</p>`;
    const mem = s.memoryTotalMb ? s.memoryUsedMb / s.memoryTotalMb : 0;
    const gpus = s.gpus || [];
    const cluster = s.usageSource != null;
    const requested = s.usageSource === 'requests';
    return html`<div data-testid="system-meters" data-source=${s.usageSource || 'host'}
        title=${cluster ? (requested ? 'CPU and memory its pods request (no metrics.k8s.io numbers for this node)'
          : 'CPU and memory measured by metrics.k8s.io') : nothing}>
      ${meter('CPU', (s.cpuPercent || 0) / 100, fmtPct((s.cpuPercent || 0) / 100, 0))}
      ${meter('Memory', mem, `${fmtMb(s.memoryUsedMb)} / ${fmtMb(s.memoryTotalMb)}`)}
      ${gpus.length === 0 && !(cluster && this.compact) ? html`<div class="meter"><span>GPUs</span><span class="muted small">none</span></div>` : nothing}
      ${cluster && gpus.length ? meter('GPUs', (s.gpusRequested || 0) / gpus.length, `${s.gpusRequested || 0} / ${gpus.length} requested`)
        : gpus.map((g) => html`
        ${meter(`GPU ${g.index}`, (g.utilizationPercent || 0) / 100, `${Math.round(g.utilizationPercent || 0)} % busy`)}
        ${meter(`GPU ${g.index} mem`, g.memoryTotalMb ? g.memoryUsedMb / g.memoryTotalMb : 0, `${fmtMb(g.memoryUsedMb)} / ${fmtMb(g.memoryTotalMb)}`)}`)}
      ${requested ? html`<p class="muted small" style="margin:.2rem 0 0">CPU, memory: as requested</p>` : nothing}
      ${this.compact ? nothing : html`<p class="muted small node-line" style="margin:.3rem 0 0" data-testid="node">Node <strong>${s.node || '–'}</strong>${
        s.pool ? html` · pool ${s.pool}` : nothing}${gpus.length
        ? html` · ${gpus.length === 1 ? 'GPU' : 'GPUs'} ${(cluster ? [...new Set(gpus.map((g) => g.name))] : gpus.map((g) => g.name)).join(', ')}` : nothing}</p>`}
    </div>`;
  }
}
customElements.define('system-meters', SystemMeters);

/**
 * A short message that comes and goes by itself ("Checkpoint saved at step 4,096") without moving the page:
 * toasts stack in one fixed region at the bottom right (an aria-live region, so screen readers read them out),
 * each with a close button. A toast stays while the pointer is over it or focus is in it.
 *
 * @param {string} message  the text
 * @param {{kind?: 'info'|'ok'|'warn'|'error', timeout?: number}} [options]  kind colours it (default 'info';
 *        'error' is announced at once); timeout in ms until it goes (default 5000; 0 keeps it until closed)
 * @returns {{element: HTMLElement, close: () => void}}  close() removes it early
 */
export function toast(message, {kind = 'info', timeout = 5000} = {}) {
  const region = toastRegion();
  const el = document.createElement('div');
  el.className = 'toast';
  el.dataset.kind = kind;
  if (kind === 'error') el.setAttribute('role', 'alert');
  const text = document.createElement('span');
  text.className = 'toast-text';
  text.textContent = String(message);
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'toast-close';
  close.setAttribute('aria-label', 'Dismiss');
  close.textContent = '×';
  el.append(text, close);

  let timer = null;
  let closed = false;
  const remove = () => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    el.remove();
  };
  const arm = () => {
    clearTimeout(timer);
    if (timeout > 0 && !closed) timer = setTimeout(remove, timeout);
  };
  close.addEventListener('click', remove);
  el.addEventListener('mouseenter', () => clearTimeout(timer));
  el.addEventListener('mouseleave', () => { if (!el.contains(document.activeElement)) arm(); });
  el.addEventListener('focusin', () => clearTimeout(timer));
  el.addEventListener('focusout', (e) => { if (!el.contains(e.relatedTarget) && !el.matches(':hover')) arm(); });
  region.append(el);
  // At most five at once: the oldest go first.
  while (region.children.length > 5) region.firstElementChild.remove();
  arm();
  return {element: el, close: remove};
}

function toastRegion() {
  let region = document.getElementById('toasts');
  if (!region) {
    region = document.createElement('div');
    region.id = 'toasts';
    region.className = 'toasts';
    region.setAttribute('aria-live', 'polite');
    region.setAttribute('aria-relevant', 'additions');
    document.body.append(region);
  }
  return region;
}

/**
 * Asks before something that cannot be undone (stop, delete), in the page: a modal <dialog> with Cancel focused
 * (window.confirm would block the page and cannot be styled or tested). Answers true when the user confirms.
 * `key` names the action for tests and styles: the dialog is [data-testid=<key>-confirm], its button [data-confirm=<key>].
 */
export function confirmAction({title, body, confirmLabel, key}) {
  return new Promise((resolve) => {
    const host = document.createElement('div');
    document.body.append(host);
    const closed = (e) => {
      resolve(e.target.returnValue === 'confirm');
      host.remove();
    };
    render(html`<dialog class="confirm" data-testid="${key}-confirm" aria-labelledby="confirm-h" aria-describedby="confirm-d" @close=${closed}>
      <form method="dialog">
        <h2 id="confirm-h">${title}</h2>
        <p id="confirm-d">${body}</p>
        <div class="row">
          <button value="cancel" autofocus>Cancel</button>
          <button class="danger" value="confirm" data-confirm=${key}>${confirmLabel}</button>
        </div>
      </form>
    </dialog>`, host);
    const dialog = host.querySelector('dialog');
    dialog.returnValue = '';
    dialog.showModal();
  });
}
