// <metric-chart>: a uPlot line chart of one or more series (the metrics of a run, or one metric of several runs).
// - each series keeps its own points: a run that reports a lower step never cuts another run's history; the x axis
//   is the union of the series' steps (uPlot.join)
// - history (raw points, or buckets drawn as the last value with a min/max band, so spikes stay visible)
// - live points appended at most once per animation frame (one setData per frame, however many arrive)
// - smoothing (TensorBoard's debiased EMA, raw line faint behind), log scale, x axis by step, wall-clock time or
//   time since the run started (through each run's StepClock)
// - drag to zoom: emits 'zoom' {from, to} in steps so the page fetches finer history; double-click or 'reset' zooms out
// - attempt markers: dashed vertical lines where a resumed attempt starts
import {html} from 'lit';
import uPlot from 'uplot';
import {KElement} from './base.js';
import {fmtNum, fmtInt} from './format.js';
import {lineColor, cssColor} from './colors.js';

const DARK = matchMedia('(prefers-color-scheme: dark)');
/** Columns per series in the data handed to uPlot: the drawn line, the raw line behind it, min and max. */
const COLS = 4;
export const X_MODES = {step: 'training step', wall: 'wall-clock time', relative: 'time since start'};

export function fmtStep(v) {
  if (v == null) return '';
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toFixed(2)}M`;
  if (a >= 1e3) return `${+(v / 1e3).toFixed(1)}k`;
  return String(Math.round(v));
}

/** A span of seconds on an axis: "45 s", "12 min", "3 h 20 min", "2 d 4 h". */
export function fmtSpan(seconds) {
  if (seconds == null || !Number.isFinite(seconds)) return '';
  const s = Math.round(seconds);
  if (Math.abs(s) < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (Math.abs(m) < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (Math.abs(h) < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** TensorBoard's smoothing: an exponential moving average, debiased so that the first points are not pulled to 0. */
export function ema(values, weight) {
  const out = new Array(values.length);
  let last = 0;
  let debias = 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v == null || !Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * weight + (1 - weight) * v;
    debias *= weight;
    out[i] = weight >= 1 ? last : last / (1 - debias);
  }
  return out;
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

function positiveOrNull(values) {
  return values.map((v) => (v != null && v > 0 ? v : null));
}

export class MetricChart extends KElement {
  static properties = {
    heading: {type: String},
    metrics: {attribute: false},   // [{name, label, color?}]: color is a CSS custom property (a run's colour)
    height: {type: Number},
    unit: {type: String},
    yLabel: {type: String, attribute: 'y-label'},
    timeAxis: {type: Boolean, attribute: 'time-axis'},   // x values are epoch seconds (system charts)
    window: {type: Number},        // keep at most this many points per series (0: all)
    yRange: {attribute: false},    // fixed [min, max] of the y axis (percentages, rates); auto when absent
    smoothing: {type: Number},     // EMA weight 0 (off) .. 0.99
    logScale: {type: Boolean, attribute: 'log-scale'},
    xMode: {type: String, attribute: 'x-mode'},   // a key of X_MODES
    clocks: {attribute: false},    // series name -> StepClock ('*': every series), for the time modes
    domain: {attribute: false},    // {min, max} steps the x axis spans at least (charts of one page line up)
    emptyText: {type: String, attribute: 'empty-text'},
    namedLegend: {type: Boolean, attribute: 'named-legend'},   // name every series in the legend, even a single one (runs)
    errorBars: {type: Boolean, attribute: 'error-bars'},   // draw each point's min..max as an error bar too (sparse points)
  };

  constructor() {
    super();
    this.heading = '';
    this.metrics = [];
    this.height = 170;
    this.unit = '';
    this.yLabel = '';
    this.timeAxis = false;
    this.window = 0;
    this.yRange = null;
    this.smoothing = 0;
    this.logScale = false;
    this.xMode = 'step';
    this.clocks = null;
    this.domain = null;
    this.emptyText = 'No points yet.';
    this.namedLegend = false;
    this.errorBars = false;
    this.series = [];        // per metric: {x: [], last: [], min: [], max: []}, x in steps
    this.markers = [];       // [{step, label}]
    this.zoomed = null;      // {from, to} in steps while zoomed in
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
      this.series = this.metrics.map(() => ({x: [], last: [], min: [], max: []}));
    }
  }

  updated(changed) {
    if (this._justCreated) {
      this._justCreated = false;   // firstUpdated built the chart with every property as it is now
      return;
    }
    if (!this.u) return;
    if (changed.has('metrics') || changed.has('logScale') || changed.has('xMode') || changed.has('yRange')) {
      this.#rebuild();
    } else if (changed.has('smoothing') || changed.has('clocks') || changed.has('domain')) {
      this._resetScale = !this.zoomed;
      this.#schedule();
    }
  }

  render() {
    return html`
      <div class="chart" data-metric=${this.metrics.map((m) => m.name).join(',')}>
        <div class="chart-head">
          <h3>${this.heading}</h3>
          <span class="at muted small" aria-live="off"></span>
          <span class="legend">${this.metrics.map((m, i) => html`<span><i style="background:var(${this.#colorVar(i)})"></i>${
            this.metrics.length > 1 || this.namedLegend ? `${m.label} ` : ''}<b class="lv" data-i=${i}>–</b></span>`)}</span>
          <button class="small chart-log" aria-pressed=${this.logScale ? 'true' : 'false'} title="Logarithmic y axis"
            @click=${() => this.#toggleLog()}>log</button>
        </div>
        <div class="chart-body" style="height:${this.height}px" role="img"
             aria-label="${this.heading} over ${this.timeAxis ? 'time' : X_MODES[this.xMode] || 'training steps'}. Drag to zoom, double-click to zoom out.">
          <span class="res"></span>
          <span class="chart-empty">${this.emptyText}</span>
        </div>
      </div>`;
  }

  firstUpdated() {
    this.#create();
    this._justCreated = true;
  }

  /** Number of distinct x positions held (the union over the series). */
  get size() {
    return this._size ?? 0;
  }

  /** The highest step any series holds, or null. */
  get lastStep() {
    let best = null;
    for (const s of this.series) if (s.x.length && (best == null || s.x[s.x.length - 1] > best)) best = s.x[s.x.length - 1];
    return best;
  }

  /** The lowest step any series holds, or null. */
  get firstStep() {
    let best = null;
    for (const s of this.series) if (s.x.length && (best == null || s.x[0] < best)) best = s.x[0];
    return best;
  }

  /**
   * Replaces the data with a history answer: `series` as metrics-service returns them
   * ({metric, resolution, points: [[step, v]], buckets: [[start, end, min, max, last, count]]}); a point
   * [step, v, low, high] is drawn with a band from low to high.
   * `range` ({from, to}) keeps the chart zoomed to that step range; without it the chart shows everything.
   */
  setHistory(series, range) {
    const byName = new Map((series || []).map((s) => [s.metric, s]));
    let resolution = 'raw';
    this.series = this.metrics.map((m) => {
      const s = byName.get(m.name);
      const out = {x: [], last: [], min: [], max: []};
      if (!s) return out;
      if (s.resolution === 'buckets' && s.buckets) {
        resolution = `buckets of ${fmtStep(s.bucketSteps)} steps`;
        for (const b of s.buckets) {
          out.x.push(b[1]);
          out.last.push(b[4]);
          out.min.push(b[2]);
          out.max.push(b[3]);
        }
      } else {
        // A point may carry a band of its own: [step, v, low, high] (a rating's interval).
        for (const p of s.points || []) {
          out.x.push(p[0]);
          out.last.push(p[1]);
          out.min.push(p[2] ?? null);
          out.max.push(p[3] ?? null);
        }
      }
      return out;
    });
    this.resolution = this.series.some((s) => s.x.length) ? resolution : '';
    this._bucketed = resolution !== 'raw';
    this.zoomed = range && range.from != null ? {from: range.from, to: range.to} : null;
    // How many history answers the chart has taken (tests wait for the first before sending live points).
    this.dataset.history = String(Number(this.dataset.history || 0) + 1);
    this._resetScale = true;
    this.#schedule();
  }

  /**
   * Appends a live point at `step` from a map of series name → value. Each series moves on its own: a step at or
   * below a series' last one supersedes what follows it in that series only (a resumed attempt restarts from its
   * checkpoint's step), and a series without a value in `values` is left as it is.
   */
  append(step, values) {
    if (step == null || !values) return false;
    let any = false;
    this.metrics.forEach((m, i) => {
      const v = values[m.name];
      if (typeof v !== 'number') return;
      const s = this.series[i];
      let n = s.x.length;
      if (n > 0 && step <= s.x[n - 1]) {
        while (n > 0 && s.x[n - 1] >= step) n--;
        s.x.length = s.last.length = s.min.length = s.max.length = n;
      }
      s.x.push(step);
      s.last.push(v);
      s.min.push(null);
      s.max.push(null);
      if (this.window > 0 && s.x.length > this.window) {
        const drop = s.x.length - this.window;
        for (const col of [s.x, s.last, s.min, s.max]) col.splice(0, drop);
      }
      any = true;
    });
    if (!any) return false;
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

  /** Zooms to a step range (another chart of the page was zoomed), without an event. */
  zoomTo(range) {
    this.zoomed = range ? {from: range.from, to: range.to} : null;
    if (this.u && range) this.u.setScale('x', {min: this.#xOfStep(range.from), max: this.#xOfStep(range.to)});
  }

  /** Applies pending data now (one setData; uPlot redraws in a microtask). Normally called once per animation frame. */
  flush() {
    this._raf = 0;
    if (!this.u || !this._dirty) return;
    this._dirty = false;
    const data = this.#data();
    this._size = data[0].length;
    this.#showRaw();
    this.u.setData(data, this._resetScale && !this.zoomed);
    if (this.zoomed && this._resetScale) this.u.setScale('x', {min: this.#xOfStep(this.zoomed.from), max: this.#xOfStep(this.zoomed.to)});
    this._resetScale = false;
    this.dataset.points = String(this._size);
    this.dataset.lastStep = String(this.lastStep ?? '');
    this.toggleAttribute('data-empty', this._size === 0);
    this.#legend(null);
    const res = this.querySelector('.res');
    if (res) res.textContent = this.zoomed ? `zoomed · ${this.resolution}` : this.resolution;
  }

  /**
   * The faint raw line behind a smoothed one. Over buckets the min/max band already shows the raw data, so the line
   * is left out there: one path fewer to draw on every update of a long run.
   */
  #showRaw() {
    const show = this.smoothing > 0 && !this._bucketed;
    this.metrics.forEach((_, i) => {
      const s = this.u.series[2 + i * COLS];
      if (s && s.show !== show) this.u.setSeries(2 + i * COLS, {show});
    });
  }

  /** The x position of a step of series `i` in the current mode (NaN when its run has no clock yet). */
  #xOf(i) {
    if (this.timeAxis || this.xMode === 'step' || !this.xMode) return null;
    const clock = this.clocks?.[this.metrics[i]?.name] ?? this.clocks?.['*'];
    if (!clock || clock.size === 0) return () => NaN;
    if (this.xMode === 'wall') return (step) => clock.timeOf(step) / 1000;
    const start = clock.start;
    return (step) => (clock.timeOf(step) - start) / 1000;
  }

  /** A step as an x position (zoom ranges are kept in steps; in the time modes through the first series' clock). */
  #xOfStep(step) {
    const f = this.#xOf(0);
    return f ? f(step) : step;
  }

  /** The data for uPlot: per series the drawn line (smoothed or raw), the raw line, min and max, joined on x. */
  #data() {
    const w = Math.min(0.999, Math.max(0, this.smoothing || 0));
    const tables = this.series.map((s, i) => {
      const f = this.#xOf(i);
      let xs = f ? s.x.map(f) : s.x;
      let last = s.last;
      let min = s.min;
      let max = s.max;
      if (f && xs.some((x) => !Number.isFinite(x))) {
        const keep = xs.map((x) => Number.isFinite(x));
        const pick = (col) => col.filter((_, k) => keep[k]);
        xs = pick(xs);
        last = pick(last);
        min = pick(min);
        max = pick(max);
      }
      if (this.logScale) {
        last = positiveOrNull(last);
        min = positiveOrNull(min);
        max = positiveOrNull(max);
      }
      return [xs, w > 0 ? ema(last, w) : last, last, min, max];
    });
    if (tables.length === 0) return [[]];
    if (tables.length === 1) return tables[0];
    return uPlot.join(tables);
  }

  #schedule() {
    this._dirty = true;
    if (!this._raf && this.u) this._raf = requestAnimationFrame(() => this.flush());
  }

  #legend(idx) {
    const els = this.querySelectorAll('.lv');
    const u = this.u;
    this.metrics.forEach((_, i) => {
      let v = null;
      const col = u?.data?.[1 + i * COLS];
      if (col) {
        if (idx != null) v = col[idx];
        else for (let k = col.length - 1; k >= 0 && v == null; k--) v = col[k];
      }
      if (els[i]) els[i].textContent = fmtNum(v, 3) + (this.unit && v != null ? ` ${this.unit}` : '');
    });
    const at = this.querySelector('.at');
    if (at) at.textContent = idx != null && u ? `at ${this.#fmtXLong(u.data[0][idx])}` : '';
  }

  #colorVar(i) {
    return this.metrics[i]?.color || lineColor(i);
  }

  #fmtX() {
    if (this.timeAxis || this.xMode === 'wall') return (v) => new Date(v * 1000).toLocaleTimeString();
    if (this.xMode === 'relative') return fmtSpan;
    return fmtStep;
  }

  /** The x value under the cursor, in full: "step 12,345", a date and time, or "3 h 20 min after the start". */
  #fmtXLong(v) {
    if (v == null) return '';
    if (this.timeAxis || this.xMode === 'wall') return new Date(v * 1000).toLocaleString();
    if (this.xMode === 'relative') return `${fmtSpan(v)} from the start`;
    return `step ${fmtInt(v)}`;
  }

  #toggleLog() {
    this.logScale = !this.logScale;
    this.dispatchEvent(new CustomEvent('log-scale', {detail: {log: this.logScale}, bubbles: true, composed: true}));
  }

  #rebuild() {
    if (!this.hasUpdated) return;
    this.u?.destroy();
    this.u = null;
    this._dirty = true;
    this._resetScale = true;
    this.#create();
  }

  #create() {
    const body = this.querySelector('.chart-body');
    if (!body || this.u) return;
    const muted = cssColor('--muted');
    const grid = cssColor('--grid');
    const panel = cssColor('--panel');
    const fmtX = this.#fmtX();
    const timeScale = this.timeAxis || this.xMode === 'wall';
    const font = '11px system-ui, sans-serif';
    const xAxis = {stroke: muted, grid: {stroke: grid, width: 1}, ticks: {stroke: grid, width: 1}, size: 28,
      label: this.timeAxis ? 'time' : X_MODES[this.xMode] || X_MODES.step, labelSize: 16, labelFont: font, font};
    if (!timeScale) xAxis.values = (u, vals) => vals.map(fmtX);
    const series = [{label: this.timeAxis ? 'time' : 'step', value: (u, v) => fmtX(v)}];
    const bands = [];
    const smooth = this.smoothing > 0;
    this.metrics.forEach((m, i) => {
      const color = cssColor(this.#colorVar(i));
      series.push({label: m.label || m.name, stroke: color, width: 1.5, spanGaps: true,
        points: {show: (u) => u.data[0].length <= 40, size: 5, fill: color}});
      series.push({label: `${m.label} raw`, stroke: alpha(color, 0.28), width: 1, spanGaps: true, show: smooth && !this._bucketed,
        points: {show: false}});
      series.push({label: `${m.label} min`, stroke: 'transparent', width: 0, spanGaps: true, points: {show: false}});
      series.push({label: `${m.label} max`, stroke: 'transparent', width: 0, spanGaps: true, points: {show: false}});
      bands.push({series: [4 + i * COLS, 3 + i * COLS], fill: alpha(color, 0.2)});
    });
    const chart = this;
    const yScale = this.logScale ? {distr: 3, log: 10} : this.yRange ? {range: this.yRange} : {};
    const opts = {
      width: Math.max(200, body.clientWidth || 400),
      height: this.height,
      legend: {show: false},
      cursor: {drag: {x: true, y: false, setScale: false}, sync: {key: 'keisei-steps'}, points: {size: 6}},
      scales: {
        x: {time: timeScale, range: (u, min, max) => chart.#xRange(min, max)},
        y: yScale,
      },
      axes: [
        xAxis,
        {stroke: muted, grid: {stroke: grid, width: 1}, ticks: {stroke: grid, width: 1}, values: (u, vals) => vals.map((v) => fmtNum(v)),
          size: axisSize, font, ...(this.yLabel ? {label: this.yLabel, labelSize: 16, labelFont: font} : {})},
      ],
      series,
      bands,
      hooks: {
        setSelect: [(u) => {
          if (u.select.width < 4) return;
          const x0 = u.posToVal(u.select.left, 'x');
          const x1 = u.posToVal(u.select.left + u.select.width, 'x');
          u.setSelect({left: 0, width: 0, top: 0, height: 0}, false);
          u.setScale('x', {min: x0, max: x1});
          const from = Math.floor(chart.#stepOfX(x0));
          const to = Math.ceil(chart.#stepOfX(x1));
          chart.zoomed = {from, to};
          // `x`: the range in the axis' own units, for pages whose series each have a clock of their own (Compare).
          chart.dispatchEvent(new CustomEvent('zoom', {detail: {from, to, x: [x0, x1], mode: chart.xMode}, bubbles: true, composed: true}));
        }],
        setCursor: [(u) => chart.#legend(u.cursor.idx)],
        draw: [(u) => {
          if (chart.errorBars) chart.#drawErrorBars(u);
          chart.#drawMarkers(u, muted, panel);
          chart.drawnAt = performance.now();   // when the canvas was last drawn (read by the browser benchmark)
        }],
      },
    };
    this._dirty = false;
    const data = this.#data();
    this._size = data[0].length;
    this.u = new uPlot(opts, data, body);
    if (this.zoomed) this.u.setScale('x', {min: this.#xOfStep(this.zoomed.from), max: this.#xOfStep(this.zoomed.to)});
    this.dataset.points = String(this._size);
    this.dataset.lastStep = String(this.lastStep ?? '');
    this.toggleAttribute('data-empty', this._size === 0);
    this.u.over.addEventListener('dblclick', () => this.resetZoom());
    this._ro?.disconnect();
    this._ro = new ResizeObserver(() => {
      const w = body.clientWidth;
      if (this.u && w > 0 && Math.abs(w - this.u.width) > 1) this.u.setSize({width: w, height: this.height});
    });
    this._ro.observe(body);
    this.#legend(null);
  }

  /** The x range shown when not zoomed: the data's, widened to the page's domain so that its charts line up. */
  #xRange(min, max) {
    let lo = min;
    let hi = max;
    if (this.domain && !this.timeAxis && (this.xMode === 'step' || !this.xMode)) {
      if (this.domain.min != null) lo = lo == null ? this.domain.min : Math.min(lo, this.domain.min);
      if (this.domain.max != null) hi = hi == null ? this.domain.max : Math.max(hi, this.domain.max);
    }
    if (lo == null || hi == null) return [0, 1];
    if (lo === hi) return [lo - 1, hi + 1];
    return [lo, hi];
  }

  /** An x position as a step (zoom ranges are fetched by step). */
  #stepOfX(x) {
    if (this.timeAxis || this.xMode === 'step' || !this.xMode) return x;
    const clock = this.clocks?.[this.metrics[0]?.name] ?? this.clocks?.['*'];
    if (!clock || clock.size === 0) return x;
    return clock.stepAt(this.xMode === 'wall' ? x * 1000 : x * 1000 + clock.start);
  }

  /** A vertical bar with caps from each point's min to its max, in its series' colour (a band needs two points). */
  #drawErrorBars(u) {
    const {ctx} = u;
    const dpr = devicePixelRatio;
    ctx.save();
    ctx.lineWidth = 1.5 * dpr;
    this.metrics.forEach((_, i) => {
      const lo = u.data[3 + i * COLS];
      const hi = u.data[4 + i * COLS];
      if (!lo || !hi) return;
      ctx.strokeStyle = cssColor(this.#colorVar(i));
      ctx.beginPath();
      for (let k = 0; k < u.data[0].length; k++) {
        if (lo[k] == null || hi[k] == null) continue;
        const x = Math.round(u.valToPos(u.data[0][k], 'x', true));
        const y0 = Math.round(u.valToPos(lo[k], 'y', true));
        const y1 = Math.round(u.valToPos(hi[k], 'y', true));
        const cap = 4 * dpr;
        ctx.moveTo(x, y0);
        ctx.lineTo(x, y1);
        ctx.moveTo(x - cap, y0);
        ctx.lineTo(x + cap, y0);
        ctx.moveTo(x - cap, y1);
        ctx.lineTo(x + cap, y1);
      }
      ctx.stroke();
    });
    ctx.restore();
    this.dataset.errorBars = String(u.data[0].length);
  }

  #drawMarkers(u, color, background) {
    const drawn = [];
    if (!this.markers.length) {
      this.dataset.markers = '';
      return;
    }
    const {ctx} = u;
    const {left, top, width, height} = u.bbox;
    const dpr = devicePixelRatio;
    ctx.save();
    ctx.font = `${11 * dpr}px system-ui, sans-serif`;
    ctx.lineWidth = dpr;
    ctx.textBaseline = 'top';
    let lastRight = -Infinity;
    let row = 0;
    for (const m of [...this.markers].sort((a, b) => a.step - b.step)) {
      const x = Math.round(u.valToPos(this.#xOfStep(m.step), 'x', true));
      if (!(x >= left - 1 && x <= left + width + 1)) continue;
      ctx.strokeStyle = color;
      ctx.setLineDash([4 * dpr, 4 * dpr]);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      // The label sits beside the line on a background of its own, on the left where it would leave the plot,
      // and one row lower where it would overlap the previous label.
      const w = ctx.measureText(m.label).width + 6 * dpr;
      const onLeft = x + 3 * dpr + w > left + width;
      const x0 = onLeft ? x - 3 * dpr - w : x + 3 * dpr;
      row = x0 < lastRight ? row + 1 : 0;
      const y0 = top + 2 * dpr + row * 14 * dpr;
      lastRight = x0 + w;
      ctx.setLineDash([]);
      ctx.fillStyle = background;
      ctx.fillRect(x0, y0, w, 13 * dpr);
      ctx.fillStyle = color;
      ctx.fillText(m.label, x0 + 3 * dpr, y0 + dpr);
      drawn.push(m.label);
    }
    ctx.restore();
    // Which markers are on the canvas (the browser tests read it: a canvas has no DOM to ask).
    this.dataset.markers = drawn.join(',');
  }
}
customElements.define('metric-chart', MetricChart);
