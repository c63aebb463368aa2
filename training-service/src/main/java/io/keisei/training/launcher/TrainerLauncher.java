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

    /** Starts an evaluation match; the handle ends when it does, its result in {@link MatchLaunch#resultFile()}. */
    TrainerHandle launchMatch(MatchLaunch match) throws IOException;

    /** The match of a stored handle id if it is still known and belongs to that evaluation (after a restart). */
    Optional<TrainerHandle> reattachMatch(String handleId, String evaluationId);
}
