// <metric-chart>: a uPlot line chart of one or more metrics over training steps.
// - history (raw points, or buckets drawn as the last value with a min/max band, so spikes stay visible)
// - live points appended at most once per animation frame (one setData per frame, however many arrive)
// - drag to zoom: emits 'zoom' {from, to} so the page fetches finer history; double-click or 'reset' zooms out
// - attempt markers: dashed vertical lines where a resumed attempt starts
import {html} from 'lit';
import uPlot from 'uplot';
import {KElement} from './base.js';
import {fmtNum} from './format.js';

const PALETTE = ['--c1', '--c2', '--c3', '--c4', '--c5', '--c6'];
const DARK = matchMedia('(prefers-color-scheme: dark)');

export function fmtStep(v) {
  if (v == null) return '';
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toFixed(2)}M`;
  if (a >= 1e3) return `${+(v / 1e3).toFixed(1)}k`;
  return String(Math.round(v));
}

function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

function alpha(color, a) {
  const m = /^#([0-9a-f]{6})$/i.exec(color);
  if (!m) return color;
  const n = parseInt(m[1], 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
}

/** Width of the y axis: enough for its longest label (uPlot asks again when the labels change). */
function axisSize(u, values) {
  if (!values) return 40;
  const longest = values.reduce((n, v) => Math.max(n, String(v).length), 0);
  return Math.max(40, Math.ceil(longest * 7.2) + 24);
}

export class MetricChart extends KElement {
  static properties = {
    heading: {type: String},
    metrics: {attribute: false},   // [{name, label}]
    height: {type: Number},
    unit: {type: String},
    timeAxis: {type: Boolean, attribute: 'time-axis'},
    window: {type: Number},        // keep at most this many points (0: all)
    yRange: {attribute: false},    // fixed [min, max] of the y axis (percentages, rates); auto when absent
  };

  constructor() {
    super();
    this.heading = '';
    this.metrics = [];
    this.height = 170;
    this.unit = '';
    this.timeAxis = false;
    this.window = 0;
    this.yRange = null;
    this.x = [];
    this.cols = [];          // per metric: {last: [], min: [], max: []}
    this.markers = [];       // [{step, label}]
    this.zoomed = null;      // {from, to} while zoomed in
    this.resolution = '';
    this.u = null;
    this._raf = 0;
    this._dirty = false;
    this._resetScale = true;
    this._onTheme = () => this.#rebuild();
  }

  connectedCallback() {
    super.connectedCallback();
    DARK.addEventListener('change', this._onTheme);
    if (this.hasUpdated && !this.u) this.#create();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    DARK.removeEventListener('change', this._onTheme);
    cancelAnimationFrame(this._raf);
    this._raf = 0;
    this._ro?.disconnect();
    this.u?.destroy();
    this.u = null;
  }

  willUpdate(changed) {
    if (changed.has('metrics')) {
      this.dataset.metricNames = this.metrics.map((m) => m.name).join(',');
      this.cols = this.metrics.map(() => ({last: [], min: [], max: []}));
      this.x = [];
      if (this.u) this.#rebuild();
    }
  }

  render() {
    return html`
      <div class="chart" data-metric=${this.metrics.map((m) => m.name).join(',')}>
        <div class="chart-head">
          <h3>${this.heading}</h3>
          <span class="legend">${this.metrics.map((m, i) => html`<span><i style="background:var(${PALETTE[i % PALETTE.length]})"></i>${
            this.metrics.length > 1 ? `${m.label} ` : ''}<b class="lv" data-i=${i}>–</b></span>`)}</span>
        </div>
        <div class="chart-body" style="height:${this.height}px" role="img"
             aria-label="${this.heading} over ${this.timeAxis ? 'time' : 'training steps'}. Drag to zoom, double-click to zoom out.">
          <span class="res"></span>
        </div>
      </div>`;
  }

  firstUpdated() {
    this.#create();
  }

  /** Number of points (or buckets) held. */
  get size() {
    return this.x.length;
  }

  /**
   * Replaces the data with a history answer: `series` as metrics-service returns them
   * ({metric, resolution, points: [[step, v]], buckets: [[start, end, min, max, last, count]]}).
   * `range` ({from, to}) keeps the chart zoomed to that step range; without it the chart shows everything.
   */
  setHistory(series, range) {
    const byName = new Map((series || []).map((s) => [s.metric, s]));
    const rows = new Map();
    let resolution = 'raw';
    this.metrics.forEach((m, i) => {
      const s = byName.get(m.name);
      if (!s) return;
      if (s.resolution === 'buckets' && s.buckets) {
        resolution = `buckets of ${fmtStep(s.bucketSteps)} steps`;
        for (const b of s.buckets) {
          const row = rows.get(b[1]) || rows.set(b[1], new Array(this.metrics.length * 3).fill(null)).get(b[1]);
          row[i * 3] = b[4];
          row[i * 3 + 1] = b[2];
          row[i * 3 + 2] = b[3];
        }
      } else {
        for (const p of s.points || []) {
          const row = rows.get(p[0]) || rows.set(p[0], new Array(this.metrics.length * 3).fill(null)).get(p[0]);
          row[i * 3] = p[1];
        }
      }
    });
    const steps = [...rows.keys()].sort((a, b) => a - b);
    this.x = steps;
    this.cols = this.metrics.map((_, i) => ({
      last: steps.map((s) => rows.get(s)[i * 3]),
      min: steps.map((s) => rows.get(s)[i * 3 + 1]),
      max: steps.map((s) => rows.get(s)[i * 3 + 2]),
    }));
    this.resolution = steps.length ? resolution : '';
    this.zoomed = range && range.from != null ? {from: range.from, to: range.to} : null;
    this._resetScale = true;
    this.#schedule();
  }

  /** Appends a live point at `step` from a map of metric name → value; a step at or below the last one supersedes what follows it. */
  append(step, values) {
    if (step == null || !values) return false;
    const idx = this.metrics.map((m) => values[m.name]);
    if (idx.every((v) => v == null || typeof v !== 'number')) return false;
    const n = this.x.length;
    if (n > 0 && step <= this.x[n - 1]) {
      // A resumed attempt restarts from its checkpoint's step: later points are superseded.
      let cut = n;
      while (cut > 0 && this.x[cut - 1] >= step) cut--;
      this.x.length = cut;
      for (const c of this.cols) { c.last.length = cut; c.min.length = cut; c.max.length = cut; }
    }
    this.x.push(step);
    this.cols.forEach((c, i) => {
      c.last.push(typeof idx[i] === 'number' ? idx[i] : null);
      c.min.push(null);
      c.max.push(null);
    });
    if (this.window > 0 && this.x.length > this.window) {
      const drop = this.x.length - this.window;
      this.x.splice(0, drop);
      for (const c of this.cols) { c.last.splice(0, drop); c.min.splice(0, drop); c.max.splice(0, drop); }
    }
    if (!this.zoomed) this._resetScale = true;
    this.#schedule();
    return true;
  }

  /** Attempt boundaries: [{step, label}]. */
  setMarkers(markers) {
    this.markers = markers || [];
    if (this.u) this.u.redraw(false, false);
  }

  /** Zooms back out (the page refetches the whole history on the 'reset' event). */
  resetZoom() {
    this.zoomed = null;
    this._resetScale = true;
    this.dispatchEvent(new CustomEvent('reset', {bubbles: true, composed: true}));
    this.#schedule();
  }

  /** Applies pending data now (one setData; uPlot redraws in a microtask). Normally called once per animation frame. */
  flush() {
    this._raf = 0;
    if (!this.u || !this._dirty) return;
    this._dirty = false;
    const data = [this.x];
    for (const c of this.cols) data.push(c.last, c.min, c.max);
    this.u.setData(data, this._resetScale && !this.zoomed);
    if (this.zoomed && this._resetScale) this.u.setScale('x', {min: this.zoomed.from, max: this.zoomed.to});
    this._resetScale = false;
    this.dataset.points = String(this.x.length);
    this.dataset.lastStep = String(this.x.length ? this.x[this.x.length - 1] : '');
    this.#legend(null);
    const res = this.querySelector('.res');
    if (res) res.textContent = this.zoomed ? `zoomed · ${this.resolution}` : this.resolution;
  }

  #schedule() {
    this._dirty = true;
    if (!this._raf && this.u) this._raf = requestAnimationFrame(() => this.flush());
  }

  #legend(idx) {
    const els = this.querySelectorAll('.lv');
    this.cols.forEach((c, i) => {
      let v = null;
      if (idx != null) v = c.last[idx];
      else for (let k = c.last.length - 1; k >= 0 && v == null; k--) v = c.last[k];
      if (els[i]) els[i].textContent = fmtNum(v, 3) + (this.unit && v != null ? ` ${this.unit}` : '');
    });
  }

  #rebuild() {
    if (!this.hasUpdated) return;
    this.u?.destroy();
    this.u = null;
    this.#create();
  }

  #create() {
    const body = this.querySelector('.chart-body');
    if (!body || this.u) return;
    const muted = cssVar('--muted');
    const grid = cssVar('--grid');
    const fmtX = this.timeAxis ? (v) => new Date(v * 1000).toLocaleTimeString() : fmtStep;
    const xAxis = {stroke: muted, grid: {stroke: grid, width: 1}, ticks: {stroke: grid, width: 1}, size: 30};
    if (!this.timeAxis) xAxis.values = (u, vals) => vals.map(fmtX);
    const series = [{label: this.timeAxis ? 'time' : 'step', value: (u, v) => fmtX(v)}];
    const bands = [];
    this.metrics.forEach((m, i) => {
      const color = cssVar(PALETTE[i % PALETTE.length]);
      series.push({label: m.label || m.name, stroke: color, width: 1.5, spanGaps: true,
        points: {show: (u) => u.data[0].length <= 40, size: 5, fill: color}});
      series.push({label: `${m.label} min`, stroke: 'transparent', width: 0, spanGaps: true, points: {show: false}});
      series.push({label: `${m.label} max`, stroke: 'transparent', width: 0, spanGaps: true, points: {show: false}});
      bands.push({series: [3 + i * 3, 2 + i * 3], fill: alpha(color, 0.22)});
    });
    const chart = this;
    const opts = {
      width: Math.max(200, body.clientWidth || 400),
      height: this.height,
      legend: {show: false},
      cursor: {drag: {x: true, y: false, setScale: false}, sync: {key: 'keisei-steps'}, points: {size: 6}},
      scales: {x: {time: this.timeAxis}, y: this.yRange ? {range: this.yRange} : {}},
      axes: [
        xAxis,
        {stroke: muted, grid: {stroke: grid, width: 1}, ticks: {stroke: grid, width: 1}, values: (u, vals) => vals.map((v) => fmtNum(v)), size: axisSize},
      ],
      series,
      bands,
      hooks: {
        setSelect: [(u) => {
          if (u.select.width < 4) return;
          const from = Math.floor(u.posToVal(u.select.left, 'x'));
          const to = Math.ceil(u.posToVal(u.select.left + u.select.width, 'x'));
          u.setSelect({left: 0, width: 0, top: 0, height: 0}, false);
          chart.zoomed = {from, to};
          u.setScale('x', {min: from, max: to});
          chart.dispatchEvent(new CustomEvent('zoom', {detail: {from, to}, bubbles: true, composed: true}));
        }],
        setCursor: [(u) => chart.#legend(u.cursor.idx)],
        draw: [(u) => {
          chart.#drawMarkers(u, muted);
          chart.drawnAt = performance.now();   // when the canvas was last drawn (read by the browser benchmark)
        }],
      },
    };
    const data = [this.x];
    for (const c of this.cols) data.push(c.last, c.min, c.max);
    this.u = new uPlot(opts, data, body);
    this.u.over.addEventListener('dblclick', () => this.resetZoom());
    this._ro?.disconnect();
    this._ro = new ResizeObserver(() => {
      const w = body.clientWidth;
      if (this.u && w > 0 && Math.abs(w - this.u.width) > 1) this.u.setSize({width: w, height: this.height});
    });
    this._ro.observe(body);
    if (this._dirty) this.#schedule();
    else this.#legend(null);
  }

  #drawMarkers(u, color) {
    if (!this.markers.length) return;
    const {ctx} = u;
    const {left, top, width, height} = u.bbox;
    ctx.save();
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = devicePixelRatio;
    ctx.setLineDash([4 * devicePixelRatio, 4 * devicePixelRatio]);
    ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
    for (const m of this.markers) {
      const x = Math.round(u.valToPos(m.step, 'x', true));
      if (x < left || x > left + width) continue;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      ctx.fillText(m.label, x + 3 * devicePixelRatio, top + 11 * devicePixelRatio);
    }
    ctx.restore();
  }
}
customElements.define('metric-chart', MetricChart);
