package io.keisei.trainer.learn;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The policy/value model: an MLP trunk over the sparse {@link Features} encoding, a policy head
 * with one output row per {@link io.keisei.trainer.shogi.ActionSpace} index (13,527) of which only
 * the legal rows are ever evaluated, and a tanh value head.
 *
 * <pre>
 * trunk:  h1 = relu(W1 x + b1)                 W1: features x width (x is sparse: ~40-56 non-zeros)
 *         hl = relu(Ml h(l-1) + bl), l = 2..depth   Ml: width x width
 * policy: logit(move) = (P[a] + Em[moved] + Ec[captured] + Ep[promo]) . h  +  pb[a] + bm[moved] + bc[captured] + bp[promo]
 *         softmax over the legal moves only
 * value:  v = tanh(vw . h + vb), from the side to move's point of view
 * </pre>
 * The action embedding of a move is its row {@code P[a]} of the 13,527-row output layer plus a
 * small factorised embedding of what the move does (which piece moves or is dropped, what it
 * captures, whether it promotes; 38 rows in all). The factorised part lets what is learnt about
 * "capturing a rook" or "dropping a gold" transfer across the thousands of from/to rows, which is
 * what makes the model learn in minutes on a CPU; the per-index rows still give every action its
 * own parameters, as in Keisei's policy layer.
 *
 * <p>All parameters live in one flat {@code float[]} ({@link #params()}), gradients in another of
 * the same layout ({@link #grads()}), so the optimiser, clipping and serialisation are single loops.
 * Matrices are stored input-major (row {@code i} holds the weights from input {@code i} to all
 * outputs), so forward passes and gradient accumulation are contiguous axpy loops the JIT can
 * vectorise, and sparse inputs only touch their own rows. Not thread-safe: use one
 * {@link Workspace} per thread; {@link #backward} writes into the shared gradient array.
 */
public final class PolicyValueNet {
    public final int featureCount;
    public final int actionCount;
    public final int width;
    public final int depth;

    private final float[] theta;
    private final float[] grad;

    // parameter block offsets
    final int oW1;
    final int oB1;
    final int[] oM;
    final int[] oB;
    final int oP;
    final int oPB;
    final int oEM;
    final int oBM;
    final int oEC;
    final int oBC;
    final int oEP;
    final int oBP;
    final int oVW;
    final int oVB;

    /** A named slice of the parameter array, for tests, diagnostics and documentation. */
    public record Block(String name, int offset, int length) {
    }

    private final List<Block> blocks = new ArrayList<>();

    public PolicyValueNet(int featureCount, int actionCount, int width, int depth) {
        if (featureCount < 1 || actionCount < 1 || width < 1 || depth < 1) {
            throw new IllegalArgumentException("sizes must be positive");
        }
        this.featureCount = featureCount;
        this.actionCount = actionCount;
        this.width = width;
        this.depth = depth;
        int o = 0;
        oW1 = o;
        o = add("trunk.1.weight", o, (long) featureCount * width);
        oB1 = o;
        o = add("trunk.1.bias", o, width);
        oM = new int[depth];
        oB = new int[depth];
        for (int l = 1; l < depth; l++) {
            oM[l] = o;
            o = add("trunk." + (l + 1) + ".weight", o, (long) width * width);
            oB[l] = o;
            o = add("trunk." + (l + 1) + ".bias", o, width);
        }
        oP = o;
        o = add("policy.action_rows", o, (long) actionCount * width);
        oPB = o;
        o = add("policy.action_bias", o, actionCount);
        oEM = o;
        o = add("policy.moved_kind_rows", o, (long) Features.MOVED_KINDS * width);
        oBM = o;
        o = add("policy.moved_kind_bias", o, Features.MOVED_KINDS);
        oEC = o;
        o = add("policy.captured_kind_rows", o, (long) Features.CAPTURED_KINDS * width);
        oBC = o;
        o = add("policy.captured_kind_bias", o, Features.CAPTURED_KINDS);
        oEP = o;
        o = add("policy.promotion_rows", o, (long) Features.PROMO_KINDS * width);
        oBP = o;
        o = add("policy.promotion_bias", o, Features.PROMO_KINDS);
        oVW = o;
        o = add("value.weight", o, width);
        oVB = o;
        o = add("value.bias", o, 1);
        theta = new float[o];
        grad = new float[o];
    }

    private int add(String name, int offset, long length) {
        long end = offset + length;
        if (end > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("model too large: " + end + " parameters");
        }
        blocks.add(new Block(name, offset, (int) length));
        return (int) end;
    }

    /** Initialises the weights (He-style for the trunk, small for the heads, zero biases). */
    public void initialize(Rng rng) {
        Arrays.fill(theta, 0f);
        // x has ~40 active one-hots, so use that as the effective fan-in of the first layer.
        fillGaussian(rng, oW1, featureCount * width, Math.sqrt(2.0 / 40.0));
        for (int l = 1; l < depth; l++) {
            fillGaussian(rng, oM[l], width * width, Math.sqrt(2.0 / width));
        }
        fillGaussian(rng, oP, actionCount * width, 0.01);
        fillGaussian(rng, oVW, width, 0.01);
    }

    private void fillGaussian(Rng rng, int offset, int length, double std) {
        for (int i = 0; i < length; i++) {
            theta[offset + i] = (float) (rng.nextGaussian() * std);
        }
    }

    public List<Block> blocks() {
        return List.copyOf(blocks);
    }

    /** The flat parameter array (live; modify only through the optimiser or tests). */
    public float[] params() {
        return theta;
    }

    /** The flat gradient array, same layout as {@link #params()}. */
    public float[] grads() {
        return grad;
    }

    public int size() {
        return theta.length;
    }

    public void zeroGrad() {
        Arrays.fill(grad, 0f);
    }

    /** Per-thread activations and scratch space. */
    public static final class Workspace {
        final float[][] z;
        final float[][] h;
        final float[] dh;
        final float[] dz;
        final float[] sm = new float[Features.MOVED_KINDS];
        final float[] sc = new float[Features.CAPTURED_KINDS];
        final float[] sp = new float[Features.PROMO_KINDS];
        final float[] gm = new float[Features.MOVED_KINDS];
        final float[] gc = new float[Features.CAPTURED_KINDS];
        final float[] gp = new float[Features.PROMO_KINDS];
        /** Logits of the legal moves of the last forward pass, in move-list order. */
        public float[] logits = new float[600];
        /** Scratch for callers: probabilities or gradients per legal move. */
        public double[] probs = new double[600];
        public float[] gLogits = new float[600];
        /** tanh output of the value head of the last forward pass. */
        public float value;
        int nLegal;
        // inputs of the last forward pass, kept for backward
        int[] fIdx;
        float[] fVal;
        int fOff;
        int fCount;
        int[] codes;
        int cOff;

        public Workspace(PolicyValueNet net) {
            z = new float[net.depth][net.width];
            h = new float[net.depth][net.width];
            dh = new float[net.width];
            dz = new float[net.width];
        }

        void ensureLegal(int n) {
            if (logits.length < n) {
                int c = Math.max(n, logits.length * 2);
                logits = new float[c];
                probs = new double[c];
                gLogits = new float[c];
            }
        }

        /** Activations of the last hidden layer. */
        public float[] features() {
            return h[h.length - 1];
        }
    }

    public Workspace newWorkspace() {
        return new Workspace(this);
    }

    /**
     * Forward pass for one position: sparse features {@code fIdx/fVal[fOff .. fOff+fCount)} and the
     * packed move codes {@code codes[cOff .. cOff+nLegal)} of its legal moves. Leaves the legal
     * logits in {@code ws.logits[0 .. nLegal)} and the value in {@code ws.value}.
     */
    public void forward(Workspace ws, int[] fIdx, float[] fVal, int fOff, int fCount,
                        int[] codes, int cOff, int nLegal) {
        final int w = width;
        final float[] t = theta;
        ws.fIdx = fIdx;
        ws.fVal = fVal;
        ws.fOff = fOff;
        ws.fCount = fCount;
        ws.codes = codes;
        ws.cOff = cOff;
        ws.nLegal = nLegal;
        ws.ensureLegal(nLegal);

        // layer 1: sparse
        float[] z0 = ws.z[0];
        System.arraycopy(t, oB1, z0, 0, w);
        for (int i = 0; i < fCount; i++) {
            int f = fIdx[fOff + i];
            if (f < 0 || f >= featureCount) {
                throw new IllegalArgumentException("feature index out of range: " + f);
            }
            axpy(fVal[fOff + i], t, oW1 + f * w, z0, 0, w);
        }
        relu(z0, ws.h[0], w);
        // hidden layers
        for (int l = 1; l < depth; l++) {
            float[] zl = ws.z[l];
            float[] prev = ws.h[l - 1];
            System.arraycopy(t, oB[l], zl, 0, w);
            int base = oM[l];
            for (int i = 0; i < w; i++) {
                float a = prev[i];
                if (a != 0f) {
                    axpy(a, t, base + i * w, zl, 0, w);
                }
            }
            relu(zl, ws.h[l], w);
        }
        float[] hf = ws.h[depth - 1];
        // policy head
        for (int k = 0; k < Features.MOVED_KINDS; k++) {
            ws.sm[k] = dot(t, oEM + k * w, hf, w) + t[oBM + k];
        }
        for (int k = 0; k < Features.CAPTURED_KINDS; k++) {
            ws.sc[k] = dot(t, oEC + k * w, hf, w) + t[oBC + k];
        }
        for (int k = 0; k < Features.PROMO_KINDS; k++) {
            ws.sp[k] = dot(t, oEP + k * w, hf, w) + t[oBP + k];
        }
        float[] logits = ws.logits;
        for (int j = 0; j < nLegal; j++) {
            int c = codes[cOff + j];
            int a = Features.action(c);
            if (a >= actionCount) {
                throw new IllegalArgumentException("action index out of range: " + a);
            }
            logits[j] = dot(t, oP + a * w, hf, w) + t[oPB + a]
                    + ws.sm[Features.moved(c)] + ws.sc[Features.captured(c)] + ws.sp[Features.promo(c)];
        }
        // value head
        float pre = dot(t, oVW, hf, w) + t[oVB];
        ws.value = (float) Math.tanh(pre);
    }

    /**
     * Backward pass of the last {@link #forward} on {@code ws}: accumulates into {@link #grads()}
     * the gradient of a loss whose derivatives are {@code gLogits[0 .. nLegal)} with respect to the
     * legal logits and {@code gValue} with respect to the value (the tanh output).
     */
    public void backward(Workspace ws, float[] gLogits, float gValue) {
        final int w = width;
        final float[] t = theta;
        final float[] g = grad;
        final float[] hf = ws.h[depth - 1];
        final float[] dh = ws.dh;

        // value head
        float v = ws.value;
        float dpre = gValue * (1f - v * v);
        axpy(dpre, hf, 0, g, oVW, w);
        g[oVB] += dpre;
        for (int k = 0; k < w; k++) {
            dh[k] = dpre * t[oVW + k];
        }
        // policy head
        Arrays.fill(ws.gm, 0f);
        Arrays.fill(ws.gc, 0f);
        Arrays.fill(ws.gp, 0f);
        int[] codes = ws.codes;
        for (int j = 0; j < ws.nLegal; j++) {
            float gj = gLogits[j];
            if (gj == 0f) {
                continue;
            }
            int c = codes[ws.cOff + j];
            int a = Features.action(c);
            axpy(gj, hf, 0, g, oP + a * w, w);
            g[oPB + a] += gj;
            axpy(gj, t, oP + a * w, dh, 0, w);
            ws.gm[Features.moved(c)] += gj;
            ws.gc[Features.captured(c)] += gj;
            ws.gp[Features.promo(c)] += gj;
        }
        kindBackward(ws.gm, oEM, oBM, hf, dh);
        kindBackward(ws.gc, oEC, oBC, hf, dh);
        kindBackward(ws.gp, oEP, oBP, hf, dh);

        // trunk
        float[] dz = ws.dz;
        for (int l = depth - 1; l >= 0; l--) {
            float[] zl = ws.z[l];
            for (int k = 0; k < w; k++) {
                dz[k] = zl[k] > 0f ? dh[k] : 0f;
            }
            if (l > 0) {
                axpy(1f, dz, 0, g, oB[l], w);
                float[] prev = ws.h[l - 1];
                int base = oM[l];
                for (int i = 0; i < w; i++) {
                    float a = prev[i];
                    if (a != 0f) {
                        axpy(a, dz, 0, g, base + i * w, w);
                        dh[i] = dot(t, base + i * w, dz, w);
                    } else {
                        dh[i] = 0f; // relu'(z) = 0 there, so the value never matters
                    }
                }
            } else {
                axpy(1f, dz, 0, g, oB1, w);
                for (int i = 0; i < ws.fCount; i++) {
                    int f = ws.fIdx[ws.fOff + i];
                    axpy(ws.fVal[ws.fOff + i], dz, 0, g, oW1 + f * w, w);
                }
            }
        }
    }

    private void kindBackward(float[] gk, int oRows, int oBias, float[] hf, float[] dh) {
        final int w = width;
        for (int k = 0; k < gk.length; k++) {
            float gv = gk[k];
            if (gv == 0f) {
                continue;
            }
            axpy(gv, hf, 0, grad, oRows + k * w, w);
            grad[oBias + k] += gv;
            axpy(gv, theta, oRows + k * w, dh, 0, w);
        }
    }

    // ---- kernels ------------------------------------------------------------------------------

    /** y[yo + k] += a * x[xo + k] for k in [0, n). */
    static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        for (int k = 0; k < n; k++) {
            y[yo + k] += a * x[xo + k];
        }
    }

    /** x[xo ..] . y[0 ..] over n entries, with four accumulators for instruction-level parallelism. */
    static float dot(float[] x, int xo, float[] y, int n) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int k = 0;
        for (; k + 3 < n; k += 4) {
            s0 += x[xo + k] * y[k];
            s1 += x[xo + k + 1] * y[k + 1];
            s2 += x[xo + k + 2] * y[k + 2];
            s3 += x[xo + k + 3] * y[k + 3];
        }
        for (; k < n; k++) {
            s0 += x[xo + k] * y[k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static void relu(float[] z, float[] h, int n) {
        for (int k = 0; k < n; k++) {
            float v = z[k];
            h[k] = v > 0f ? v : 0f;
        }
    }

    // ---- serialisation ------------------------------------------------------------------------

    void writeParams(DataOutputStream out) throws IOException {
        writeFloats(out, theta);
    }

    void readParams(DataInputStream in) throws IOException {
        readFloats(in, theta);
    }

    /** Writes a float array as its length then big-endian IEEE floats, in 64 KiB chunks. */
    static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        out.writeInt(a.length);
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        int i = 0;
        while (i < a.length) {
            buf.clear();
            int n = Math.min(a.length - i, buf.capacity() / 4);
            buf.asFloatBuffer().put(a, i, n);
            out.write(buf.array(), 0, n * 4);
            i += n;
        }
    }

    /** Reads what {@link #writeFloats} wrote into {@code a}, which must have the stored length. */
    static void readFloats(DataInputStream in, float[] a) throws IOException {
        int len = in.readInt();
        if (len != a.length) {
            throw new IOException("learner state: expected " + a.length + " floats, found " + len);
        }
        byte[] bytes = new byte[1 << 16];
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        int i = 0;
        while (i < a.length) {
            int n = Math.min(a.length - i, bytes.length / 4);
            in.readFully(bytes, 0, n * 4);
            buf.clear();
            buf.asFloatBuffer().get(a, i, n);
            i += n;
        }
        for (float f : a) {
            if (!Float.isFinite(f)) {
                throw new IOException("learner state: non-finite value in a stored array");
            }
        }
    }
}
