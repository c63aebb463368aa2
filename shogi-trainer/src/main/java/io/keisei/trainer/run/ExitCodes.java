package io.keisei.trainer.run;

/**
 * Exit codes of {@code shogi-trainer train}. training-service maps them to session states, so
 * they are part of the protocol: change them only together with its supervisor.
 */
public final class ExitCodes {

    /** Finished total_timesteps, or stopped on request (after a final checkpoint). */
    public static final int OK = 0;
    /** Unexpected failure. */
    public static final int FAILED = 1;
    /** Bad arguments or an invalid config. */
    public static final int BAD_CONFIG = 2;
    /** The checkpoint to resume from is missing, corrupt or incompatible. */
    public static final int BAD_CHECKPOINT = 3;
    /** Redis could not be reached within the start-up retry window. */
    public static final int REDIS_UNAVAILABLE = 4;
    /** Paused on request: a checkpoint was written; resume starts a new attempt from it. */
    public static final int PAUSED = 10;

    private ExitCodes() {
    }
}
