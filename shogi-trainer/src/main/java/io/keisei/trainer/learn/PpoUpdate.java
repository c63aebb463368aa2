package io.keisei.trainer.learn;

/**
 * One PPO update over a filled {@link RolloutBuffer}: {@code ppoEpochs} passes over the plies in
 * a fresh random order, split into minibatches, each minibatch one Adam step on the mean clipped
 * PPO loss ({@link PpoLoss}) with global-norm gradient clipping.
 */
final class PpoUpdate {
    /** Means over the minibatch steps of one update: the {@code ppo/*} metrics of the epoch. */
    record Result(double policyLoss, double valueLoss, double entropy, double kl, double clipFraction,
                  double gradientNorm) {
    }

    private final LearnerSettings s;
    private final PolicyValueNet net;
    private final Adam adam;
    private final PolicyValueNet.Workspace ws;
    private final PpoLoss loss = new PpoLoss();
    private final int[] perm;

    PpoUpdate(LearnerSettings s, PolicyValueNet net, Adam adam, PolicyValueNet.Workspace ws, int capacity) {
        this.s = s;
        this.net = net;
        this.adam = adam;
        this.ws = ws;
        this.perm = new int[capacity];
    }

    /** Runs the update at learning rate {@code lr}, drawing the minibatch order from {@code rng}. */
    Result run(RolloutBuffer rollout, double lr, Rng rng) {
        int n = rollout.capacity();
        // the order is not part of the saved state: starting each update from the identity makes it
        // depend on the random stream alone, so a resumed learner draws the same minibatches
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        int mb = Math.min(s.minibatchSize(), n);
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
            shuffle(perm, n, rng);
            for (int start = 0; start < n; start += mb) {
                int b = Math.min(mb, n - start);
                double inv = 1.0 / b;
                net.zeroGrad();
                double pl = 0;
                double vl = 0;
                double en = 0;
                double kl = 0;
                int clipped = 0;
                for (int k = 0; k < b; k++) {
                    int i = perm[start + k];
                    rollout.forward(i, net, ws);
                    float gv = loss.compute(ws.logits, rollout.legalCount(i), rollout.chosen(i), rollout.oldLogProb(i),
                            rollout.advantage(i), rollout.returnOf(i), ws.value, clip, vc, ec, inv, ws.probs, ws.gLogits);
                    net.backward(ws, ws.gLogits, gv);
                    pl += loss.policyLoss;
                    vl += loss.valueLoss;
                    en += loss.entropy;
                    kl += rollout.oldLogProb(i) - loss.logProb;
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
        return new Result(sumPolicy / u, sumValue / u, sumEntropy / u, sumKl / u, sumClip / u, sumNorm / u);
    }

    private static void shuffle(int[] a, int n, Rng r) {
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
