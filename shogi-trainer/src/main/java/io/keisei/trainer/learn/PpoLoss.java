package io.keisei.trainer.learn;

/**
 * Keisei's PPO loss for one sample, with its gradient with respect to the legal logits and the value:
 * <pre>
 *   ratio  = exp(logp(a) - logp_old(a))
 *   policy = -min(ratio * A, clip(ratio, 1 - eps, 1 + eps) * A)
 *   value  = (v - R)^2
 *   loss   = policy + c_v * value - c_e * H(pi),   H = -sum p log p over the legal moves
 * </pre>
 * A minibatch loss is the mean of per-sample losses, so per-sample gradients are scaled by
 * {@code 1 / batchSize}. Gradients of the softmax: {@code d logp(a) / d z_j = [j = a] - p_j} and
 * {@code d H / d z_j = -p_j (log p_j + H)}. When the clipped branch is the active minimum the
 * policy term is constant in the logits (its gradient is 0), as with PyTorch's {@code torch.min}
 * of a clamped tensor.
 */
public final class PpoLoss {
    /** Per-sample statistics of the last {@link #compute} call. */
    public double policyLoss;
    public double valueLoss;
    public double entropy;
    public double logProb;
    public double ratio;
    public boolean clipped;

    /**
     * Computes the loss terms and writes {@code dLoss/dz_j * } into {@code gLogits[0..n)}; returns dLoss/dv.
     * {@code logits} are the n legal logits, {@code chosen} the index of the taken move among them,
     * {@code probs} is scratch of length >= n.
     */
    public float compute(float[] logits, int n, int chosen, double oldLogProb, double advantage, double ret,
                         float value, double clipEps, double valueCoef, double entropyCoef, double invBatch,
                         double[] probs, float[] gLogits) {
        double logZ = logSumExp(logits, n);
        double h = 0.0;
        for (int j = 0; j < n; j++) {
            double lp = logits[j] - logZ;
            double p = Math.exp(lp);
            probs[j] = p;
            h -= p * lp;
        }
        double lpa = logits[chosen] - logZ;
        double r = Math.exp(lpa - oldLogProb);
        double surr1 = r * advantage;
        double rc = Math.min(Math.max(r, 1.0 - clipEps), 1.0 + clipEps);
        double surr2 = rc * advantage;
        double dLdLogp;
        if (surr1 <= surr2) {
            policyLoss = -surr1;
            dLdLogp = -advantage * r;
        } else {
            policyLoss = -surr2;
            dLdLogp = 0.0; // clamp is flat outside [1 - eps, 1 + eps]; inside, surr1 == surr2
        }
        double dv = value - ret;
        valueLoss = dv * dv;
        entropy = h;
        logProb = lpa;
        ratio = r;
        clipped = Math.abs(r - 1.0) > clipEps;
        for (int j = 0; j < n; j++) {
            double p = probs[j];
            double lp = logits[j] - logZ;
            double gPolicy = dLdLogp * ((j == chosen ? 1.0 : 0.0) - p);
            double gEntropy = entropyCoef * p * (lp + h);
            gLogits[j] = (float) (invBatch * (gPolicy + gEntropy));
        }
        return (float) (invBatch * valueCoef * 2.0 * dv);
    }

    public static double logSumExp(float[] logits, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            if (logits[j] > max) {
                max = logits[j];
            }
        }
        double s = 0.0;
        for (int j = 0; j < n; j++) {
            s += Math.exp(logits[j] - (double) max);
        }
        return max + Math.log(s);
    }

    /** Softmax of {@code logits[0..n)} into {@code probs}, in double. */
    public static void softmax(float[] logits, int n, double[] probs) {
        double logZ = logSumExp(logits, n);
        for (int j = 0; j < n; j++) {
            probs[j] = Math.exp(logits[j] - logZ);
        }
    }
}
