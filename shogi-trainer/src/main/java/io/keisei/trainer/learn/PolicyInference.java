package io.keisei.trainer.learn;

import io.keisei.trainer.shogi.ActionSpace;
import io.keisei.trainer.shogi.MoveList;
import io.keisei.trainer.shogi.Position;

/**
 * The model applied to one position at a time: its value, its move probabilities and the move it
 * picks. It borrows the learner's workspace rather than owning one, because the learner is
 * single-threaded and every caller reads the results before the next forward pass.
 */
final class PolicyInference {
    private final PolicyValueNet net;
    private final PolicyValueNet.Workspace ws;
    private final int[] featIdx = new int[Features.MAX_ACTIVE];
    private final float[] featVal = new float[Features.MAX_ACTIVE];
    private int[] codes = new int[600];

    PolicyInference(PolicyValueNet net, PolicyValueNet.Workspace ws) {
        this.net = net;
        this.ws = ws;
    }

    /** Samples an index with probability softmax(logits); inverse CDF on one uniform draw. */
    static int sample(float[] logits, int n, double logZ, Rng r) {
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

    float valueOf(Position pos) {
        MoveList legal = new MoveList();
        pos.legalMoves(legal);
        forward(pos, legal);
        return ws.value;
    }

    double[] moveProbabilities(Position pos, MoveList legal) {
        forward(pos, legal);
        double[] p = new double[legal.size()];
        PpoLoss.softmax(ws.logits, legal.size(), p);
        return p;
    }

    double[] actionProbabilities(Position pos) {
        MoveList legal = new MoveList();
        pos.legalMoves(legal);
        double[] probs = moveProbabilities(pos, legal);
        double[] out = new double[ActionSpace.SIZE];
        for (int j = 0; j < legal.size(); j++) {
            out[ActionSpace.indexOf(legal.get(j), pos.sideToMove())] = probs[j];
        }
        return out;
    }

    int chooseMove(Position pos, MoveList legal, boolean greedy, Rng r) {
        forward(pos, legal);
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

    /**
     * Like {@link #chooseMove} but sampling from softmax(logits / temperature); a temperature of 0
     * or less picks the most probable move. The value of {@code pos} is then in {@link #lastValue()}.
     */
    int chooseMove(Position pos, MoveList legal, double temperature, Rng r) {
        if (temperature <= 0) {
            return chooseMove(pos, legal, true, r);
        }
        forward(pos, legal);
        int n = legal.size();
        if (temperature != 1.0) {
            float inv = (float) (1.0 / temperature);
            for (int j = 0; j < n; j++) {
                ws.logits[j] *= inv;
            }
        }
        return legal.get(sample(ws.logits, n, PpoLoss.logSumExp(ws.logits, n), r));
    }

    /** The value head's output of the last forward pass: the side to move's expected result, -1..1. */
    float lastValue() {
        return ws.value;
    }

    private void forward(Position pos, MoveList legal) {
        int nf = Features.encode(pos, featIdx, featVal, 0);
        int nl = legal.size();
        if (codes.length < nl) {
            codes = new int[Math.max(nl, codes.length * 2)];
        }
        Features.encodeMoves(legal, pos.sideToMove(), codes, 0);
        net.forward(ws, featIdx, featVal, 0, nf, codes, 0, nl);
    }
}
