// Models: checkpoints per session with their metadata; download, delete, resume from here (fork).
import {html, nothing} from 'lit';
import {KElement, markRendered} from '../base.js';
import {api, can, canControl, download} from '../api.js';
import {navigate, setQuery} from '../nav.js';
import {fmtInt, fmtNum, fmtPct, fmtBytes, fmtAgo, fmtTime} from '../format.js';

class ModelsPage extends KElement {
  static properties = {
    query: {attribute: false}, sessions: {state: true}, session: {state: true}, models: {state: true},
    total: {state: true}, error: {state: true}, busy: {state: true}, open: {state: true},
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
  }

  connectedCallback() {
    super.connectedCallback();
    this.session = this.query?.get('session') || '';
    api('/sessions?size=200').then((p) => { this.sessions = p.items; }).catch(() => {});
    this.#load();
  }

  async #load() {
    try {
      const q = this.session ? `session=${encodeURIComponent(this.session)}&` : '';
      const page = await api(`/models?${q}size=100`);
      this.models = page.items;
      this.total = page.total;
      this.error = '';
    } catch (e) {
      this.error = e.message;
      this.models ??= [];
    }
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
    return html`
      <div class="page-head">
        <h1>Models</h1>
        <span class="muted">${this.models ? `${this.total} checkpoint${this.total === 1 ? '' : 's'}` : ''}</span>
        <span class="spacer"></span>
        <label class="row small" for="m-session">Session</label>
        <select id="m-session" @change=${(e) => { this.session = e.target.value; setQuery({session: this.session}); this.#load(); }}>
          <option value="">all sessions</option>
          ${this.sessions.map((s) => html`<option value=${s.id} ?selected=${s.id === this.session}>${s.name}</option>`)}
        </select>
      </div>
      ${this.error ? html`<div class="notice error" role="alert">${this.error}</div>` : nothing}
      <section class="panel">
        ${this.models == null ? html`<div class="empty">Loading…</div>` : this.models.length === 0 ? html`<div class="empty">No checkpoints yet.</div>` : html`
        <div class="table-wrap"><table data-testid="models">
          <thead><tr><th scope="col">Session</th><th scope="col" class="num">Step</th><th scope="col" class="num">Attempt</th>
            <th scope="col" class="num">Reward</th><th scope="col" class="num">Eval win rate</th><th scope="col">Model</th>
            <th scope="col" class="num">Size</th><th scope="col">SHA-256</th><th scope="col">Saved</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>${this.models.map((m) => this.#row(m))}</tbody></table></div>`}
      </section>
      ${this.open ? this.#details(this.open) : nothing}`;
  }

  #row(m) {
    const s = this.#sessionOf(m.session);
    const arch = m.architecture || {};
    const metrics = m.metrics || {};
    return html`<tr data-model=${m.id}>
      <td>${s ? html`<a href="/sessions/${encodeURIComponent(s.id)}">${s.name}</a>` : html`<code>${String(m.session).slice(0, 8)}</code>`}</td>
      <td class="num">${fmtInt(m.step)}</td><td class="num">${m.attempt}</td>
      <td class="num">${fmtNum(metrics.episode_reward_mean)}</td>
      <td class="num">${fmtPct(metrics['eval/win_rate_vs_random'], 0)}</td>
      <td class="small">${arch.tower_width ? `${arch.tower_width}×${arch.tower_depth}` : '–'}</td>
      <td class="num">${fmtBytes(m.sizeBytes)}</td>
      <td><code class="small" title=${m.sha256}>${String(m.sha256 || '').slice(0, 12)}</code></td>
      <td title=${fmtTime(m.createdAt)}>${fmtAgo(m.createdAt)}</td>
      <td><div class="row">
        <button class="small" @click=${() => { this.open = m; }} aria-label="Details of the checkpoint at step ${m.step}">Details</button>
        ${can('models.export') || can('models.write') ? html`<button class="small" ?disabled=${this.busy === m.id}
          @click=${() => this.#download(m)}>Download</button>` : nothing}
        ${can('training.start') ? html`<button class="small" ?disabled=${this.busy === m.id} @click=${() => this.#fork(m)}
          title="A new session that starts from this checkpoint with the same config">Resume from here</button>` : nothing}
        ${can('models.delete') || (s && canControl(s, 'models.delete')) ? html`<button class="small danger" ?disabled=${this.busy === m.id}
          @click=${() => this.#delete(m)}>Delete</button>` : nothing}
      </div></td></tr>`;
  }

  #details(m) {
    return html`<section class="panel" aria-labelledby="md-h">
      <div class="row"><h2 id="md-h" style="margin:0">Checkpoint at step ${fmtInt(m.step)}</h2><span style="flex:1"></span>
        <button class="small" @click=${() => { this.open = null; }}>Close</button></div>
      <div class="grid cols-2" style="margin-top:.6rem">
        <dl class="kv"><dt>Id</dt><dd><code>${m.id}</code></dd><dt>Session</dt><dd><code>${m.session}</code></dd>
          <dt>Attempt</dt><dd>${m.attempt}</dd><dt>Size</dt><dd>${fmtBytes(m.sizeBytes)}</dd>
          <dt>SHA-256</dt><dd><code class="small">${m.sha256}</code></dd><dt>Saved</dt><dd>${fmtTime(m.createdAt)}</dd></dl>
        <div><h3>Architecture</h3><pre class="log">${JSON.stringify(m.architecture, null, 2)}</pre>
          <h3 style="margin-top:.6rem">Metrics at save</h3><pre class="log">${JSON.stringify(m.metrics, null, 2)}</pre></div>
      </div></section>`;
  }

  async #download(m) {
    this.busy = m.id;
    try {
      await download(`/models/${encodeURIComponent(m.id)}/download`, `${m.session}-step${m.step}.kshogi`);
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
    if (!confirm(`Delete the checkpoint at step ${m.step}?`)) return;
    this.busy = m.id;
    try {
      await api(`/models/${encodeURIComponent(m.id)}`, {method: 'DELETE'});
      if (this.open?.id === m.id) this.open = null;
      await this.#load();
    } catch (e) {
      this.error = e.message;
    } finally {
      this.busy = null;
    }
  }
}
customElements.define('models-page', ModelsPage);
