package io.keisei.training.service;

/** The exit codes of trainers that the supervisor interprets (see shogi-trainer's ExitCodes and the Keisei bridge). */
public final class TrainerExitCodes {

    /** Completed, or stopped on request after a checkpoint. */
    public static final int OK = 0;
    /** Paused on request after a checkpoint. */
    public static final int PAUSED = 10;

    private TrainerExitCodes() {
    }
}
