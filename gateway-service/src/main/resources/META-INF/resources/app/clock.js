// A run's clock: when (wall time) the trainer reported each step, from GET /sessions/{id}/metrics/clock and the
// live updates. Charts use it to draw any metric against wall-clock or relative time although the history is
// kept by step; between two known steps the time is interpolated.

export class StepClock {
  /** `points`: [[step, epochMillis]] sorted by step (as the clock endpoint answers). */
  constructor(points = []) {
    this.steps = [];
    this.times = [];
    for (const [s, t] of points) this.add(s, t);
  }

  get size() {
    return this.steps.length;
  }

  /** When the run started (its first known report), epoch ms; NaN when nothing is known. */
  get start() {
    return this.size ? this.times[0] : NaN;
  }

  /** Adds a report; a step at or below the last one supersedes what follows it (a resumed attempt). */
  add(step, time) {
    if (step == null || time == null || !Number.isFinite(step) || !Number.isFinite(time)) return;
    let n = this.steps.length;
    if (n && step <= this.steps[n - 1]) {
      while (n > 0 && this.steps[n - 1] >= step) n--;
      this.steps.length = n;
      this.times.length = n;
    }
    this.steps.push(step);
    this.times.push(time);
  }

  /** The wall time of `step` (epoch ms): interpolated between known steps, extended at the ends at the nearest speed. */
  timeOf(step) {
    return interpolate(this.steps, this.times, step);
  }

  /** The step reported at `time` (epoch ms): the inverse of timeOf. */
  stepAt(time) {
    return interpolate(this.times, this.steps, time);
  }
}

function interpolate(xs, ys, x) {
  const n = xs.length;
  if (n === 0) return NaN;
  if (n === 1) return ys[0];
  let lo = 0;
  let hi = n - 1;
  if (x <= xs[0]) hi = 1;
  else if (x >= xs[n - 1]) lo = n - 2;
  else {
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (xs[mid] <= x) lo = mid; else hi = mid;
    }
  }
  const dx = xs[hi] - xs[lo];
  return dx === 0 ? ys[lo] : ys[lo] + ((x - xs[lo]) * (ys[hi] - ys[lo])) / dx;
}
