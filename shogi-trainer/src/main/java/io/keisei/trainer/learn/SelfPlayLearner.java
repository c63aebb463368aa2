package io.keisei.trainer.learn;

import io.keisei.contracts.MetricNames;
import io.keisei.trainer.shogi.ActionSpace;
import io.keisei.trainer.shogi.Game;
import io.keisei.trainer.shogi.GameResult;
import io.keisei.trainer.shogi.MoveList;
import io.keisei.trainer.shogi.Piece;
import io.keisei.trainer.shogi.Position;
import io.keisei.trainer.shogi.Usi;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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
 * <p>Not thread-safe: call {@code runEpoch}, {@code evaluateVsRandom} and the state methods from one
 * thread. {@link #setGameListener} may be called from any thread.
 */
public final class SelfPlayLearner {
    /** Finished games over which the win/draw/length metrics are computed. */
    public static final int WINDOW = 100;

    static final int MAGIC = 0x4B534C4E; // "KSLN"
    static final int END_MAGIC = 0x4B534C45; // "KSLE"
    static final int VERSION = 1;

    private final LearnerSettings s;
    private final PolicyValueNet net;
    private final Adam adam;
    private final PolicyValueNet.Workspace ws;
    private final PpoLoss loss = new PpoLoss();
    private final Rng rng;

    // rollout buffer, one entry per ply
    private final int cap;
    private final int[] featOff;
    private final int[] featIdx;
    private final float[] featVal;
    private final int[] legOff;
    private int[] codes;
    private final int[] chosen;
    private final double[] oldLogProb;
    private final float[] values;
    private final float[] rewards;
    private final boolean[] dones;
    private final float[] advantages;
    private final float[] returns;
    private final int[] perm;
    // scratch for single positions (bootstrap, evaluation, queries)
    private final int[] oneIdx = new int[Features.MAX_ACTIVE];
    private final float[] oneVal = new float[Features.MAX_ACTIVE];
    private int[] oneCodes = new int[600];

    // self-play state
    private Game game;
    private long gamesStarted;
    private String gameId;
    private boolean designated;
    private final List<String> designatedMoves = new ArrayList<>();
    private volatile GameListener listener;

    // counters
    private long globalStep;
    private long updatesDone;
    private long episodesCompleted;
    private long blackWins;
    private long whiteWins;
    private long draws;
    private final byte[] windowOutcome = new byte[WINDOW]; // 0 black win, 1 white win, 2 draw
    private final int[] windowLength = new int[WINDOW];
    private int windowCount;
    private int windowHead;

    public SelfPlayLearner(LearnerSettings s) {
        this(s, true);
    }

    private SelfPlayLearner(LearnerSettings s, boolean startGame) {
        this.s = s;
        this.net = new PolicyValueNet(Features.COUNT, ActionSpace.SIZE, s.towerWidth(), s.towerDepth());
        net.initialize(new Rng(Rng.mix(s.seed(), 1)));
        this.adam = new Adam(net.size());
        this.ws = net.newWorkspace();
        this.rng = new Rng(Rng.mix(s.seed(), 2));
        cap = s.stepsPerEpoch();
        featOff = new int[cap + 1];
        featIdx = new int[cap * Features.MAX_ACTIVE];
        featVal = new float[cap * Features.MAX_ACTIVE];
        legOff = new int[cap + 1];
        codes = new int[cap * 128];
        chosen = new int[cap];
        oldLogProb = new double[cap];
        values = new float[cap];
        rewards = new float[cap];
        dones = new boolean[cap];
        advantages = new float[cap];
        returns = new float[cap];
        perm = new int[cap];
        if (startGame) {
            startGame();
        }
    }

    public LearnerSettings settings() {
        return s;
    }

    public long globalStep() {
        return globalStep;
    }

    public long episodesCompleted() {
        return episodesCompleted;
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

    /** Sets (or clears, with null) the live-game listener; it takes effect from the next game. */
    public void setGameListener(GameListener l) {
        listener = l;
    }

    // ---- training -----------------------------------------------------------------------------

    /** Collects {@code stepsPerEpoch} plies of self-play, runs one PPO update and reports. */
    public EpochReport runEpoch() {
        long t0 = System.nanoTime();
        collect();
        float lastValue = 0f;
        if (!dones[cap - 1]) {
            lastValue = valueOf(game.position());
        }
        Gae.compute(cap, rewards, values, dones, lastValue, s.gamma(), s.lambdaGae(), advantages, returns);
        if (s.normalizeAdvantages()) {
            Gae.normalize(advantages, cap);
        }
        double lr = LrSchedule.rate(s, updatesDone);
        double[] stats = update(lr);
        updatesDone++;
        double seconds = Math.max(1e-9, (System.nanoTime() - t0) / 1e9);

        Map<String, Double> m = new LinkedHashMap<>();
        m.put(MetricNames.POLICY_LOSS, stats[0]);
        m.put(MetricNames.VALUE_LOSS, stats[1]);
        m.put(MetricNames.ENTROPY, stats[2]);
        m.put(MetricNames.KL_DIVERGENCE, stats[3]);
        m.put(MetricNames.CLIP_FRACTION, stats[4]);
        m.put(MetricNames.LEARNING_RATE, lr);
        m.put(MetricNames.GRADIENT_NORM, stats[5]);
        m.put(MetricNames.EPISODES_COMPLETED, (double) episodesCompleted);
        putWindowMetrics(m);
        m.put(MetricNames.STEPS_PER_SECOND, cap / seconds);
        return new EpochReport(globalStep, m);
    }

    private void collect() {
        for (int step = 0; step < cap; step++) {
            Position pos = game.position();
            MoveList legal = game.legalMoves();
            int me = pos.sideToMove();
            int fo = featOff[step];
            int nf = Features.encode(pos, featIdx, featVal, fo);
            featOff[step + 1] = fo + nf;
            int co = legOff[step];
            int nl = legal.size();
            if (codes.length < co + nl) {
                codes = Arrays.copyOf(codes, Math.max(co + nl, codes.length * 2));
            }
            Features.encodeMoves(legal, me, codes, co);
            legOff[step + 1] = co + nl;

            net.forward(ws, featIdx, featVal, fo, nf, codes, co, nl);
            double logZ = PpoLoss.logSumExp(ws.logits, nl);
            int j = sample(ws.logits, nl, logZ, rng);
            chosen[step] = j;
            oldLogProb[step] = ws.logits[j] - logZ;
            values[step] = ws.value;

            int move = legal.get(j);
            GameResult r = game.play(move);
            globalStep++;
            if (designated) {
                notifyListener(move, r);
            }
            if (r.isOver()) {
                int winner = r.winner();
                rewards[step] = winner < 0 ? 0f : (winner == me ? 1f : -1f);
                dones[step] = true;
                recordEpisode(r, game.moveCount());
                startGame();
            } else {
                rewards[step] = 0f;
                dones[step] = false;
            }
        }
    }

    /** Samples an index with probability softmax(logits); inverse CDF on one uniform draw. */
    private static int sample(float[] logits, int n, double logZ, Rng r) {
        double u = r.nextDouble();
        double c = 0.0;
        for (int j = 0; j < n; j++) {
            c += Math.exp(logits[j] - logZ);
            if (u < c) {
                return j;
            }
        }
        return n - 1;
    }

    /** Runs the PPO passes; returns mean policy loss, value loss, entropy, kl, clip fraction, grad norm. */
    private double[] update(double lr) {
        for (int i = 0; i < cap; i++) {
            perm[i] = i;
        }
        int mb = Math.min(s.minibatchSize(), cap);
        double clip = s.clipEpsilon();
        double vc = s.valueLossCoeff();
        double ec = s.entropyCoef();
        double sumPolicy = 0;
        double sumValue = 0;
        double sumEntropy = 0;
        double sumKl = 0;
        double sumClip = 0;
        double sumNorm = 0;
        int updates = 0;
        float[] theta = net.params();
        float[] grad = net.grads();
        for (int epoch = 0; epoch < s.ppoEpochs(); epoch++) {
            shuffle(perm, cap, rng);
            for (int start = 0; start < cap; start += mb) {
                int b = Math.min(mb, cap - start);
                double inv = 1.0 / b;
                net.zeroGrad();
                double pl = 0;
                double vl = 0;
                double en = 0;
                double kl = 0;
                int clipped = 0;
                for (int k = 0; k < b; k++) {
                    int i = perm[start + k];
                    int nl = legOff[i + 1] - legOff[i];
                    net.forward(ws, featIdx, featVal, featOff[i], featOff[i + 1] - featOff[i], codes, legOff[i], nl);
                    float gv = loss.compute(ws.logits, nl, chosen[i], oldLogProb[i], advantages[i], returns[i],
                            ws.value, clip, vc, ec, inv, ws.probs, ws.gLogits);
                    net.backward(ws, ws.gLogits, gv);
                    pl += loss.policyLoss;
                    vl += loss.valueLoss;
                    en += loss.entropy;
                    kl += oldLogProb[i] - loss.logProb;
                    if (loss.clipped) {
                        clipped++;
                    }
                }
                double norm = Adam.globalNorm(grad);
                adam.step(theta, grad, Adam.clipScale(norm, s.gradientClipMaxNorm()), lr, s.weightDecay());
                sumPolicy += pl * inv;
                sumValue += vl * inv;
                sumEntropy += en * inv;
                sumKl += kl * inv;
                sumClip += clipped * inv;
                sumNorm += norm;
                updates++;
            }
        }
        double u = Math.max(1, updates);
        return new double[] {sumPolicy / u, sumValue / u, sumEntropy / u, sumKl / u, sumClip / u, sumNorm / u};
    }

    private static void shuffle(int[] a, int n, Rng r) {
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    // ---- games and episode statistics ---------------------------------------------------------

    private void startGame() {
        game = new Game(Position.startpos(), s.maxMovesPerGame());
        gamesStarted++;
        gameId = "selfplay-" + gamesStarted;
        designatedMoves.clear();
        designated = listener != null;
        if (designated) {
            call(0, null);
        }
    }

    private void notifyListener(int move, GameResult r) {
        if (listener == null) {
            designated = false;
            return;
        }
        designatedMoves.add(Usi.format(move));
        call(game.moveCount(), r.isOver() ? r.outcome().name() + ":" + r.reason().name() : null);
    }

    private void call(int ply, String result) {
        GameListener l = listener;
        if (l == null) {
            return;
        }
        String last = designatedMoves.isEmpty() ? null : designatedMoves.get(designatedMoves.size() - 1);
        try {
            l.onMove(gameId, ply, game.position().toSfen(), last, List.copyOf(designatedMoves), result);
        } catch (RuntimeException e) {
            // a UI problem must never stop training
        }
    }

    private void recordEpisode(GameResult r, int length) {
        episodesCompleted++;
        byte o;
        switch (r.outcome()) {
            case BLACK_WIN -> {
                blackWins++;
                o = 0;
            }
            case WHITE_WIN -> {
                whiteWins++;
                o = 1;
            }
            default -> {
                draws++;
                o = 2;
            }
        }
        windowOutcome[windowHead] = o;
        windowLength[windowHead] = length;
        windowHead = (windowHead + 1) % WINDOW;
        windowCount = Math.min(WINDOW, windowCount + 1);
    }

    private void putWindowMetrics(Map<String, Double> m) {
        int n = windowCount;
        int b = 0;
        int w = 0;
        int d = 0;
        long len = 0;
        for (int i = 0; i < n; i++) {
            switch (windowOutcome[i]) {
                case 0 -> b++;
                case 1 -> w++;
                default -> d++;
            }
            len += windowLength[i];
        }
        double inv = n == 0 ? 0.0 : 1.0 / n;
        m.put(MetricNames.EPISODE_REWARD_MEAN, (b - w) * inv);
        m.put(MetricNames.EPISODE_LENGTH_MEAN, len * inv);
        m.put(MetricNames.BLACK_WIN_RATE, b * inv);
        m.put(MetricNames.WHITE_WIN_RATE, w * inv);
        m.put(MetricNames.DRAW_RATE, d * inv);
    }

    /** Cumulative self-play results: black wins, white wins, draws. */
    public long[] cumulativeResults() {
        return new long[] {blackWins, whiteWins, draws};
    }

    // ---- inference ----------------------------------------------------------------------------

    /** Runs the model on {@code pos} with its legal moves {@code legal}; logits land in ws.logits. */
    private void forwardOne(Position pos, MoveList legal) {
        int nf = Features.encode(pos, oneIdx, oneVal, 0);
        int nl = legal.size();
        if (oneCodes.length < nl) {
            oneCodes = new int[Math.max(nl, oneCodes.length * 2)];
        }
        Features.encodeMoves(legal, pos.sideToMove(), oneCodes, 0);
        net.forward(ws, oneIdx, oneVal, 0, nf, oneCodes, 0, nl);
    }

    /** The value head on {@code pos}, from its side to move's point of view (0 if it has no legal move). */
    public float valueOf(Position pos) {
        MoveList legal = new MoveList();
        pos.legalMoves(legal);
        forwardOne(pos, legal);
        return ws.value;
    }

    /** Policy probabilities of {@code legal} (the legal moves of {@code pos}), in list order. */
    public double[] moveProbabilities(Position pos, MoveList legal) {
        forwardOne(pos, legal);
        double[] p = new double[legal.size()];
        PpoLoss.softmax(ws.logits, legal.size(), p);
        return p;
    }

    /**
     * The policy as a distribution over all {@link ActionSpace#SIZE} indices: the softmax over the
     * legal moves placed at their indices, exactly 0 everywhere else.
     */
    public double[] actionProbabilities(Position pos) {
        MoveList legal = new MoveList();
        pos.legalMoves(legal);
        double[] probs = moveProbabilities(pos, legal);
        double[] out = new double[ActionSpace.SIZE];
        for (int j = 0; j < legal.size(); j++) {
            out[ActionSpace.indexOf(legal.get(j), pos.sideToMove())] = probs[j];
        }
        return out;
    }

    /** The move the policy picks: the most probable one if {@code greedy}, else a sample. */
    public int chooseMove(Position pos, MoveList legal, boolean greedy, Rng r) {
        forwardOne(pos, legal);
        int n = legal.size();
        if (greedy) {
            int best = 0;
            for (int j = 1; j < n; j++) {
                if (ws.logits[j] > ws.logits[best]) {
                    best = j;
                }
            }
            return legal.get(best);
        }
        return legal.get(sample(ws.logits, n, PpoLoss.logSumExp(ws.logits, n), r));
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
        if (games < 0) {
            throw new IllegalArgumentException("games must be >= 0");
        }
        Rng r = new Rng(Rng.mix(s.seed(), 0x5EED0000L + globalStep));
        int wins = 0;
        int losses = 0;
        int drawn = 0;
        for (int g = 0; g < games; g++) {
            int me = (g & 1) == 0 ? Piece.BLACK : Piece.WHITE;
            Game eg = new Game(Position.startpos(), s.maxMovesPerGame());
            while (!eg.isOver()) {
                MoveList legal = eg.legalMoves();
                int move;
                if (eg.position().sideToMove() == me) {
                    move = chooseMove(eg.position(), legal, greedy, r);
                } else {
                    move = legal.get(r.nextInt(legal.size()));
                }
                eg.play(move);
            }
            int winner = eg.result().winner();
            if (winner < 0) {
                drawn++;
            } else if (winner == me) {
                wins++;
            } else {
                losses++;
            }
        }
        return EvalReport.of(wins, losses, drawn);
    }

    // ---- state --------------------------------------------------------------------------------

    /**
     * Writes everything needed to continue exactly: a header (magic {@code KSLN}, version, the
     * feature/action/kind sizes and towerWidth/towerDepth), the model weights, Adam's moments and
     * step count, the counters, the episode window, the random state and the moves of the
     * self-play game in progress, then an end marker. Big-endian, via {@link DataOutputStream}.
     */
    public void writeState(DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(Features.COUNT);
        out.writeInt(ActionSpace.SIZE);
        out.writeInt(Features.MOVED_KINDS);
        out.writeInt(Features.CAPTURED_KINDS);
        out.writeInt(Features.PROMO_KINDS);
        out.writeInt(net.width);
        out.writeInt(net.depth);
        out.writeInt(net.size());
        net.writeParams(out);
        adam.write(out);
        out.writeLong(globalStep);
        out.writeLong(updatesDone);
        out.writeLong(episodesCompleted);
        out.writeLong(blackWins);
        out.writeLong(whiteWins);
        out.writeLong(draws);
        out.writeLong(gamesStarted);
        out.writeInt(windowCount);
        out.writeInt(windowHead);
        out.write(windowOutcome);
        for (int len : windowLength) {
            out.writeInt(len);
        }
        out.writeLong(rng.state());
        int[] moves = game.moves();
        out.writeInt(moves.length);
        for (int mv : moves) {
            out.writeInt(mv);
        }
        out.writeInt(END_MAGIC);
        out.flush();
    }

    /**
     * Restores a learner written by {@link #writeState}. The settings supply the hyper-parameters
     * (they may differ from the saved run's, e.g. a new learning rate), but the architecture must
     * match: a different towerWidth/towerDepth throws {@link IllegalArgumentException}; a stream
     * that is not a learner state, of an unsupported version, of a different feature encoding or
     * action space, truncated or corrupt throws {@link IOException} saying which.
     */
    public static SelfPlayLearner readState(DataInputStream in, LearnerSettings s) throws IOException {
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IOException(String.format("not a learner state: bad magic 0x%08X (expected 0x%08X)", magic, MAGIC));
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("unsupported learner state version " + version + " (this build reads " + VERSION + ")");
        }
        expect(in.readInt(), Features.COUNT, "feature count");
        expect(in.readInt(), ActionSpace.SIZE, "action space size");
        expect(in.readInt(), Features.MOVED_KINDS, "moved-piece kinds");
        expect(in.readInt(), Features.CAPTURED_KINDS, "captured-piece kinds");
        expect(in.readInt(), Features.PROMO_KINDS, "promotion kinds");
        int width = in.readInt();
        int depth = in.readInt();
        if (width != s.towerWidth() || depth != s.towerDepth()) {
            throw new IllegalArgumentException("learner state has towerWidth=" + width + ", towerDepth=" + depth
                    + " but the settings ask for towerWidth=" + s.towerWidth() + ", towerDepth=" + s.towerDepth());
        }
        SelfPlayLearner l = new SelfPlayLearner(s, false);
        expect(in.readInt(), l.net.size(), "parameter count");
        l.net.readParams(in);
        l.adam.read(in);
        l.globalStep = nonNegative(in.readLong(), "global step");
        l.updatesDone = nonNegative(in.readLong(), "update count");
        l.episodesCompleted = nonNegative(in.readLong(), "episodes completed");
        l.blackWins = nonNegative(in.readLong(), "black wins");
        l.whiteWins = nonNegative(in.readLong(), "white wins");
        l.draws = nonNegative(in.readLong(), "draws");
        l.gamesStarted = nonNegative(in.readLong(), "games started");
        l.windowCount = in.readInt();
        l.windowHead = in.readInt();
        if (l.windowCount < 0 || l.windowCount > WINDOW || l.windowHead < 0 || l.windowHead >= WINDOW) {
            throw new IOException("learner state: corrupt episode window");
        }
        in.readFully(l.windowOutcome);
        for (int i = 0; i < WINDOW; i++) {
            l.windowLength[i] = in.readInt();
            if (l.windowOutcome[i] < 0 || l.windowOutcome[i] > 2 || l.windowLength[i] < 0) {
                throw new IOException("learner state: corrupt episode window");
            }
        }
        l.rng.setState(in.readLong());
        int n = in.readInt();
        if (n < 0 || n > 1_000_000) {
            throw new IOException("learner state: bad move count " + n);
        }
        int[] moves = new int[n];
        for (int i = 0; i < n; i++) {
            moves[i] = in.readInt();
        }
        if (in.readInt() != END_MAGIC) {
            throw new IOException("learner state: missing end marker (truncated or corrupt)");
        }
        l.resumeGame(moves);
        return l;
    }

    /** Replays the saved game in progress; if the (new) move limit ends it, starts a fresh game instead. */
    private void resumeGame(int[] moves) throws IOException {
        Game g = new Game(Position.startpos(), s.maxMovesPerGame());
        try {
            for (int mv : moves) {
                if (g.isOver()) {
                    break;
                }
                g.play(mv);
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("learner state: the saved game in progress is not legal: " + e.getMessage(), e);
        }
        if (g.isOver()) {
            startGame();
        } else {
            game = g;
            gameId = "selfplay-" + gamesStarted;
            designated = false; // a listener set later starts with the next game
        }
    }

    private static void expect(int found, int expected, String what) throws IOException {
        if (found != expected) {
            throw new IOException("learner state has " + what + " " + found + ", this build uses " + expected);
        }
    }

    private static long nonNegative(long v, String what) throws IOException {
        if (v < 0) {
            throw new IOException("learner state: negative " + what);
        }
        return v;
    }
}
