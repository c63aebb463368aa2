// Models: checkpoints per session with their metadata, latest evaluation and gate; sortable, the best of each session
// marked (as automatic gating decided; by eval win rate where the session does not gate); download through a signed
// link (works in a new tab, can be copied), delete, resume from here (fork).
import {html, nothing} from 'lit';
import {KElement, markRendered} from '../base.js';
import {api, can, canControl} from '../api.js';
import {navigate, setQuery} from '../nav.js';
import {confirmAction} from '../widgets.js';
import {fmtInt, fmtNum, fmtPct, fmtBytes, fmtAgo, fmtTime} from '../format.js';
import {gateScore} from '../gating.js';

const EVAL = 'eval/win_rate_vs_random';
const EVAL_DRAWS = 'eval/draw_rate';
const EVAL_GAMES = 'eval/games';
const EVAL_STEP = 'eval/step';

/** The sortable columns: query value → heading and the value a model sorts by (null sorts last either way). */
const SORTS = {
  step: {label: 'Step', value: (m) => m.step},
  reward: {label: 'Reward', value: (m) => num(m.metrics?.episode_reward_mean)},
  eval: {label: 'Eval win rate', value: (m) => num(m.metrics?.[EVAL])},
  size: {label: 'Size', value: (m) => m.sizeBytes},
  saved: {label: 'Saved', value: (m) => (m.createdAt ? Date.parse(m.createdAt) : null)},
};
const DEFAULT_SORT = 'step';
const DEFAULT_DIR = 'desc';

function num(v) {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** A copy of `models` in the column's order; models without a value come last, ties keep the newer step first. */
export function sortModels(models, sort, dir) {
  const value = (SORTS[sort] || SORTS[DEFAULT_SORT]).value;
  const sign = dir === 'asc' ? 1 : -1;
  return [...models].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va == null || vb == null) return va == null && vb == null ? b.step - a.step : va == null ? 1 : -1;
    return va === vb ? b.step - a.step || String(a.id).localeCompare(String(b.id)) : sign * (va < vb ? -1 : 1);
  });
}

/** The id of each session's best model: the highest eval win rate (on a tie, the later step); none without evaluations. */
export function bestModels(models) {
  const best = new Map();
  for (const m of models) {
    const v = num(m.metrics?.[EVAL]);
    if (v == null) continue;
    const b = best.get(m.session);
    if (!b || v > b.v || (v === b.v && m.step > b.m.step)) best.set(m.session, {v, m});
  }
  return new Set([...best.values()].map((b) => b.m.id));
}

/**
 * The id of each session's best model: the one automatic gating marked (`best`) in a session that gates or has a gated
 * best; elsewhere, as a fallback, the highest eval win rate ({@link bestModels}). `sessions` may lack some sessions.
 */
export function bestIds(models, sessions = []) {
  const gated = new Set(sessions.filter((s) => s.gating && s.gating.mode !== 'off').map((s) => s.id));
  for (const m of models) if (m.best) gated.add(m.session);
  const byEval = bestModels(models.filter((m) => !gated.has(m.session)));
  return {
    ids: new Set([...models.filter((m) => m.best && gated.has(m.session)).map((m) => m.id), ...byEval]),
    gated,
  };
}

/** The gate states as the table says them, with what each means. */
const GATE_LABELS = {
  pending: ['waiting', 'Waits for the gate in progress of its session'],
  running: ['gating', 'Plays its session\'s best'],
  promoted: ['promoted', 'Became its session\'s best'],
  rejected: ['rejected', 'Not significantly stronger than its session\'s best'],
  skipped: ['skipped', 'A newer checkpoint was gated instead'],
  failed: ['failed', 'Its gate evaluation failed'],
};

class ModelsPage extends KElement {
  static properties = {
    query: {attribute: false}, sessions: {state: true}, session: {state: true}, models: {state: true},
    total: {state: true}, error: {state: true}, busy: {state: true}, open: {state: true},
    sort: {state: true}, dir: {state: true}, link: {state: true}, copied: {state: true},
  };

  constructor() {
    super();
    this.sessions = [];
    this.session = '';
    this.models = null;
    this.total = 0;
    this.error = '';
    this.busy = null;
    this.open = null;
    this.sort = DEFAULT_SORT;
    this.dir = DEFAULT_DIR;
    /** The last signed link asked for: {model, url, expiresAt}. */
    this.link = null;
    this.copied = '';
  }

  connectedCallback() {
    super.connectedCallback();
    this.session = this.query?.get('session') || '';
    /** A model to open at once (the Leaderboard links its players here). */
    this._openId = this.query?.get('model') || null;
    const sort = this.query?.get('sort');
    this.sort = sort in SORTS ? sort : DEFAULT_SORT;
    this.dir = this.query?.get('dir') === 'asc' ? 'asc' : this.query?.get('dir') === 'desc' ? 'desc' : DEFAULT_DIR;
    api('/sessions?size=200').then((p) => { this.sessions = p.items; }).catch(() => {});
    this.#load();
  }

