package io.keisei.trainer.match;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.trainer.learn.LearnerSettings;
import io.keisei.trainer.learn.SelfPlayLearner;
import io.keisei.trainer.learn.TestModels;
import io.keisei.trainer.run.CheckpointFile;

import java.io.IOException;
import java.nio.file.Path;

/** Writes a small model's checkpoint the way TrainingRun does (header with the architecture, learner state). */
final class TinyCheckpoint {
    private TinyCheckpoint() {
    }

    static Path write(Path dir, int width, int depth, boolean trainOneEpoch) throws IOException {
        return write(dir, width, depth, trainOneEpoch, Float.NaN);
    }

    /** With a value head that says tanh(valueBias) everywhere, unless NaN. */
    static Path write(Path dir, int width, int depth, boolean trainOneEpoch, float valueBias) throws IOException {
        SelfPlayLearner learner = new SelfPlayLearner(LearnerSettings.defaults().withTower(width, depth)
                .withStepsPerEpoch(64).withMinibatchSize(32).withPpoEpochs(1).withSeed(5));
        if (trainOneEpoch) {
            learner.runEpoch();
        }
        if (!Float.isNaN(valueBias)) {
            TestModels.setValue(learner, valueBias);
        }
        ObjectNode header = new ObjectMapper().createObjectNode();
        header.put("session", "tiny");
        header.put("attempt", 1);
        ObjectNode arch = header.putObject("architecture");
        arch.put("model", "legal-move-scoring MLP over core46 features");
        arch.put("tower_width", width);
        arch.put("tower_depth", depth);
        return Path.of(CheckpointFile.write(dir, learner.globalStep(), header, learner::writeState).path());
    }
}
