package io.keisei.training;

import io.keisei.contracts.api.GatingPolicy;

import java.util.Locale;

/**
 * Decides what a session's automatic gate does next. Pure: it reads the session's gating policy, its best, the
 * challenger, the challenger's games against that best so far and whether another gate runs, and returns a
 * {@link GatePlan}; {@code service.CheckpointGate} applies it (docs/evaluation-league.md, "Automatic gating").
 *
 * <ul>
 *   <li>{@code games} mode: play until {@code games} games, then {@link GateRule} (one-sided 95 % Wilson bound of the
 *       score above one half) promotes or rejects; all games played count.</li>
 *   <li>{@code sprt} mode: after each batch, {@link Sprt} accepts H1 (promote), H0 (reject) or continues with another
 *       batch of {@code games} games, cut to what is left of {@code maxGames}; a test still undecided at
 *       {@code maxGames} is rejected, as a capped SPRT must treat it (not significantly stronger).</li>
 * </ul>
 */
public final class GatePlanner {

    private GatePlanner() {
    }

    /**
     * @param policy      the session's gating policy (absent fields at their defaults)
     * @param best        the session's best model; null when it has none yet
     * @param challenger  the checkpoint to gate; null when none waits
     * @param gateRunning whether a gate evaluation of the session (of another challenger) is still playing
     */
    public static GatePlan plan(GatingPolicy policy, String best, String challenger, int wins, int draws, int losses,
                                boolean gateRunning) {
        if (wins < 0 || draws < 0 || losses < 0) {
            throw new IllegalArgumentException("counts must not be negative: " + wins + "/" + draws + "/" + losses);
        }
        GatingPolicy p = policy == null ? GatingPolicy.OFF : policy.withDefaults();
        if (!p.isOn()) {
            return idle(wins, draws, losses, "gating is off");
        }
        if (challenger == null) {
            return idle(wins, draws, losses, "no checkpoint waits to be gated");
        }
        if (gateRunning) {
            return new GatePlan(GatePlan.Action.WAIT, 0, wins, draws, losses, null, "waits for the gate in progress");
        }
        if (best == null) {
            return new GatePlan(GatePlan.Action.FIRST_BEST, 0, 0, 0, 0, null, "first checkpoint of the session");
        }
        return GatingPolicy.MODE_GAMES.equals(p.mode()) ? fixedGames(p, wins, draws, losses) : sprt(p, wins, draws, losses);
    }

    private static GatePlan fixedGames(GatingPolicy p, int wins, int draws, int losses) {
        GateRule.Decision d = GateRule.of(p.games()).decide(wins, draws, losses);
        if (d.verdict() == GateRule.Verdict.PENDING) {
            return playMore(p.games() - d.games(), wins, draws, losses, null);
        }
        String why = String.format(Locale.ROOT, "score %.1f%% over %d games (%s); the one-sided 95%% Wilson lower bound "
                + "%.3f is %s 0.5", 100 * d.score(), d.games(), wdl(wins, draws, losses), d.lower(),
                d.verdict() == GateRule.Verdict.PROMOTE ? "above" : "not above");
        return new GatePlan(d.verdict() == GateRule.Verdict.PROMOTE ? GatePlan.Action.PROMOTE : GatePlan.Action.REJECT, 0,
                wins, draws, losses, null, why);
    }

    private static GatePlan sprt(GatingPolicy p, int wins, int draws, int losses) {
        Sprt test = new Sprt(p.elo0(), p.elo1(), p.alpha(), p.beta());
        SprtDecision d = test.decide(wins, draws, losses);
        int played = d.games();
        if (played == 0) {
            return playMore(Math.min(p.games(), p.maxGames()), 0, 0, 0, null);
        }
        String test0 = String.format(Locale.ROOT, "SPRT(elo0 %s, elo1 %s, alpha %s, beta %s)", number(p.elo0()),
                number(p.elo1()), number(p.alpha()), number(p.beta()));
        return switch (d.verdict()) {
            case ACCEPT_H1 -> new GatePlan(GatePlan.Action.PROMOTE, 0, wins, draws, losses, d.llr(), String.format(Locale.ROOT,
                    "%s accepted H1 after %d games (%s): LLR %.2f >= %.2f", test0, played, wdl(wins, draws, losses),
                    d.llr(), d.upper()));
            case ACCEPT_H0 -> new GatePlan(GatePlan.Action.REJECT, 0, wins, draws, losses, d.llr(), String.format(Locale.ROOT,
                    "%s accepted H0 after %d games (%s): LLR %.2f <= %.2f", test0, played, wdl(wins, draws, losses),
                    d.llr(), d.lower()));
            case CONTINUE -> played >= p.maxGames()
                    ? new GatePlan(GatePlan.Action.REJECT, 0, wins, draws, losses, d.llr(), String.format(Locale.ROOT,
                    "%s undecided at its cap of %d games (%s): LLR %.2f within (%.2f, %.2f); not promoted", test0,
                    p.maxGames(), wdl(wins, draws, losses), d.llr(), d.lower(), d.upper()))
                    : playMore(Math.min(p.games(), p.maxGames() - played), wins, draws, losses, d.llr());
        };
    }

    private static GatePlan playMore(int games, int wins, int draws, int losses, Double llr) {
        String why = wins + draws + losses == 0 ? "gate starts: " + games + " games against the best"
                : String.format(Locale.ROOT, "undecided after %d games (%s)%s: %d more", wins + draws + losses,
                wdl(wins, draws, losses), llr == null ? "" : String.format(Locale.ROOT, ", LLR %.2f", llr), games);
        return new GatePlan(GatePlan.Action.PLAY_MORE, games, wins, draws, losses, llr, why);
    }

    private static GatePlan idle(int wins, int draws, int losses, String why) {
        return new GatePlan(GatePlan.Action.IDLE, 0, wins, draws, losses, null, why);
    }

    private static String wdl(int wins, int draws, int losses) {
        return "W " + wins + " D " + draws + " L " + losses;
    }

    /** 30 rather than 30.0, 0.05 as it is. */
    private static String number(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e9 ? String.valueOf((long) x) : String.valueOf(x);
    }
}
