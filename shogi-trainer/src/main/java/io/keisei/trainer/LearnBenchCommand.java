package io.keisei.trainer;

import io.keisei.contracts.MetricNames;
import io.keisei.trainer.learn.EpochReport;
import io.keisei.trainer.learn.EvalReport;
import io.keisei.trainer.learn.LearnerSettings;
import io.keisei.trainer.learn.SelfPlayLearner;
import io.keisei.trainer.learn.Stats;

import java.io.PrintStream;
import java.util.Locale;

/**
 * {@code learn-bench}: does the built-in learner learn? Evaluates the untrained model against a
 * uniform-random player, trains by self-play for a wall-clock budget (evaluating periodically),
 * evaluates again and prints the learning curve as CSV plus a final line comparing the untrained
 * and trained win rates with a one-sided two-proportion z-test.
 *
 * <p>The budget covers training and the periodic evaluations; the untrained and final evaluations
 * come on top. The policy is evaluated greedily (its most probable move) unless {@code --eval-sampled};
 * the other mode is also reported for the untrained and the final model. Defaults are
 * {@link LearnerSettings#quickCpu()}.
 */
final class LearnBenchCommand {
    static final String USAGE = "learn-bench [--minutes M] [--eval-games N] [--eval-every-s S] [--seed S]"
            + " [--tower-width W] [--tower-depth D] [--steps-per-epoch K] [--minibatch B] [--ppo-epochs E]"
            + " [--lr X] [--entropy-coef X] [--gamma X] [--lambda X] [--lr-schedule T] [--max-moves N]"
            + " [--eval-sampled]";

