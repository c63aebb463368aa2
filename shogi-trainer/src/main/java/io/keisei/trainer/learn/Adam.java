package io.keisei.trainer.learn;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Adam with PyTorch's {@code torch.optim.Adam} semantics (betas 0.9/0.999, eps 1e-8, L2
 * {@code weight_decay} added to the gradient, eps added after the bias-corrected square root):
 * <pre>
 *   g  = scale * grad + wd * theta
 *   m  = b1 m + (1 - b1) g;     v = b2 v + (1 - b2) g^2;     t = t + 1
 *   theta -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 * {@code scale} carries the global-norm clipping factor so the gradient need not be rescaled first.
 */
public final class Adam {
    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;
    public static final double EPS = 1e-8;

    private final float[] m;
    private final float[] v;
    private long t;

    public Adam(int size) {
        m = new float[size];
        v = new float[size];
    }

    public long stepCount() {
        return t;
    }

    public float[] firstMoment() {
        return m;
    }

    public float[] secondMoment() {
        return v;
    }

    public void step(float[] theta, float[] grad, float scale, double lr, double weightDecay) {
        t++;
        double bc1 = 1.0 - Math.pow(BETA1, t);
        double bc2 = 1.0 - Math.pow(BETA2, t);
        final float stepSize = (float) (lr / bc1);
        final float invSqrtBc2 = (float) (1.0 / Math.sqrt(bc2));
        final float b1 = (float) BETA1;
        final float b2 = (float) BETA2;
        final float c1 = (float) (1.0 - BETA1);
        final float c2 = (float) (1.0 - BETA2);
        final float eps = (float) EPS;
        final float wd = (float) weightDecay;
        final int n = theta.length;
        for (int i = 0; i < n; i++) {
            float g = scale * grad[i] + wd * theta[i];
            float mi = b1 * m[i] + c1 * g;
            float vi = b2 * v[i] + c2 * g * g;
            m[i] = mi;
            v[i] = vi;
            theta[i] -= stepSize * mi / ((float) Math.sqrt(vi) * invSqrtBc2 + eps);
        }
    }

    /** Global L2 norm of a gradient array (accumulated in double). */
    public static double globalNorm(float[] grad) {
        double total = 0.0;
        final int n = grad.length;
        int i = 0;
        while (i < n) {
            int end = Math.min(n, i + 4096);
            float s0 = 0f;
            float s1 = 0f;
            for (; i + 1 < end; i += 2) {
                s0 += grad[i] * grad[i];
                s1 += grad[i + 1] * grad[i + 1];
            }
            for (; i < end; i++) {
                s0 += grad[i] * grad[i];
            }
            total += (double) s0 + s1;
        }
        return Math.sqrt(total);
    }

    /** PyTorch's clip_grad_norm_ factor: {@code min(1, maxNorm / (norm + 1e-6))}. */
    public static float clipScale(double norm, double maxNorm) {
        double c = maxNorm / (norm + 1e-6);
        return c < 1.0 ? (float) c : 1f;
    }

    void write(DataOutputStream out) throws IOException {
        out.writeLong(t);
        PolicyValueNet.writeFloats(out, m);
        PolicyValueNet.writeFloats(out, v);
    }

    void read(DataInputStream in) throws IOException {
        long steps = in.readLong();
        if (steps < 0) {
            throw new IOException("learner state: negative Adam step count " + steps);
        }
        t = steps;
        PolicyValueNet.readFloats(in, m);
        PolicyValueNet.readFloats(in, v);
        for (float x : v) {
            if (x < 0f) {
                throw new IOException("learner state: negative Adam second moment");
            }
        }
    }

    void reset() {
        Arrays.fill(m, 0f);
        Arrays.fill(v, 0f);
        t = 0;
    }
}
