package io.keisei.trainer.learn;

import io.keisei.trainer.shogi.MoveList;
import io.keisei.trainer.shogi.Position;

import java.io.DataInputStream;
import java.io.IOException;

/**
 * A trained model as a move chooser, for players outside the learner (the {@code match} command).
 * The weights are read once from a learner state ({@link SelfPlayLearner#writeState}) and are
 * read-only from then on, so any number of {@link Chooser}s (one per thread: each owns its
 * activations) can share them.
 */
public final class NetworkPolicy {
    private final PolicyValueNet net;

    private NetworkPolicy(PolicyValueNet net) {
        this.net = net;
    }

    /**
     * Reads the model of a learner state of the given architecture (a checkpoint's header says which).
     *
     * @throws IOException              if the stream is not a learner state of this build (see
     *                                  {@link SelfPlayLearner#readState})
     * @throws IllegalArgumentException if the architecture does not match the state or is out of range
     */
    public static NetworkPolicy read(DataInputStream learnerState, int towerWidth, int towerDepth) throws IOException {
        LearnerSettings s = LearnerSettings.defaults().withTower(towerWidth, towerDepth);
        return new NetworkPolicy(SelfPlayLearner.readState(learnerState, s).net());
    }

    public int width() {
        return net.width;
    }

    public int depth() {
        return net.depth;
    }

    /** Number of parameters. */
    public int size() {
        return net.size();
    }

    /** A move chooser with its own activations; use one per thread. */
    public Chooser newChooser() {
        return new Chooser(new PolicyInference(net, net.newWorkspace()));
    }

    /** Picks moves with the model; not thread-safe. */
    public static final class Chooser {
        private final PolicyInference inference;

        private Chooser(PolicyInference inference) {
            this.inference = inference;
        }

        /**
         * A legal move of {@code pos} ({@code legal} are its legal moves, not empty): the most
         * probable one when {@code temperature <= 0}, else a sample from softmax(logits / temperature)
         * drawn with {@code rng}. Afterwards {@link #lastValue()} holds the model's value of {@code pos}.
         */
        public int choose(Position pos, MoveList legal, double temperature, Rng rng) {
            return inference.chooseMove(pos, legal, temperature, rng);
        }

        /** The value head's estimate of the position of the last {@link #choose}, for its side to move, in -1..1. */
        public float lastValue() {
            return inference.lastValue();
        }
    }
}