    private LearnBenchCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        LearnerSettings s = LearnerSettings.quickCpu();
        double minutes = 10;
        int evalGames = 200;
        double evalEvery = 60;
        boolean greedy = true;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String name = a;
                String value = null;
                int eq = a.indexOf('=');
                if (a.startsWith("--") && eq > 0) {
                    name = a.substring(0, eq);
                    value = a.substring(eq + 1);
                }
                if (name.equals("--eval-sampled")) {
                    greedy = false;
                    continue;
                }
                if (value == null) {
                    if (i + 1 >= args.length) {
                        err.println("learn-bench: " + name + " needs a value; usage: " + USAGE);
                        return 2;
                    }
                    value = args[++i];
                }
                switch (name) {
                    case "--minutes" -> minutes = Double.parseDouble(value);
                    case "--eval-games" -> evalGames = Integer.parseInt(value);
                    case "--eval-every-s" -> evalEvery = Double.parseDouble(value);
                    case "--seed" -> s = s.withSeed(Long.parseLong(value));
                    case "--tower-width" -> s = s.withTower(Integer.parseInt(value), s.towerDepth());
                    case "--tower-depth" -> s = s.withTower(s.towerWidth(), Integer.parseInt(value));
                    case "--steps-per-epoch" -> s = s.withStepsPerEpoch(Integer.parseInt(value));
                    case "--minibatch" -> s = s.withMinibatchSize(Integer.parseInt(value));
                    case "--ppo-epochs" -> s = s.withPpoEpochs(Integer.parseInt(value));
                    case "--lr" -> s = s.withLearningRate(Double.parseDouble(value));
                    case "--entropy-coef" -> s = s.withCoefficients(s.valueLossCoeff(), Double.parseDouble(value));
                    case "--gamma" -> s = s.withGamma(Double.parseDouble(value), s.lambdaGae());
                    case "--lambda" -> s = s.withGamma(s.gamma(), Double.parseDouble(value));
                    case "--lr-schedule" -> s = s.withSchedule(value, s.totalTimesteps());
                    case "--max-moves" -> s = s.withMaxMovesPerGame(Integer.parseInt(value));
                    default -> {
                        err.println("learn-bench: unknown argument '" + a + "'; usage: " + USAGE);
                        return 2;
                    }
                }
            }
            if (minutes <= 0 || evalGames < 2 || evalEvery <= 0) {
                err.println("learn-bench: --minutes and --eval-every-s must be > 0 and --eval-games >= 2");
                return 2;
            }
        } catch (IllegalArgumentException e) {
            err.println("learn-bench: " + e.getMessage() + "; usage: " + USAGE);
            return 2;
        }

        SelfPlayLearner learner = new SelfPlayLearner(s);
        out.printf(Locale.ROOT, "# learn-bench %s%n", s);
        out.printf(Locale.ROOT, "# minutes=%s eval_games=%d eval_every_s=%s eval_policy=%s cores=%d%n", minutes,
                evalGames, evalEvery, greedy ? "greedy" : "sampled", Runtime.getRuntime().availableProcessors());
        long t0 = System.nanoTime();
        EvalReport untrained = learner.evaluateVsRandom(evalGames, greedy);
        double evalSeconds = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "# untrained: wins=%d losses=%d draws=%d win_rate=%.4f (eval took %.1fs)%n",
                untrained.wins(), untrained.losses(), untrained.draws(), untrained.winRate(), evalSeconds);
        EvalReport untrainedOther = learner.evaluateVsRandom(evalGames, !greedy);
        out.printf(Locale.ROOT, "# untrained, %s policy: wins=%d losses=%d draws=%d win_rate=%.4f%n",
                greedy ? "sampled" : "greedy", untrainedOther.wins(), untrainedOther.losses(), untrainedOther.draws(),
                untrainedOther.winRate());
        out.println("elapsed_s,global_step,episodes,win_rate_vs_random,wins,losses,draws,policy_loss,value_loss,"
                + "entropy,kl,clip_fraction,grad_norm,steps_per_s,sp_black_win,sp_white_win,sp_draw,sp_len");
        out.flush();

        long start = System.nanoTime();
        double budget = minutes * 60;
        double nextEval = evalEvery;
        EvalReport last = null;
        EpochReport r = null;
        double elapsed = 0;
        while (elapsed < budget) {
            r = learner.runEpoch();
            elapsed = (System.nanoTime() - start) / 1e9;
            boolean finalEpoch = elapsed >= budget;
            if (elapsed >= nextEval || finalEpoch) {
                last = learner.evaluateVsRandom(evalGames, greedy);
                elapsed = (System.nanoTime() - start) / 1e9;
                while (nextEval <= elapsed) {
                    nextEval += evalEvery;
                }
                row(out, elapsed, r, last);
            }
        }
        double z = Stats.twoProportionZ(untrained.wins(), evalGames, last.wins(), evalGames);
        double p = Stats.upperTail(z);
        out.printf(Locale.ROOT, "final: untrained_win_rate=%.4f (%d/%d) trained_win_rate=%.4f (%d/%d, draws %d)"
                        + " global_step=%d train_s=%.0f z=%.3f p_value_one_sided=%.3g%n",
                untrained.winRate(), untrained.wins(), evalGames, last.winRate(), last.wins(), evalGames,
                last.draws(), learner.globalStep(), elapsed, z, p);
        EvalReport trainedOther = learner.evaluateVsRandom(evalGames, !greedy);
        double z2 = Stats.twoProportionZ(untrainedOther.wins(), evalGames, trainedOther.wins(), evalGames);
        out.printf(Locale.ROOT, "final (%s policy): untrained_win_rate=%.4f (%d/%d) trained_win_rate=%.4f (%d/%d, draws %d)"
                        + " z=%.3f p_value_one_sided=%.3g%n", greedy ? "sampled" : "greedy",
                untrainedOther.winRate(), untrainedOther.wins(), evalGames, trainedOther.winRate(), trainedOther.wins(),
                evalGames, trainedOther.draws(), z2, Stats.upperTail(z2));
        out.flush();
        return 0;
    }

    private static void row(PrintStream out, double elapsed, EpochReport r, EvalReport e) {
        out.printf(Locale.ROOT, "%.1f,%d,%.0f,%.4f,%d,%d,%d,%.5f,%.5f,%.4f,%.5f,%.4f,%.4f,%.0f,%.2f,%.2f,%.2f,%.1f%n",
                elapsed, r.globalStep(), r.metric(MetricNames.EPISODES_COMPLETED), e.winRate(), e.wins(), e.losses(),
                e.draws(), r.metric(MetricNames.POLICY_LOSS), r.metric(MetricNames.VALUE_LOSS), r.metric(MetricNames.ENTROPY),
                r.metric(MetricNames.KL_DIVERGENCE), r.metric(MetricNames.CLIP_FRACTION), r.metric(MetricNames.GRADIENT_NORM),
                r.metric(MetricNames.STEPS_PER_SECOND), r.metric(MetricNames.BLACK_WIN_RATE), r.metric(MetricNames.WHITE_WIN_RATE),
                r.metric(MetricNames.DRAW_RATE), r.metric(MetricNames.EPISODE_LENGTH_MEAN));
        out.flush();
    }
}
