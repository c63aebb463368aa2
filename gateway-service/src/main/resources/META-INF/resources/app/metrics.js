// How training metrics are presented: heading, legend label, fixed y-range, which metrics share a chart,
// and the display order (the order below). Which metrics a session has comes from the server (its metric
// names and its live updates), never from this file: a name missing here still gets a chart of its own,
// headed by its name, after the ones listed.

/** Per metric name: `heading` and `range` of its own chart, or `group` (a key of GROUPS); `label` in legends. */
export const METRICS = {
  'ppo/policy_loss': {heading: 'Policy loss', label: 'policy loss'},
  'ppo/value_loss': {heading: 'Value loss', label: 'value loss'},
  'ppo/entropy': {heading: 'Entropy', label: 'entropy'},
  'ppo/kl_divergence_approx': {heading: 'KL divergence (approx.)', label: 'KL'},
  'ppo/clip_fraction': {heading: 'Clip fraction', label: 'clip fraction'},
  'ppo/learning_rate': {heading: 'Learning rate', label: 'learning rate'},
  'ppo/gradient_norm': {heading: 'Gradient norm', label: 'gradient norm'},
  'episode_reward_mean': {heading: 'Episode reward (mean)', label: 'reward'},
  'episode_length_mean': {heading: 'Episode length (mean)', label: 'plies'},
  'black_win_rate': {group: 'self-play', label: 'black'},
  'white_win_rate': {group: 'self-play', label: 'white'},
  'draw_rate': {group: 'self-play', label: 'draw'},
  'eval/win_rate_vs_random': {heading: 'Eval win rate vs random', label: 'win rate', range: [0, 1]},
  'eval/draw_rate': {heading: 'Eval draw rate vs random', label: 'draw rate', range: [0, 1]},
  'eval/games': {heading: 'Eval games', label: 'games'},
  'steps_per_second': {heading: 'Steps per second', label: 'steps/s'},
  'episodes_completed': {heading: 'Episodes completed', label: 'episodes'},
  // A Keisei run's own evaluation (examples/keisei-bridge; contracts MetricNames.KEISEI_EVAL_*). Its Elo is Keisei's
  // scale (1500 start, K = 32 against its own opponents), not the league's ratings (random = 0).
  'keisei/eval/win_rate': {group: 'keisei-eval', label: 'win'},
  'keisei/eval/draw_rate': {group: 'keisei-eval', label: 'draw'},
  'keisei/eval/loss_rate': {group: 'keisei-eval', label: 'loss'},
  'keisei/eval/elo': {group: 'keisei-elo', label: 'agent'},
  'keisei/eval/opponent_elo': {group: 'keisei-elo', label: 'opponent'},
  'keisei/eval/games': {heading: "Keisei's own evaluation: games", label: 'games'},
  'keisei/eval/avg_game_length': {heading: "Keisei's own evaluation: game length", label: 'moves'},
  'league/learner_elo': {group: 'keisei-league', label: 'learner'},
};

/** Names with a varying part (an opponent, a league entry), each family drawn on one chart, labelled by that part. */
const FAMILIES = [
  {pattern: /^keisei\/eval\/vs\/(.+)\/win_rate$/, group: 'keisei-eval-vs'},
  {pattern: /^league\/elo\/(.+)$/, group: 'keisei-league'},
];

/** Charts that hold several metrics. */
export const GROUPS = {
  'self-play': {heading: 'Self-play results', range: [0, 1]},
  'keisei-eval': {heading: "Keisei's own evaluation", range: [0, 1]},
  'keisei-eval-vs': {heading: "Keisei's own evaluation: win rate by opponent", range: [0, 1]},
  'keisei-elo': {heading: "Keisei's own Elo (Keisei's scale, not the league's)"},
  'keisei-league': {heading: "Keisei league Elo (Keisei's scale, not the league's)"},
};

/** How a metric is presented: its METRICS entry, else its family's group with the varying part as label. */
function lookOf(name) {
  if (METRICS[name]) return METRICS[name];
  for (const f of FAMILIES) {
    const m = f.pattern.exec(name);
    if (m) return {group: f.group, label: m[1]};
  }
  return undefined;
}

const ORDER = new Map(Object.keys(METRICS).map((name, i) => [name, i]));

/** Orders metric names for display: the listed ones as listed, then the others alphabetically. */
export function compareNames(a, b) {
  const ia = ORDER.get(a) ?? Infinity;
  const ib = ORDER.get(b) ?? Infinity;
  return ia !== ib ? ia - ib : a < b ? -1 : a > b ? 1 : 0;
}

export function sortNames(names) {
  return [...names].sort(compareNames);
}

/** The chart a metric is drawn on: its group's key, or its own (group keys cannot clash with metric names). */
function chartKey(name) {
  const group = lookOf(name)?.group;
  return group ? `group:${group}` : name;
}

/**
 * The charts of a growing set of metric names. A chart object, and its `metrics` array, stay the same
 * until the chart gains a metric: <metric-chart> starts over when it is handed a new array.
 */
export class ChartSet {
  constructor() {
    this.names = new Set();
    /** [{key, heading, range, metrics: [{name, label}]}] in display order */
    this.charts = [];
    this._byKey = new Map();
  }

  /** Adds metric names; answers the charts that are new or gained a metric (empty when nothing changed). */
  add(names) {
    const fresh = [...names].filter((n) => typeof n === 'string' && n && !this.names.has(n));
    if (fresh.length === 0) return [];
    fresh.forEach((n) => this.names.add(n));
    const touched = [...new Set(fresh.map(chartKey))].map((key) => {
      const members = sortNames([...this.names].filter((n) => chartKey(n) === key));
      const own = lookOf(members[0]);
      const look = own?.group ? GROUPS[own.group] : own;
      const chart = {key, heading: look?.heading || members[0], range: look?.range || null,
        metrics: members.map((n) => ({name: n, label: lookOf(n)?.label || n}))};
      this._byKey.set(key, chart);
      return chart;
    });
    this.charts = [...this._byKey.values()].sort((a, b) => compareNames(a.metrics[0].name, b.metrics[0].name));
    return touched;
  }
}
