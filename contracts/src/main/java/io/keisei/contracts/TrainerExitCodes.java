package io.keisei.contracts;

/**
 * How a trainer process ends. training-service maps these codes to session states, so the built-in
 * trainer, the Keisei bridge and any custom trainer must exit with them.
 */
public final class TrainerExitCodes {

    /** Finished total_timesteps, or stopped on request after a final checkpoint. */
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

    private TrainerExitCodes() {
    }
}
