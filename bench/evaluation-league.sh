#!/usr/bin/env bash
# Do checkpoints' ratings rise with training? Trains one quick-cpu session for M minutes through a running suite,
# then evaluates every checkpoint against the random player, the baseline engine (depth 1) and the next checkpoint
# (G games each, through POST /api/v1/evaluations, as a user would), reads the session's ratings and reports the
# Spearman correlation of rating with step and its p-value, the baseline's rating, and the evaluations' wall times.
#
#   KEISEI_URL=http://localhost:8080 KEISEI_TOKEN=$(cat data/admin.token) bench/evaluation-league.sh [M] [G]
#
# Defaults: M = 20 minutes, G = 40 games. Needs curl and python3 (scipy if present, else a t approximation).
set -euo pipefail
MINUTES="${1:-20}"
GAMES="${2:-40}"
URL="${KEISEI_URL:-http://localhost:8080}"
API="$URL/api/v1"
H="Authorization: Bearer ${KEISEI_TOKEN:?set KEISEI_TOKEN}"
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

SESSION=$(curl -sf -H "$H" -H 'Content-Type: application/json' -X POST "$API/sessions" \
  -d '{"name":"league-bench","template":"quick-cpu","config":{"training":{"total_timesteps":10000000,"checkpoint_interval_timesteps":500000}}}' \
  | json 'd["id"]')
echo "session $SESSION: training for $MINUTES min" >&2
curl -sf -H "$H" -X POST "$API/sessions/$SESSION/start" >/dev/null
sleep $((MINUTES * 60))
curl -sf -H "$H" -X POST "$API/sessions/$SESSION/stop" >/dev/null || true
for _ in $(seq 120); do
  state=$(curl -sf -H "$H" "$API/sessions/$SESSION" | json 'd["state"]')
  [[ "$state" == stopped || "$state" == completed || "$state" == failed ]] && break
  sleep 1
done
MODELS=$(curl -sf -H "$H" "$API/models?session=$SESSION&size=200" \
  | json '" ".join(m["id"] for m in sorted(d["items"], key=lambda m: m["step"]))')
echo "checkpoints: $(wc -w <<<"$MODELS")" >&2

ids=()
evaluate() {
  ids+=("$(curl -sf -H "$H" -H 'Content-Type: application/json' -X POST "$API/evaluations" \
    -d "{\"playerA\":\"$1\",\"playerB\":\"$2\",\"games\":$GAMES,\"seed\":1,\"session\":\"$SESSION\"}" | json 'd["id"]')")
}
prev=""
for m in $MODELS; do
  evaluate "$m" random
  evaluate "$m" baseline:1
  [[ -n "$prev" ]] && evaluate "$prev" "$m"
  prev="$m"
done
evaluate baseline:1 random
t0=$(date +%s)
for id in "${ids[@]}"; do
  for _ in $(seq 3600); do
    state=$(curl -sf -H "$H" "$API/evaluations/$id" | json 'd["state"]')
    [[ "$state" == completed || "$state" == failed || "$state" == cancelled ]] && break
    sleep 1
  done
done
echo "all ${#ids[@]} evaluations ended after $(( $(date +%s) - t0 )) s" >&2

curl -sf -H "$H" "$API/evaluations?session=$SESSION&size=500" > /tmp/league-evaluations.json
curl -sf -H "$H" "$API/evaluations/ratings?session=$SESSION" > /tmp/league-ratings.json
python3 - "$MINUTES" "$GAMES" <<'PY'
import json, math, sys
from datetime import datetime
minutes, games = sys.argv[1], sys.argv[2]
ratings = json.load(open("/tmp/league-ratings.json"))
evals = json.load(open("/tmp/league-evaluations.json"))
models = [r for r in ratings if r.get("step") is not None]
models.sort(key=lambda r: r["step"])
def ranks(xs):
    order = sorted(range(len(xs)), key=lambda i: xs[i]); r = [0.0] * len(xs); i = 0
    while i < len(xs):
        j = i
        while j + 1 < len(xs) and xs[order[j + 1]] == xs[order[i]]: j += 1
        for k in range(i, j + 1): r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r
steps = [m["step"] for m in models]; elos = [m["elo"] for m in models]
n = len(models)
rs, re = ranks(steps), ranks(elos)
mr, me = sum(rs) / n, sum(re) / n
rho = sum((a - mr) * (b - me) for a, b in zip(rs, re)) / math.sqrt(sum((a - mr) ** 2 for a in rs) * sum((b - me) ** 2 for b in re))
try:
    from scipy.stats import spearmanr
    p = spearmanr(steps, elos).pvalue; how = "scipy.stats.spearmanr, two-sided"
except ImportError:
    t = rho * math.sqrt((n - 2) / max(1e-12, 1 - rho * rho)); p = float("nan"); how = f"t = {t:.2f}, df = {n - 2}"
def secs(e):
    f = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))
    return (f(e["finishedAt"]) - f(e["startedAt"])).total_seconds() if e.get("finishedAt") and e.get("startedAt") else float("nan")
print(f"| step | Elo | 95 % interval | games | W / D / L |\n|---:|---:|:---|---:|:---|")
for m in models:
    print(f"| {m['step']:,} | {m['elo']:.0f} | {m['lower']:.0f} … {m['upper']:.0f} | {m['games']} | {m['wins']} / {m['draws']} / {m['losses']} |")
for r in ratings:
    if r.get("step") is None:
        print(f"| {r['player']} | {r['elo']:.0f} | {r['lower']:.0f} … {r['upper']:.0f} | {r['games']} | {r['wins']} / {r['draws']} / {r['losses']} |")
print(f"\nSpearman correlation of rating with step over {n} checkpoints: rho = {rho:.3f}, p = {p:.3g} ({how}).")
done = [secs(e) for e in evals if e["state"] == "completed"]
done = sorted(x for x in done if x == x)
if done:
    print(f"Evaluations: {len(done)} completed of {len(evals)}; wall time per {games}-game evaluation: median {done[len(done)//2]:.1f} s, max {done[-1]:.1f} s.")
PY
