// Automatic gating on the dashboard: how a session gates its new checkpoints against its best, the best, and the gate
// in progress (the session page's Gating panel, with a form to change the policy for those allowed to), and the
// policy's words, shared with the New session form.
import {html, nothing} from 'lit';
import {KElement} from './base.js';
import {api, canControl} from './api.js';
import {fmtInt, fmtTime} from './format.js';

/** The modes as the forms offer them. */
export const GATING_MODES = [
  ['off', 'Off'],
  ['sprt', 'SPRT (sequential test against the best)'],
  ['games', 'Fixed number of games against the best'],
];

/** The policy in one line: "SPRT elo0 0 / elo1 30, α 0.05 β 0.05, batches of 50, at most 1,000 games". */
export function describePolicy(p) {
  if (!p || p.mode === 'off' || !p.mode) return 'Off: new checkpoints are not gated.';
  const queue = `; gate evaluations at priority ${p.priority}`;
  if (p.mode === 'games') {
    return `${fmtInt(p.games)} games against the best; promoted when the score's one-sided 95 % bound is above 50 %${queue}.`;
  }
  return `SPRT elo0 ${p.elo0} / elo1 ${p.elo1}, α ${p.alpha} β ${p.beta}, in batches of ${fmtInt(p.games)} games, at most `
    + `${fmtInt(p.maxGames)} (undecided there: not promoted)${queue}.`;
}

/** "W 3 D 1 L 2, LLR 0.41" of a gate that played; '' before its first game. */
export function gateScore(g) {
  if (!g || g.wins + g.draws + g.losses === 0) return '';
  const llr = typeof g.llr === 'number' ? `, LLR ${g.llr.toFixed(2)}` : '';
  return `W ${g.wins} D ${g.draws} L ${g.losses}${llr}`;
}

/**
 * A policy from form values as typed ({mode, games, maxGames, elo0, elo1, alpha, beta, priority}, strings): blank
 * fields are left out (the server fills in their defaults), numbers sent as numbers.
 */
export function policyFrom(values) {
  const out = {mode: values.mode || 'off'};
  for (const k of ['games', 'maxGames', 'elo0', 'elo1', 'alpha', 'beta', 'priority']) {
    const v = values[k];
    if (v != null && String(v).trim() !== '') out[k] = Number(v);
  }
  return out;
}

/** The fields of the change form, by mode: what each mode reads. */
const FIELDS = {
  sprt: [['games', 'Games per batch', '1'], ['maxGames', 'At most games', '1'], ['elo0', 'elo0', 'any'], ['elo1', 'elo1', 'any'],
    ['alpha', 'α', 'any'], ['beta', 'β', 'any'], ['priority', 'Queue priority', '1']],
  games: [['games', 'Games', '1'], ['priority', 'Queue priority', '1']],
  off: [],
};

class GatingPanel extends KElement {
  static properties = {
    session: {attribute: false},
    models: {state: true}, best: {state: true}, editing: {state: true}, form: {state: true}, errors: {state: true},
    error: {state: true}, busy: {state: true},
  };

