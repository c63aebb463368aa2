// Resources: pools (capacity, used, free), allocations, the queue with reasons, live system charts (this host), or in
// cluster mode each pool's nodes with their latest sample (CPU, memory, GPUs in use).
import {html, nothing} from 'lit';
import {KElement, markRendered} from '../base.js';
import {api} from '../api.js';
import {live} from '../live.js';
import {fmtCpu, fmtMb, fmtAgo, fmtTime} from '../format.js';
import {progressBar} from '../widgets.js';
import '../chart.js';

const CPU = [{name: 'cpu', label: 'CPU %'}];
const MEM = [{name: 'mem', label: 'memory %'}];
const WINDOW = 300;
const PERCENT = [0, 100];

class ResourcesPage extends KElement {
  static properties = {
    pools: {state: true}, allocations: {state: true}, system: {state: true}, sessions: {state: true}, error: {state: true},
  };

  constructor() {
    super();
    this.pools = null;
    this.allocations = null;
    this.system = null;
    /** The latest sample of each cluster node, by node name (cluster samples carry their pool). */
    this.nodeStatus = new Map();
    this._nodeRender = null;
    this.sessions = new Map();
    this.error = '';
    this._unsub = [];
    this._gpuKey = '';
    this._loading = null;
    this._again = false;
  }

  connectedCallback() {
    super.connectedCallback();
    this.#reload();
    api('/system/status').then((s) => this.#onSample(s)).catch(() => {});
    api('/system/nodes').then((all) => all.filter((s) => s.pool != null).forEach((s) => this.#onSample(s))).catch(() => {});
    api('/sessions?size=200').then((p) => { this.sessions = new Map(p.items.map((s) => [s.id, s])); }).catch(() => {});
    this._unsub.push(live.subscribe('system', (m) => { if (m.type === 'system_status') this.#onSample(m.data); }));
    this._unsub.push(live.subscribe('sessions', (m) => {
      // An allocation event describes one allocation; pool use, owners and the others' queue places are read anew.
      if (m.type === 'allocation_event' || m.type === 'resync') this.#reload();
    }));
    // Without the live hub (reconnecting), the page keeps itself current over REST.
    this._poll = setInterval(() => { if (live.state !== 'open') this.#reload(); }, 5000);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this._unsub.forEach((u) => u());
    this._unsub = [];
    clearInterval(this._poll);
    clearTimeout(this._nodeRender);
    this._nodeRender = null;
  }

  /** Reads pools and allocations; a request while a read runs makes one more read after it (events come in bursts). */
  #reload() {
    if (this._loading) {
      this._again = true;
      return;
    }
    this._loading = this.#load().finally(() => {
      this._loading = null;
      if (this._again) {
        this._again = false;
        this.#reload();
      }
    });
  }

  async #load() {
    const [resources, allocations] = await Promise.allSettled([api('/resources'), api('/resources/allocations')]);
    if (resources.status === 'fulfilled') {
      this.pools = resources.value.pools;
      this.error = '';
    } else {
      this.error = resources.reason.message;
      this.pools ??= [];
    }
    if (allocations.status === 'fulfilled') {
      this.allocations = allocations.value;
    } else {
      this.allocations ??= [];
    }
  }

  /** A cluster node's sample updates its row; this host's feeds the charts. */
  #onSample(s) {
    if (!s) return;
    if (s.pool == null) {
      this.#sample(s);
      return;
    }
    this.nodeStatus.set(s.node, s);
    // Every node reports each second: one render for a burst of them.
    this._nodeRender ??= setTimeout(() => { this._nodeRender = null; this.requestUpdate(); }, 250);
  }

  /** Cluster mode: the pools are a cluster's (the host charts would show resource-service's own pod). */
  get #cluster() {
    return this.nodeStatus.size > 0 || (this.pools || []).some((p) => p.kind === 'kubernetes');
  }

  #sample(s) {
    if (!s) return;
    this.system = s;
    const t = Math.round((s.time || Date.now()) / 1000);
    this.querySelector('metric-chart[data-kind="cpu"]')?.append(t, {cpu: s.cpuPercent});
    this.querySelector('metric-chart[data-kind="mem"]')?.append(t, {mem: s.memoryTotalMb ? (100 * s.memoryUsedMb) / s.memoryTotalMb : null});
    const gpuChart = this.querySelector('metric-chart[data-kind="gpu"]');
    if (gpuChart) {
      const values = {};
      for (const g of s.gpus || []) values[`gpu${g.index}`] = g.utilizationPercent;
      gpuChart.append(t, values);
    }
  }

  /** GPU series, recomputed only when the set of GPUs changes (a new array resets the chart). */
  get #gpuSeries() {
    const gpus = this.system?.gpus || [];
    const key = gpus.map((g) => g.index).join(',');
    if (key !== this._gpuKey || !this._gpuSeries) {
      this._gpuKey = key;
      this._gpuSeries = gpus.map((g) => ({name: `gpu${g.index}`, label: `GPU ${g.index}`}));
    }
    return this._gpuSeries;
  }


