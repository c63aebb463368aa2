package io.keisei.trainer.learn;

/** Reaches into a learner's model for tests in other packages. */
public final class TestModels {
    private TestModels() {
    }

    /** Makes the value head output tanh(bias) on every position (weights 0), e.g. -20 for a model sure it is lost. */
    public static void setValue(SelfPlayLearner learner, float bias) {
        PolicyValueNet net = learner.net();
        for (PolicyValueNet.Block b : net.blocks()) {
            if (b.name().equals("value.weight")) {
                java.util.Arrays.fill(net.params(), b.offset(), b.offset() + b.length(), 0f);
            } else if (b.name().equals("value.bias")) {
                net.params()[b.offset()] = bias;
            }
        }
    }
}
