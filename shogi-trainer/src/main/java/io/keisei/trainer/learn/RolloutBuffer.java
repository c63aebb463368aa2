package io.keisei.trainer.learn;

import io.keisei.trainer.shogi.MoveList;
import io.keisei.trainer.shogi.Position;

import java.util.Arrays;

/**
 * One epoch of self-play plies, one entry per ply, in flat arrays: the sparse features and the
 * legal-move codes of each position, the move taken, its log-probability and the value at the
 * time, the reward and game end, and after {@link #computeAdvantages} the GAE advantages and
 * returns. Positions are kept in encoded form so the PPO passes can re-run the model on them
 * without regenerating moves, and flat arrays keep a step's memory at about 1 KiB.
 */
final class RolloutBuffer {
    private final int capacity;
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

    RolloutBuffer(int capacity) {
        this.capacity = capacity;
        featOff = new int[capacity + 1];
        featIdx = new int[capacity * Features.MAX_ACTIVE];
        featVal = new float[capacity * Features.MAX_ACTIVE];
        legOff = new int[capacity + 1];
        // most positions have fewer than 128 legal moves; encode() grows the array for the rest
        codes = new int[capacity * 128];
        chosen = new int[capacity];
        oldLogProb = new double[capacity];
        values = new float[capacity];
        rewards = new float[capacity];
        dones = new boolean[capacity];
        advantages = new float[capacity];
        returns = new float[capacity];
    }

    int capacity() {
        return capacity;
    }

    /**
     * Stores the features and legal-move codes of ply {@code step}; plies are stored in order
     * from 0, each one's data following the previous one's.
     */
    void encode(int step, Position pos, MoveList legal) {
        int fo = featOff[step];
        featOff[step + 1] = fo + Features.encode(pos, featIdx, featVal, fo);
        int co = legOff[step];
        int nl = legal.size();
        if (codes.length < co + nl) {
            codes = Arrays.copyOf(codes, Math.max(co + nl, codes.length * 2));
        }
        Features.encodeMoves(legal, pos.sideToMove(), codes, co);
        legOff[step + 1] = co + nl;
    }

    /** Runs the model on stored ply {@code i}; the logits of its legal moves and its value land in {@code ws}. */
    void forward(int i, PolicyValueNet net, PolicyValueNet.Workspace ws) {
        net.forward(ws, featIdx, featVal, featOff[i], featOff[i + 1] - featOff[i], codes, legOff[i], legalCount(i));
    }

    int legalCount(int i) {
        return legOff[i + 1] - legOff[i];
    }

    void recordAction(int step, int move, double logProb, float value) {
        chosen[step] = move;
        oldLogProb[step] = logProb;
        values[step] = value;
    }

    void recordOutcome(int step, float reward, boolean done) {
        rewards[step] = reward;
        dones[step] = done;
    }

    /** Whether the last stored ply left a game unfinished, so its value must be bootstrapped. */
    boolean endsMidGame() {
        return !dones[capacity - 1];
    }

    /**
     * Fills the advantages and returns with negamax GAE; {@code lastValue} is the value of the
     * position after the last ply, from its mover's point of view (0 when that ply ended a game).
     */
    void computeAdvantages(float lastValue, LearnerSettings s) {
        Gae.compute(capacity, rewards, values, dones, lastValue, s.gamma(), s.lambdaGae(), advantages, returns);
        if (s.normalizeAdvantages()) {
            Gae.normalize(advantages, capacity);
        }
    }

    /** Index of the move taken at ply {@code i} among that ply's legal moves. */
    int chosen(int i) {
        return chosen[i];
    }

    double oldLogProb(int i) {
        return oldLogProb[i];
    }

    float advantage(int i) {
        return advantages[i];
    }

    float returnOf(int i) {
        return returns[i];
    }
}