  async #load() {
    try {
      const q = this.session ? `session=${encodeURIComponent(this.session)}&` : '';
      const page = await api(`/models?${q}size=200`);
      this.models = page.items;
      this.total = page.total;
      this.error = '';
      if (this.open) this.open = this.models.find((m) => m.id === this.open.id) || null;
      if (this._openId) {
        this.open = this.models.find((m) => m.id === this._openId) || this.open;
        this._openId = null;
        if (this.open) this.updateComplete.then(() => this.querySelector('[data-testid=model-details]')?.scrollIntoView({block: 'nearest'}));
      }
    } catch (e) {
      this.error = e.message;
      this.models ??= [];
    }
  }

  /** The page's state in its address: session filter and sort (the defaults are left out). */
  #remember() {
    const custom = this.sort !== DEFAULT_SORT || this.dir !== DEFAULT_DIR;
    setQuery({session: this.session, sort: custom ? this.sort : '', dir: custom ? this.dir : ''});
  }

  /** A header click: the same column flips its order, another starts with the highest (newest, biggest) first. */
  #sortBy(key) {
    if (this.sort === key) {
      this.dir = this.dir === 'desc' ? 'asc' : 'desc';
    } else {
      this.sort = key;
      this.dir = 'desc';
    }
    this.#remember();
  }

  #sessionOf(id) {
    return this.sessions.find((s) => s.id === id);
  }

  updated() {
    if (!this._marked && this.models != null) {
      this._marked = true;
      markRendered('models');
    }
  }

  render() {
    const models = this.models ? sortModels(this.models, this.sort, this.dir) : null;
    const {ids: best, gated} = this.models ? bestIds(this.models, this.sessions) : {ids: new Set(), gated: new Set()};
    this._gated = gated;
    return html`
      <div class="page-head">
        <h1>Models</h1>
        <span class="muted">${this.models ? `${this.total} checkpoint${this.total === 1 ? '' : 's'}` : ''}</span>
        <span class="spacer"></span>
        <label class="row small" for="m-session">Session</label>
        <select id="m-session" @change=${(e) => { this.session = e.target.value; this.#remember(); this.#load(); }}>
          <option value="">all sessions</option>
          ${this.sessions.map((s) => html`<option value=${s.id} ?selected=${s.id === this.session}>${s.name}</option>`)}
        </select>
      </div>
      ${this.error ? html`<div class="notice error" role="alert">${this.error}</div>` : nothing}
      ${this.link ? this.#linkNotice(this.link) : nothing}
      <section class="panel">
        ${models == null ? html`<div class="empty">Loading…</div>` : models.length === 0 ? html`<div class="empty">No checkpoints yet.</div>` : html`
        <div class="table-wrap"><table data-testid="models" data-sort=${this.sort} data-dir=${this.dir}>
          <thead><tr><th scope="col">Session</th>${this.#th('step', 'num')}<th scope="col" class="num">Attempt</th>
            ${this.#th('reward', 'num')}${this.#th('eval', 'num')}<th scope="col">Model</th>
            <th scope="col">Gate</th>${this.#th('size', 'num')}<th scope="col">SHA-256</th>${this.#th('saved', '')}<th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>${models.map((m) => this.#row(m, best.has(m.id)))}</tbody></table></div>
          ${this.total > this.models.length ? html`<p class="small muted">Sorted and ranked among the ${this.models.length} newest
            checkpoints; pick a session to see all of its own.</p>` : nothing}`}
      </section>
      ${this.open ? this.#details(this.open, best.has(this.open.id)) : nothing}`;
  }

  #th(key, cls) {
    const sorted = this.sort === key;
    return html`<th scope="col" class=${cls} data-col=${key}
        aria-sort=${sorted ? (this.dir === 'asc' ? 'ascending' : 'descending') : nothing}>
      <button class="sort" type="button" @click=${() => this.#sortBy(key)}
        title="Sort by ${SORTS[key].label.toLowerCase()}">${SORTS[key].label}</button></th>`;
  }

  #row(m, isBest) {
    const s = this.#sessionOf(m.session);
    const gatedBest = this._gated?.has(m.session);
    const arch = m.architecture || {};
    const metrics = m.metrics || {};
    const evalTitle = num(metrics[EVAL]) == null ? 'not evaluated before this checkpoint'
      : `${fmtInt(metrics[EVAL_GAMES])} games vs random at step ${fmtInt(metrics[EVAL_STEP])}`;
    return html`<tr data-model=${m.id} data-step=${m.step} ?data-best=${isBest}>
      <td>${s ? html`<a href="/sessions/${encodeURIComponent(s.id)}">${s.name}</a>` : html`<code>${String(m.session).slice(0, 8)}</code>`}</td>
      <td class="num" data-col="step">${fmtInt(m.step)}</td><td class="num">${m.attempt}</td>
      <td class="num" data-col="reward">${fmtNum(metrics.episode_reward_mean)}</td>
      <td class="num" data-col="eval" title=${evalTitle}>${fmtPct(metrics[EVAL], 0)}${isBest && !gatedBest ? html`<span
        class="badge best" data-testid="best" title="The highest eval win rate of its session (it does not gate)">best</span>`
        : nothing}</td>
      <td class="small">${arch.tower_width ? `${arch.tower_width}×${arch.tower_depth}` : '–'}</td>
      <td class="small" data-col="gate" data-gate=${m.gate?.state || 'none'}>${this.#gateCell(m, isBest && gatedBest)}</td>
      <td class="num" data-col="size">${fmtBytes(m.sizeBytes)}</td>
      <td><code class="small" title=${m.sha256}>${String(m.sha256 || '').slice(0, 12)}</code></td>
      <td data-col="saved" title=${fmtTime(m.createdAt)}>${fmtAgo(m.createdAt)}</td>
      <td><div class="row">
        <button class="small" @click=${() => { this.open = m; }} aria-label="Details of the checkpoint at step ${m.step}">Details</button>
        ${this.#mayDownload(s) ? html`<button class="small" data-action="download" ?disabled=${this.busy === m.id}
          @click=${() => this.#download(m)}>Download</button>
          <button class="small" data-action="copy-link" ?disabled=${this.busy === m.id} @click=${() => this.#copyLink(m)}
            title="A link that downloads this checkpoint without signing in, for a while">Copy link</button>` : nothing}
        ${can('training.start') ? html`<button class="small" ?disabled=${this.busy === m.id} @click=${() => this.#fork(m)}
          title="A new session that starts from this checkpoint with the same config">Resume from here</button>` : nothing}
        ${can('models.delete') || (s && canControl(s, 'models.delete')) ? html`<button class="small danger" ?disabled=${this.busy === m.id}
          @click=${() => this.#delete(m)}>Delete</button>` : nothing}
      </div></td></tr>`;
  }

  /** The gate column: the best badge of a gating session, else the gate's state and score (its reason on hover). */
  #gateCell(m, isGatedBest) {
    const g = m.gate;
    const badge = isGatedBest ? html`<span class="badge best" data-testid="best"
      title=${`Its session's best, as automatic gating decided${g?.reason ? `: ${g.reason}` : ''}`}>best</span>` : nothing;
    if (!g || g.state === 'none' || (isGatedBest && g.state === 'promoted')) return badge === nothing ? '–' : badge;
    const [label, meaning] = GATE_LABELS[g.state] || [g.state, ''];
    const score = gateScore(g);
    return html`${badge}<span data-testid="gate" title=${[meaning, g.reason].filter(Boolean).join(': ')}>${label}</span>${score
      ? html` <span class="muted">${score}</span>` : nothing}`;
  }

  /** models.export, or models.write on one's own session (the gateway decides; this only hides what would be refused). */
  #mayDownload(s) {
    return can('models.export') || (can('models.write') && (!s || canControl(s, 'models.write')));
  }

  #details(m, isBest) {
    const metrics = m.metrics || {};
    const evaluated = num(metrics[EVAL]) != null;
    return html`<section class="panel" aria-labelledby="md-h" data-testid="model-details">
      <div class="row"><h2 id="md-h" style="margin:0">Checkpoint at step ${fmtInt(m.step)}</h2>
        ${isBest ? html`<span class="badge best">best</span>` : nothing}<span style="flex:1"></span>
        <button class="small" @click=${() => { this.open = null; }}>Close</button></div>
      <div class="grid cols-2" style="margin-top:.6rem; align-items:start">
        <div>
          <dl class="kv"><dt>Id</dt><dd><code>${m.id}</code></dd><dt>Session</dt><dd><code>${m.session}</code></dd>
            <dt>Attempt</dt><dd>${m.attempt}</dd><dt>Size</dt><dd>${fmtBytes(m.sizeBytes)}</dd>
            <dt>SHA-256</dt><dd><code class="small">${m.sha256}</code></dd><dt>Saved</dt><dd>${fmtTime(m.createdAt)}</dd>
            <dt>Reward</dt><dd>${fmtNum(metrics.episode_reward_mean)}</dd></dl>
          ${m.gate && m.gate.state !== 'none' ? html`<h3 style="margin-top:.8rem">Gate</h3>
          <dl class="kv" data-testid="model-gate"><dt>State</dt><dd>${(GATE_LABELS[m.gate.state] || [m.gate.state])[0]}${m.best
            ? ' (its session\'s best)' : ''}</dd>
            ${m.gate.against ? html`<dt>Against</dt><dd><code>${m.gate.against}</code></dd>` : nothing}
            ${gateScore(m.gate) ? html`<dt>Score</dt><dd>${gateScore(m.gate)}</dd>` : nothing}
            ${m.gate.evaluation ? html`<dt>Evaluation</dt><dd><a href="/models/evaluations/${encodeURIComponent(m.gate.evaluation)}"><code>${m.gate.evaluation}</code></a></dd>` : nothing}
            ${m.gate.reason ? html`<dt>Why</dt><dd>${m.gate.reason}</dd>` : nothing}
            ${m.gate.decidedAt ? html`<dt>Decided</dt><dd>${fmtTime(m.gate.decidedAt)}</dd>` : nothing}</dl>` : nothing}
          <h3 style="margin-top:.8rem">Evaluation</h3>
          ${evaluated ? html`<dl class="kv" data-testid="model-eval">
            <dt>Win rate vs random</dt><dd>${fmtPct(metrics[EVAL], 1)}</dd>
            <dt>Draw rate</dt><dd>${fmtPct(metrics[EVAL_DRAWS], 1)}</dd>
            <dt>Games</dt><dd>${fmtInt(metrics[EVAL_GAMES])}</dd>
            <dt>Evaluated at step</dt><dd>${fmtInt(metrics[EVAL_STEP])}</dd></dl>`
            : html`<p class="muted small">Not evaluated before this checkpoint was saved.</p>`}
        </div>
        <div><h3>Architecture</h3><pre class="log">${JSON.stringify(m.architecture, null, 2)}</pre>
          <h3 style="margin-top:.6rem">Metrics at save</h3><pre class="log">${JSON.stringify(m.metrics, null, 2)}</pre></div>
      </div></section>`;
  }

  #linkNotice(l) {
    return html`<div class="notice" role="status" data-testid="download-link-notice">
      <div class="row">
        <span>Download link for the checkpoint at step ${fmtInt(l.step)}, no sign-in needed until ${fmtTime(l.expiresAt)}:</span>
        <a data-testid="download-link" href=${l.url} download>${l.url.length > 80 ? `${l.url.slice(0, 77)}…` : l.url}</a>
        <span class="spacer" style="flex:1"></span>
        ${this.copied ? html`<span class="small muted" data-testid="copied">${this.copied}</span>` : nothing}
        <button class="small" @click=${() => { this.link = null; this.copied = ''; }}>Dismiss</button>
      </div></div>`;
  }

  /** A new signed link (a link of the gateway's own origin: it may sit behind a proxy that renames its host). */
  async #signedLink(m) {
    const l = await api(`/models/${encodeURIComponent(m.id)}/download-url`, {method: 'POST'});
    const u = new URL(l.url, location.href);
    this.link = {model: m.id, step: m.step, url: location.origin + u.pathname + u.search, expiresAt: l.expiresAt};
    return this.link;
  }

  async #download(m) {
    this.busy = m.id;
    try {
      const l = await this.#signedLink(m);
      this.copied = '';
      // The browser downloads the plain link itself: streamed to disk, no token in the request.
      const a = document.createElement('a');
      a.href = l.url;
      a.download = `${m.session}-step${m.step}.kshogi`;
      document.body.append(a);
      a.click();
      a.remove();
    } catch (e) {
      this.error = e.message;
    } finally {
      this.busy = null;
    }
  }

  async #copyLink(m) {
    this.busy = m.id;
    try {
      const l = await this.#signedLink(m);
      try {
        await navigator.clipboard.writeText(l.url);
        this.copied = 'Copied to the clipboard.';
      } catch {
        this.copied = 'Copy the link above (the browser did not allow the clipboard).';
      }
    } catch (e) {
      this.error = e.message;
    } finally {
      this.busy = null;
    }
  }

  async #fork(m) {
    this.busy = m.id;
    try {
      const s = await api(`/models/${encodeURIComponent(m.id)}/fork`, {method: 'POST', body: {}});
      navigate(`/sessions/${encodeURIComponent(s.id)}`);
    } catch (e) {
      this.error = e.message;
    } finally {
      this.busy = null;
    }
  }

  async #delete(m) {
    if (!await confirmAction({title: `Delete the checkpoint at step ${fmtInt(m.step)}?`, key: 'delete', confirmLabel: 'Delete',
      body: 'The checkpoint file and its record are deleted. This cannot be undone.'})) return;
    this.busy = m.id;
    try {
      await api(`/models/${encodeURIComponent(m.id)}`, {method: 'DELETE'});
      if (this.open?.id === m.id) this.open = null;
      if (this.link?.model === m.id) this.link = null;
      await this.#load();
    } catch (e) {
      this.error = e.message;
    } finally {
      this.busy = null;
    }
  }
}
customElements.define('models-page', ModelsPage);