  constructor() {
    super();
    this.models = null;
    this.best = null;
    this.editing = false;
    this.form = null;
    this.errors = {};
    this.error = '';
    this.busy = false;
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this._poll);
  }

  willUpdate(changed) {
    if (changed.has('session') && this.session) {
      const before = changed.get('session');
      if (!before || before.id !== this.session.id || before.bestModelId !== this.session.bestModelId
          || JSON.stringify(before.gating) !== JSON.stringify(this.session.gating)) this.#load();
    }
  }

  /** The session's models (for the gates that wait or play) and its best; again every few seconds while a gate is open. */
  async #load() {
    clearTimeout(this._poll);
    const s = this.session;
    try {
      const [page, best] = await Promise.all([
        api(`/models?session=${encodeURIComponent(s.id)}&size=50`),
        api(`/models?session=${encodeURIComponent(s.id)}&best=true&size=1`),
      ]);
      if (this.session?.id !== s.id) return;
      this.models = page.items;
      this.best = best.items[0] || null;
    } catch {
      this.models ??= [];
    }
    // No event tells a gate's progress: read again, often while a gate is open, now and then while gating is on.
    const every = this.#open().length ? 5000 : s.gating?.mode && s.gating.mode !== 'off' ? 20000 : 0;
    if (every && this.isConnected) this._poll = setTimeout(() => this.#load(), every);
  }

  /** The checkpoints in a gate or waiting for one, the playing one first. */
  #open() {
    return (this.models || []).filter((m) => m.gate?.state === 'running' || m.gate?.state === 'pending')
      .sort((a, b) => (a.gate.state === 'running' ? -1 : b.gate.state === 'running' ? 1 : b.step - a.step));
  }

  render() {
    const s = this.session;
    if (!s) return nothing;
    const policy = s.gating || {mode: 'off'};
    const open = this.#open();
    const running = open.find((m) => m.gate.state === 'running');
    const waiting = open.filter((m) => m.gate.state === 'pending').length;
    const best = this.best;
    return html`<section class="panel" aria-labelledby="gating-h" data-testid="gating">
      <div class="row"><h2 id="gating-h" style="margin:0">Gating</h2><span style="flex:1"></span>
        ${canControl(s, 'training.start') && !this.editing ? html`<button class="small" data-action="edit-gating"
          @click=${() => this.#edit(policy)}>Change</button>` : nothing}</div>
      <p class="small" data-testid="gating-policy">${describePolicy(policy)}</p>
      <dl class="kv">
        <dt>Best</dt><dd data-testid="gating-best">${best ? html`step ${fmtInt(best.step)}
          <a href="/models?session=${encodeURIComponent(s.id)}&model=${encodeURIComponent(best.id)}"><code>${best.id}</code></a>
          <span class="muted small" title=${best.gate?.reason || ''}>${best.gate?.decidedAt ? `since ${fmtTime(best.gate.decidedAt)}` : ''}</span>`
          : html`<span class="muted">none yet${policy.mode !== 'off' ? ': the next checkpoint becomes it' : ''}</span>`}</dd>
        <dt>Gate</dt><dd data-testid="gating-gate">${running ? html`step ${fmtInt(running.step)} against the best:
          ${gateScore(running.gate) || 'starting'}${running.gate.evaluation ? html` (<a
          href="/models/evaluations/${encodeURIComponent(running.gate.evaluation)}">evaluation</a>)` : nothing}`
          : html`<span class="muted">none in progress</span>`}${waiting ? html` <span class="muted small">· ${waiting}
          waiting</span>` : nothing}</dd>
      </dl>
      ${this.editing ? this.#form() : nothing}
    </section>`;
  }

  #edit(policy) {
    const f = {mode: policy.mode || 'off'};
    for (const k of ['games', 'maxGames', 'elo0', 'elo1', 'alpha', 'beta', 'priority']) f[k] = policy[k] == null ? '' : String(policy[k]);
    this.form = f;
    this.errors = {};
    this.error = '';
    this.editing = true;
  }

  #form() {
    const f = this.form;
    const set = (k, v) => { this.form = {...this.form, [k]: v}; const e = {...this.errors}; delete e[k]; this.errors = e; };
    return html`<form class="stack" novalidate data-testid="gating-form" @submit=${(e) => this.#save(e)}>
      <div class="field"><label for="g-mode">Mode</label>
        <select id="g-mode" .value=${f.mode} @change=${(e) => set('mode', e.target.value)}>
          ${GATING_MODES.map(([v, label]) => html`<option value=${v} ?selected=${v === f.mode}>${label}</option>`)}</select>
        <span class="field-error" data-field="mode">${this.errors.mode || ''}</span></div>
      <div class="form-grid">${FIELDS[f.mode]?.map(([k, label, step]) => html`<div class="field">
        <label for="g-${k}">${label}</label>
        <input id="g-${k}" type="number" step=${step} .value=${f[k]} aria-invalid=${this.errors[k] ? 'true' : 'false'}
          @input=${(e) => set(k, e.target.value)}>
        <span class="field-error" data-field=${k}>${this.errors[k] || ''}</span></div>`)}</div>
      ${this.error ? html`<div class="notice error" role="alert">${this.error}</div>` : nothing}
      <div class="row"><button class="primary small" type="submit" ?disabled=${this.busy}>Save</button>
        <button class="small" type="button" @click=${() => { this.editing = false; }}>Cancel</button></div>
    </form>`;
  }

  async #save(e) {
    e.preventDefault();
    this.busy = true;
    this.error = '';
    try {
      await api(`/sessions/${encodeURIComponent(this.session.id)}/gating`, {method: 'PUT', body: policyFrom(this.form)});
      this.editing = false;
      // The page reads the session again (policy, best); this panel follows from it.
      this.dispatchEvent(new CustomEvent('gating-changed', {bubbles: true}));
    } catch (err) {
      const errors = {};
      for (const fe of err.fieldErrors || []) errors[String(fe.field).replace(/^(body\.)?(gating\.)?/, '')] = fe.message;
      this.errors = errors;
      this.error = Object.keys(errors).length ? '' : err.message;
    } finally {
      this.busy = false;
    }
  }
}
customElements.define('gating-panel', GatingPanel);
