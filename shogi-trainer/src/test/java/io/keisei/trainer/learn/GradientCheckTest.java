package io.keisei.trainer.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Finite-difference checks of {@link PolicyValueNet#backward} composed with {@link PpoLoss}: the
 * analytic gradient of the full minibatch PPO loss is compared, block by block (every layer of the
 * trunk and every head table), with central differences of the loss recomputed from scratch.
 */
class GradientCheckTest {
    static final int FEATURES = 30;
    static final int ACTIONS = 40;

    /** A synthetic minibatch: sparse features, legal move codes, the taken move and PPO targets. */
    static final class Batch {
        final List<int[]> fIdx = new ArrayList<>();
        final List<float[]> fVal = new ArrayList<>();
        final List<int[]> codes = new ArrayList<>();
        final List<Integer> chosen = new ArrayList<>();
        final List<Double> oldLogp = new ArrayList<>();
        final List<Double> adv = new ArrayList<>();
        final List<Double> ret = new ArrayList<>();

        int size() {
            return chosen.size();
        }
    }

    static Batch batch(Rng r, PolicyValueNet net, int n) {
        Batch b = new Batch();
        PolicyValueNet.Workspace ws = net.newWorkspace();
        for (int i = 0; i < n; i++) {
            int nf = 3 + r.nextInt(6);
            int[] idx = new int[nf];
            float[] val = new float[nf];
            int used = 0;
            while (used < nf) {
                int f = r.nextInt(FEATURES);
                boolean dup = false;
                for (int k = 0; k < used; k++) {
                    dup |= idx[k] == f;
                }
                if (!dup) {
                    idx[used] = f;
                    val[used] = r.nextDouble() < 0.7 ? 1f : (float) r.nextDouble();
                    used++;
                }
            }
            int nl = 2 + r.nextInt(6);
            int[] codes = new int[nl];
            for (int j = 0; j < nl; j++) {
                // distinct actions; kinds drawn freely (shared kinds exercise the accumulation)
                codes[j] = Features.code((i * 7 + j * 3) % ACTIONS, r.nextInt(Features.MOVED_KINDS),
                        r.nextInt(Features.CAPTURED_KINDS), r.nextInt(2));
            }
            int chosen = r.nextInt(nl);
            net.forward(ws, idx, val, 0, nf, codes, 0, nl);
            double logp = ws.logits[chosen] - PpoLoss.logSumExp(ws.logits, nl);
            // ratios well inside and well outside [0.8, 1.2], positive and negative advantages
            double[] shifts = {0.0, 0.05, -0.05, Math.log(2.0), Math.log(0.5)};
            b.fIdx.add(idx);
            b.fVal.add(val);
            b.codes.add(codes);
            b.chosen.add(chosen);
            b.oldLogp.add(logp - shifts[i % shifts.length]);
            b.adv.add((i % 2 == 0 ? 1 : -1) * (0.3 + r.nextDouble()));
            b.ret.add(2 * r.nextDouble() - 1);
        }
        return b;
    }

    /** Minibatch loss in double; with {@code accumulate}, also the analytic gradient into net.grads(). */
    static double loss(PolicyValueNet net, Batch b, double vc, double ec, boolean accumulate) {
        PolicyValueNet.Workspace ws = net.newWorkspace();
        PpoLoss l = new PpoLoss();
        double inv = 1.0 / b.size();
        double total = 0;
        if (accumulate) {
            net.zeroGrad();
        }
        for (int i = 0; i < b.size(); i++) {
            int[] codes = b.codes.get(i);
            net.forward(ws, b.fIdx.get(i), b.fVal.get(i), 0, b.fIdx.get(i).length, codes, 0, codes.length);
            float gv = l.compute(ws.logits, codes.length, b.chosen.get(i), b.oldLogp.get(i), b.adv.get(i),
                    b.ret.get(i), ws.value, 0.2, vc, ec, inv, ws.probs, ws.gLogits);
            total += inv * (l.policyLoss + vc * l.valueLoss - ec * l.entropy);
            if (accumulate) {
                net.backward(ws, ws.gLogits, gv);
            }
        }
        return total;
    }

    static PolicyValueNet tinyNet(int depth, long seed) {
        PolicyValueNet net = new PolicyValueNet(FEATURES, ACTIONS, 6, depth);
        Rng r = new Rng(seed);
        net.initialize(r);
        // give every block non-trivial values so that no gradient path is zero by construction
        float[] t = net.params();
        for (int i = 0; i < t.length; i++) {
            t[i] += (float) (0.3 * r.nextGaussian());
        }
        return net;
    }

    /** Central difference of the loss in one parameter. */
    static double fd(PolicyValueNet net, Batch b, int p, double eps, double vc, double ec) {
        float[] t = net.params();
        float orig = t[p];
        t[p] = (float) (orig + eps);
        double up = loss(net, b, vc, ec, false);
        t[p] = (float) (orig - eps);
        double down = loss(net, b, vc, ec, false);
        double realEps = ((double) (float) (orig + eps) - (double) (float) (orig - eps)) / 2;
        t[p] = orig;
        return (up - down) / (2 * realEps);
    }

    void checkAllBlocks(int depth, long seed, double vc, double ec) {
        PolicyValueNet net = tinyNet(depth, seed);
        Batch b = batch(new Rng(seed + 1), net, 10);
        loss(net, b, vc, ec, true);
        float[] g = net.grads().clone();
        Rng pick = new Rng(seed + 2);
        int checkedBlocks = 0;
        for (PolicyValueNet.Block block : net.blocks()) {
            // the parameters of the block with the largest analytic gradients, plus random ones
            int best = -1;
            for (int k = 0; k < block.length(); k++) {
                int p = block.offset() + k;
                if (best < 0 || Math.abs(g[p]) > Math.abs(g[best])) {
                    best = p;
                }
            }
            List<Integer> params = new ArrayList<>();
            params.add(best);
            for (int k = 0; k < 6; k++) {
                params.add(block.offset() + pick.nextInt(block.length()));
            }
            boolean policyBlock = block.name().startsWith("policy");
            boolean valueBlock = block.name().startsWith("value");
            if ((vc == 0 && valueBlock) || (policyBlock && g[best] == 0 && vc > 0 && ec == 0)) {
                // the value head has no gradient when the value loss is off (and vice versa): check zeros
                for (int p : params) {
                    assertThat(g[p]).as(block.name()).isZero();
                    assertThat(Math.abs(fd(net, b, p, 1e-3, vc, ec))).as(block.name()).isLessThan(2e-4);
                }
                continue;
            }
            assertThat(Math.abs(g[best])).as("some gradient reaches " + block.name()).isGreaterThan(1e-4f);
            for (int p : params) {
                double numeric = fd(net, b, p, 1e-3, vc, ec);
                assertThat(numeric).as("%s param %d (analytic %s)", block.name(), p - block.offset(), g[p])
                        .isCloseTo(g[p], org.assertj.core.data.Offset.offset(3e-4 + 0.02 * Math.abs(g[p])));
            }
            checkedBlocks++;
        }
        assertThat(checkedBlocks).isGreaterThan(0);
    }

    @Test
    void fullPpoLossGradientMatchesFiniteDifferencesInEveryLayer() {
        checkAllBlocks(3, 11, 0.5, 0.01);
    }

    @Test
    void singleHiddenLayerNet() {
        checkAllBlocks(1, 21, 0.5, 0.01);
    }

    @Test
    void policyClipTermAlone() {
        checkAllBlocks(2, 31, 0.0, 0.0);
    }

    @Test
    void valueLossAlone() {
        PolicyValueNet net = tinyNet(2, 41);
        Batch b = batch(new Rng(42), net, 6);
        b.adv.replaceAll(a -> 0.0); // no policy gradient
        loss(net, b, 1.0, 0.0, true);
        float[] g = net.grads().clone();
        for (PolicyValueNet.Block block : net.blocks()) {
            for (int k = 0; k < Math.min(block.length(), 5); k++) {
                int p = block.offset() + (k * 7919) % block.length();
                double numeric = fd(net, b, p, 1e-3, 1.0, 0.0);
                if (block.name().startsWith("policy")) {
                    assertThat(g[p]).as(block.name()).isZero();
                }
                assertThat(numeric).as(block.name()).isCloseTo(g[p],
                        org.assertj.core.data.Offset.offset(3e-4 + 0.02 * Math.abs(g[p])));
            }
        }
    }

    @Test
    void entropyTermAlone() {
        PolicyValueNet net = tinyNet(2, 51);
        Batch b = batch(new Rng(52), net, 6);
        b.adv.replaceAll(a -> 0.0);
        loss(net, b, 0.0, 1.0, true);
        float[] g = net.grads().clone();
        int nonZero = 0;
        for (PolicyValueNet.Block block : net.blocks()) {
            for (int k = 0; k < Math.min(block.length(), 5); k++) {
                int p = block.offset() + (k * 7919) % block.length();
                double numeric = fd(net, b, p, 1e-3, 0.0, 1.0);
                assertThat(numeric).as(block.name()).isCloseTo(g[p],
                        org.assertj.core.data.Offset.offset(3e-4 + 0.02 * Math.abs(g[p])));
                if (Math.abs(g[p]) > 1e-3) {
                    nonZero++;
                }
            }
        }
        assertThat(nonZero).isGreaterThan(5);
    }

    /** The loss-level gradient (before the network): d loss / d logits and d loss / d value, in double. */
    @Test
    void ppoLossGradientWithRespectToLogitsAndValue() {
        Rng r = new Rng(7);
        PpoLoss l = new PpoLoss();
        double[] probs = new double[8];
        float[] g = new float[8];
        double[][] cases = {
            // shift of logp_old, advantage: inside the clip range, clipped, and the unclipped side
            {0.05, 1.3}, {0.05, -0.7}, {Math.log(2), 1.0}, {Math.log(2), -1.0}, {Math.log(0.5), 1.0},
            {Math.log(0.5), -1.0}};
        for (double[] c : cases) {
            int n = 6;
            float[] z = new float[n];
            for (int j = 0; j < n; j++) {
                z[j] = (float) r.nextGaussian();
            }
            int chosen = 2;
            double oldLogp = z[chosen] - PpoLoss.logSumExp(z, n) - c[0];
            float v = 0.3f;
            double ret = -0.4;
            double vc = 0.5;
            double ec = 0.01;
            double inv = 1.0 / 3;
            float gv = l.compute(z, n, chosen, oldLogp, c[1], ret, v, 0.2, vc, ec, inv, probs, g);
            float[] ga = g.clone();
            for (int j = 0; j < n; j++) {
                float orig = z[j];
                double eps = 1e-3;
                z[j] = (float) (orig + eps);
                double up = total(l, z, n, chosen, oldLogp, c[1], ret, v, vc, ec, inv, probs, g);
                z[j] = (float) (orig - eps);
                double down = total(l, z, n, chosen, oldLogp, c[1], ret, v, vc, ec, inv, probs, g);
                z[j] = orig;
                double realEps = ((double) (float) (orig + eps) - (double) (float) (orig - eps)) / 2;
                assertThat((up - down) / (2 * realEps)).as("logit %d case %s", j, java.util.Arrays.toString(c))
                        .isCloseTo(ga[j], org.assertj.core.data.Offset.offset(2e-5 + 1e-3 * Math.abs(ga[j])));
            }
            double eps = 1e-3;
            double up = total(l, z, n, chosen, oldLogp, c[1], ret, v + (float) eps, vc, ec, inv, probs, g);
            double down = total(l, z, n, chosen, oldLogp, c[1], ret, v - (float) eps, vc, ec, inv, probs, g);
            assertThat((up - down) / (2 * eps)).isCloseTo(gv, org.assertj.core.data.Offset.offset(1e-4));
        }
    }

    private static double total(PpoLoss l, float[] z, int n, int chosen, double oldLogp, double adv, double ret,
                                float v, double vc, double ec, double inv, double[] probs, float[] g) {
        l.compute(z, n, chosen, oldLogp, adv, ret, v, 0.2, vc, ec, inv, probs, g);
        return inv * (l.policyLoss + vc * l.valueLoss - ec * l.entropy);
    }

    @Test
    void clippedSamplesHaveNoPolicyGradientAndCountAsClipped() {
        PpoLoss l = new PpoLoss();
        float[] z = {0.1f, -0.3f, 0.7f};
        double[] probs = new double[3];
        float[] g = new float[3];
        double logp = z[0] - PpoLoss.logSumExp(z, 3);
        // ratio 2 with a positive advantage: clipped at 1.2, flat
        l.compute(z, 3, 0, logp - Math.log(2), 1.0, 0.0, 0f, 0.2, 0.0, 0.0, 1.0, probs, g);
        assertThat(l.clipped).isTrue();
        assertThat(l.ratio).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(l.policyLoss).isCloseTo(-1.2, org.assertj.core.data.Offset.offset(1e-6));
        for (float x : g) {
            assertThat(x == 0f).isTrue();
        }
        // ratio 1: loss -A, gradient -A (e_a - p)
        l.compute(z, 3, 0, logp, 1.0, 0.0, 0f, 0.2, 0.0, 0.0, 1.0, probs, g);
        assertThat(l.clipped).isFalse();
        assertThat(l.policyLoss).isCloseTo(-1.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat((double) g[0]).isCloseTo(-(1 - probs[0]), org.assertj.core.data.Offset.offset(1e-6));
        assertThat((double) g[1]).isCloseTo(probs[1], org.assertj.core.data.Offset.offset(1e-6));
    }
}
