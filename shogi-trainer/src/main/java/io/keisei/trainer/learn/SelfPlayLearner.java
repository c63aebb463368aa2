package io.keisei.trainer.learn;

import io.keisei.contracts.MetricNames;
import io.keisei.trainer.shogi.ActionSpace;
import io.keisei.trainer.shogi.GameResult;
import io.keisei.trainer.shogi.MoveList;
import io.keisei.trainer.shogi.Position;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Self-play PPO learner: one policy plays both sides of one game at a time; every
 * {@link #runEpoch()} collects {@code stepsPerEpoch} plies (a game in progress carries over to the
 * next epoch), computes negamax GAE ({@link Gae}), and runs {@code ppoEpochs} passes of clipped
 * PPO with Adam over shuffled minibatches ({@link PpoLoss}, {@link Adam}).
 *
 * <h2>Rewards</h2>
 * Only the game result is rewarded, at the last ply, from that ply's mover's point of view: +1 if
 * the mover won (checkmate, or no legal moves for the opponent), -1 if the mover lost (perpetual
 * check by the mover), 0 for a draw (sennichite or {@code maxMovesPerGame}). There is no reward
 * shaping. The move limit is treated as a real terminal state (it is a rule of the game: a draw),
 * and the move count is an input feature, so the value function can see it coming.
 *
 * <h2>Metrics</h2>
 * The {@code ppo/*} metrics are means over the minibatch updates of the epoch, like Keisei's:
 * {@code ppo/entropy} is the mean policy entropy in nats (positive; Keisei logs the entropy
 * <em>loss</em>, i.e. its negation), {@code ppo/gradient_norm} the mean global gradient norm before
 * clipping, {@code ppo/learning_rate} the rate used by this epoch's update. {@code episodes_completed}
 * is cumulative. {@code episode_reward_mean} (Black's reward, +1/-1/0, i.e. black minus white
 * win rate), {@code episode_length_mean} (plies), {@code black_win_rate}, {@code white_win_rate}
 * and {@code draw_rate} are over the last {@value #WINDOW} finished self-play games (fewer at the
 * start; all 0 before the first game ends), which keeps them meaningful when an epoch is shorter
 * than a game. {@code steps_per_second} is this epoch's plies over its wall time (collection plus
 * update); it is the only metric that is not reproducible from the seed.
 *
 * <h2>Reproducibility</h2>
 * Everything random (initial weights, move sampling, minibatch shuffling, evaluation) comes from
 * {@link Rng} streams derived from {@code seed}; arithmetic is single-threaded, so the same
 * settings give bit-identical reports. {@link #writeState}/{@link #readState} save and restore all
 * of it, including the game in progress, so a resumed learner continues exactly.
 *
 * <h2>Parts</h2>
 * This class coordinates; the work is done by {@code RolloutBuffer} (the plies of one epoch),
 * {@code SelfPlayGames} (the game in progress and the listener), {@code EpisodeStats} (finished
 * games), {@code PpoUpdate} (the update), {@code PolicyInference} (the model on single positions),
 * {@code RandomOpponentEvaluation} and {@code LearnerStateFormat} (the saved state).
 *
 * <p>Not thread-safe: call {@code runEpoch}, {@code evaluateVsRandom} and the state methods from one
 * thread. {@link #setGameListener} may be called from any thread.
 */
public final class SelfPlayLearner {
    /** Finished games over which the win/draw/length metrics are computed. */
    public static final int WINDOW = EpisodeStats.WINDOW;

    private final LearnerSettings s;
    private final PolicyValueNet net;
    private final Adam adam;
    // one workspace for every forward pass: the learner is single-threaded
    private final PolicyValueNet.Workspace ws;
    private final Rng rng;
    private final RolloutBuffer rollout;
    private final PpoUpdate ppo;
    private final PolicyInference policy;
    private final SelfPlayGames games;
    private final EpisodeStats stats = new EpisodeStats();
    private long globalStep;
    private long updatesDone;

    public SelfPlayLearner(LearnerSettings s) {
        this(s, true);
    }

    /** Without {@code startGame} there is no game in progress until {@link LearnerStateFormat} restores one. */
    SelfPlayLearner(LearnerSettings s, boolean startGame) {
        this.s = s;
        this.net = new PolicyValueNet(Features.COUNT, ActionSpace.SIZE, s.towerWidth(), s.towerDepth());
        net.initialize(new Rng(Rng.mix(s.seed(), 1)));
        this.adam = new Adam(net.size());
        this.ws = net.newWorkspace();
        this.rng = new Rng(Rng.mix(s.seed(), 2));
        this.rollout = new RolloutBuffer(s.stepsPerEpoch());
        this.ppo = new PpoUpdate(s, net, adam, ws, s.stepsPerEpoch());
        this.policy = new PolicyInference(net, ws);
        this.games = new SelfPlayGames(s.maxMovesPerGame());
        if (startGame) {
            games.startNext();
        }
    }

    public LearnerSettings settings() {
        return s;
    }

    public long globalStep() {
        return globalStep;
    }

    public long episodesCompleted() {
        return stats.episodesCompleted();
    }

    /** PPO updates (epochs) done so far. */
    public long updatesDone() {
        return updatesDone;
    }

    PolicyValueNet net() {
        return net;
    }

    Adam optimizer() {
        return adam;
    }

    Rng rng() {
        return rng;
    }

    EpisodeStats stats() {
        return stats;
    }

    SelfPlayGames games() {
        return games;
    }

    void restoreProgress(long step, long updates) {
        globalStep = step;
        updatesDone = updates;
    }

    /** Sets (or clears, with null) the live-game listener; it takes effect from the next game. */
    public void setGameListener(GameListener l) {
        games.setListener(l);
    }

    // ---- training -----------------------------------------------------------------------------

    /** Collects {@code stepsPerEpoch} plies of self-play, runs one PPO update and reports. */
    public EpochReport runEpoch() {
        long t0 = System.nanoTime();
        collect();
        float lastValue = rollout.endsMidGame() ? policy.valueOf(games.position()) : 0f;
        rollout.computeAdvantages(lastValue, s);
        double lr = LrSchedule.rate(s, updatesDone);
        PpoUpdate.Result u = ppo.run(rollout, lr, rng);
        updatesDone++;
        double seconds = Math.max(1e-9, (System.nanoTime() - t0) / 1e9);

        Map<String, Double> m = new LinkedHashMap<>();
        m.put(MetricNames.POLICY_LOSS, u.policyLoss());
        m.put(MetricNames.VALUE_LOSS, u.valueLoss());
        m.put(MetricNames.ENTROPY, u.entropy());
        m.put(MetricNames.KL_DIVERGENCE, u.kl());
        m.put(MetricNames.CLIP_FRACTION, u.clipFraction());
        m.put(MetricNames.LEARNING_RATE, lr);
        m.put(MetricNames.GRADIENT_NORM, u.gradientNorm());
        m.put(MetricNames.EPISODES_COMPLETED, (double) stats.episodesCompleted());
        stats.putWindowMetrics(m);
        m.put(MetricNames.STEPS_PER_SECOND, rollout.capacity() / seconds);
        return new EpochReport(globalStep, m);
    }

    private void collect() {
        for (int step = 0; step < rollout.capacity(); step++) {
            Position pos = games.position();
            MoveList legal = games.legalMoves();
            int me = pos.sideToMove();
            rollout.encode(step, pos, legal);
            rollout.forward(step, net, ws);
            int nl = legal.size();
            double logZ = PpoLoss.logSumExp(ws.logits, nl);
            int j = PolicyInference.sample(ws.logits, nl, logZ, rng);
            rollout.recordAction(step, j, ws.logits[j] - logZ, ws.value);

            // counted before the game listener hears of the ply, so a listener sees a step that includes it
            globalStep++;
            GameResult r = games.play(legal.get(j));
            if (r.isOver()) {
                int winner = r.winner();
                rollout.recordOutcome(step, winner < 0 ? 0f : (winner == me ? 1f : -1f), true);
                stats.record(r, games.moveCount());
                games.startNext();
            } else {
                rollout.recordOutcome(step, 0f, false);
            }
        }
    }

    /** Cumulative self-play results: black wins, white wins, draws. */
    public long[] cumulativeResults() {
        return stats.cumulativeResults();
    }

    // ---- inference ----------------------------------------------------------------------------

    /** The value head on {@code pos}, from its side to move's point of view (0 if it has no legal move). */
    public float valueOf(Position pos) {
        return policy.valueOf(pos);
    }

    /** Policy probabilities of {@code legal} (the legal moves of {@code pos}), in list order. */
    public double[] moveProbabilities(Position pos, MoveList legal) {
        return policy.moveProbabilities(pos, legal);
    }

    /**
     * The policy as a distribution over all {@link ActionSpace#SIZE} indices: the softmax over the
     * legal moves placed at their indices, exactly 0 everywhere else.
     */
    public double[] actionProbabilities(Position pos) {
        return policy.actionProbabilities(pos);
    }

    /** The move the policy picks: the most probable one if {@code greedy}, else a sample. */
    public int chooseMove(Position pos, MoveList legal, boolean greedy, Rng r) {
        return policy.chooseMove(pos, legal, greedy, r);
    }

    // ---- evaluation ---------------------------------------------------------------------------

    /**
     * Plays {@code games} games of the current policy against a uniform-random player, the learner
     * taking Black in the even-numbered games and White in the odd ones (so half each), each game
     * with the {@code maxMovesPerGame} limit (reaching it is a draw). The policy plays greedily
     * (its most probable move, like Keisei's deterministic evaluation). Uses its own random stream
     * derived from the seed and the current global step, so it does not disturb training and the
     * same model at the same step always gets the same result.
     */
    public EvalReport evaluateVsRandom(int games) {
        return evaluateVsRandom(games, true);
    }

    /** {@link #evaluateVsRandom(int)} with the settings' {@code evalNumGames}. */
    public EvalReport evaluateVsRandom() {
        return evaluateVsRandom(s.evalNumGames());
    }

    /** {@link #evaluateVsRandom(int)} with the choice of a greedy or a sampling policy. */
    public EvalReport evaluateVsRandom(int games, boolean greedy) {
        return RandomOpponentEvaluation.play(policy, s, globalStep, games, greedy);
    }

    // ---- state --------------------------------------------------------------------------------

    /**
     * Writes everything needed to continue exactly: the model weights, Adam's moments and step
     * count, the counters, the episode window, the random state and the moves of the self-play
     * game in progress, in the layout of {@code LearnerStateFormat}.
     */
    public void writeState(DataOutputStream out) throws IOException {
        LearnerStateFormat.write(this, out);
    }

    /**
     * Restores a learner written by {@link #writeState}. The settings supply the hyper-parameters
     * (they may differ from the saved run's, e.g. a new learning rate), but the architecture must
     * match: a different towerWidth/towerDepth throws {@link IllegalArgumentException}; a stream
     * that is not a learner state, of an unsupported version, of a different feature encoding or
     * action space, truncated or corrupt throws {@link IOException} saying which. If the settings'
     * move limit ends the saved game in progress, a fresh game starts instead.
     */
    public static SelfPlayLearner readState(DataInputStream in, LearnerSettings s) throws IOException {
        return LearnerStateFormat.read(in, s);
    }
}
