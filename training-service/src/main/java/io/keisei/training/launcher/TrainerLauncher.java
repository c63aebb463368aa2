package io.keisei.training.launcher;

import java.io.IOException;
import java.util.Optional;

/** Starts trainers and finds them again after a restart. */
public interface TrainerLauncher {

    /** A short name stored with each attempt ("process", "kubernetes"). */
    String kind();

    TrainerHandle launch(LaunchRequest request) throws IOException;

    /** The trainer of a stored handle id if it still runs and belongs to that session and attempt. */
    Optional<TrainerHandle> reattach(String handleId, String session, int attempt);
}