  updated() {
    if (!this._marked && this.pools != null) {
      this._marked = true;
      markRendered('resources');
    }
  }
  render() {
    const allocs = this.allocations || [];
    const granted = allocs.filter((a) => a.state === 'granted');
    const queued = allocs.filter((a) => a.state === 'queued')
      .sort((a, b) => (a.queuePosition ?? 1e9) - (b.queuePosition ?? 1e9));
    return html`
      <div class="page-head"><h1>Resources</h1><span class="muted">${this.#cluster ? `${this.nodeStatus.size} node${this.nodeStatus.size === 1 ? '' : 's'} reporting`
        : this.system ? `Node ${this.system.node}` : ''}</span></div>
      ${this.error ? html`<div class="notice error" role="alert">${this.error}</div>` : nothing}
      ${this.#cluster ? nothing : html`<div class="grid cols-3">
        <section class="panel" aria-labelledby="now-h"><h2 id="now-h">Now</h2><system-meters .status=${this.system}></system-meters></section>
        <metric-chart data-kind="cpu" heading="CPU" .metrics=${CPU} time-axis .window=${WINDOW} unit="%" .yRange=${PERCENT} .height=${150}></metric-chart>
        <metric-chart data-kind="mem" heading="Memory" .metrics=${MEM} time-axis .window=${WINDOW} unit="%" .yRange=${PERCENT} .height=${150}></metric-chart>
      </div>
      ${this.#gpuSeries.length ? html`<div style="margin-top:1rem"><metric-chart data-kind="gpu" heading="GPU utilisation (%)"
          .metrics=${this.#gpuSeries} time-axis .window=${WINDOW} .yRange=${PERCENT} .height=${150}></metric-chart></div>` : nothing}`}
      <section class="panel" aria-labelledby="pools-h" style="margin-top:1rem"><h2 id="pools-h">Pools</h2>
        ${this.pools == null ? html`<p class="muted">Loading…</p>` : this.pools.length === 0 ? html`<p class="muted">No pools registered.</p>` : html`
        <div class="table-wrap"><table data-testid="pools"><thead><tr><th scope="col">Pool</th><th scope="col">Kind</th>
          <th scope="col">CPU (used / capacity)</th><th scope="col">Memory (used / capacity)</th><th scope="col">GPUs (used / capacity)</th></tr></thead>
          <tbody>${this.pools.map((p) => html`<tr data-pool=${p.name}><td><strong>${p.name}</strong></td>
            <td>${p.kind || '–'}</td>
            <td>${this.#usage(p.used.cpuMillis, p.capacity.cpuMillis, fmtCpu, 'CPU')}</td>
            <td>${this.#usage(p.used.memoryMb, p.capacity.memoryMb, fmtMb, 'memory')}</td>
            <td>${this.#usage(p.used.gpus, p.capacity.gpus, String, 'GPUs')}</td></tr>`)}</tbody></table></div>`}
      </section>
      ${(this.pools || []).filter((p) => p.nodes?.length).map((p) => html`
      <section class="panel" aria-labelledby=${`nodes-${p.name}-h`} style="margin-top:1rem" data-testid="pool-nodes" data-pool=${p.name}>
        <h2 id=${`nodes-${p.name}-h`}>Nodes of ${p.name} <span class="muted small">(${p.nodes.filter((n) => !n.excluded).length} of ${p.nodes.length} take trainers)</span></h2>
        <div class="table-wrap"><table><thead><tr><th scope="col">Node</th><th scope="col">In use now</th><th scope="col">GPU</th>
          <th scope="col">GPUs free / all</th><th scope="col">CPU free / all</th><th scope="col">Memory free / all</th>
          <th scope="col">Other workloads</th><th scope="col">Ours</th><th scope="col">Takes trainers</th></tr></thead>
          <tbody>${p.nodes.map((n) => html`<tr data-node=${n.name} class=${n.excluded ? 'muted' : ''}><td><strong>${n.name}</strong></td>
            <td class="progress-cell" data-testid="node-now">${this.nodeStatus.has(n.name) ? html`<system-meters compact .status=${this.nodeStatus.get(n.name)}></system-meters>`
              : html`<span class="muted small">${n.excluded ? 'not sampled' : 'no sample yet'}</span>`}</td>
            <td class="small">${n.gpuProduct || '–'}</td>
            <td>${n.free.gpus} / ${n.allocatable.gpus}</td>
            <td>${fmtCpu(n.free.cpuMillis)} / ${fmtCpu(n.allocatable.cpuMillis)}</td>
            <td>${fmtMb(n.free.memoryMb)} / ${fmtMb(n.allocatable.memoryMb)}</td>
            <td class="small">${n.usedByOthers.gpus ? `${n.usedByOthers.gpus} GPU · ` : ''}${fmtCpu(n.usedByOthers.cpuMillis)}</td>
            <td class="small">${n.granted ? `${n.granted} allocation${n.granted === 1 ? '' : 's'}` : '–'}</td>
            <td>${n.excluded ? html`<span title=${n.excluded}>no: ${n.excluded}</span>` : 'yes'}</td></tr>`)}</tbody></table></div>
      </section>`)}
      <div class="grid cols-2" style="margin-top:1rem">
        <section class="panel" aria-labelledby="alloc-h"><h2 id="alloc-h">Allocations <span class="muted small">(${granted.length} granted)</span></h2>
          ${granted.length === 0 ? html`<p class="muted">Nothing allocated.</p>` : html`<div class="table-wrap"><table data-testid="allocations">
            <thead><tr><th scope="col">Session</th><th scope="col">Owner</th><th scope="col">Holds</th><th scope="col">Since</th></tr></thead>
            <tbody>${granted.map((a) => html`<tr><td>${this.#sessionLink(a.session)}</td><td>${a.owner || '–'}</td>
              <td class="small">${fmtCpu(a.cpuMillis)} · ${fmtMb(a.memoryMb)}${a.gpuIndices.length ? ` · GPU ${a.gpuIndices.join(', ')}` : ''}${a.node ? ` · on ${a.node}` : ''}</td>
              <td title=${fmtTime(a.grantedAt)}>${fmtAgo(a.grantedAt)}</td></tr>`)}</tbody></table></div>`}
        </section>
        <section class="panel" aria-labelledby="queue-h"><h2 id="queue-h">Queue <span class="muted small">(${queued.length} waiting)</span></h2>
          ${queued.length === 0 ? html`<p class="muted">Nobody is waiting.</p>` : html`<div class="table-wrap"><table data-testid="queue">
            <thead><tr><th scope="col" class="num">#</th><th scope="col">Session</th><th scope="col">Priority</th><th scope="col">Needs</th><th scope="col">Why it waits</th></tr></thead>
            <tbody>${queued.map((a) => html`<tr><td class="num">${a.queuePosition ?? '–'}</td><td>${this.#sessionLink(a.session)}
              <div class="muted small">${a.owner || ''} · ${fmtAgo(a.createdAt)}</div></td><td>${a.priority ?? 0}</td>
              <td class="small">${fmtCpu(a.cpuMillis)} · ${fmtMb(a.memoryMb)}${a.gpus ? ` · ${a.gpus} GPU${a.gpus === 1 ? '' : 's'}` : ''}</td>
              <td class="small"><div class="reason">${a.reason || '–'}</div></td></tr>`)}</tbody></table></div>`}
        </section>
      </div>`;
  }

  #usage(used, capacity, fmt, what) {
    return html`${progressBar(capacity ? used / capacity : 0, `${what} in use`)}<span class="small mono">${fmt(used)} / ${fmt(capacity)}</span>`;
  }

  #sessionLink(id) {
    const s = this.sessions.get(id);
    return html`<a href="/sessions/${encodeURIComponent(id)}">${s ? s.name : String(id).slice(0, 8)}</a>`;
  }
}
customElements.define('resources-page', ResourcesPage);
