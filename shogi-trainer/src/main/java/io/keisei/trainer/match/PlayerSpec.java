package io.keisei.trainer.match;

import com.fasterxml.jackson.databind.JsonNode;
import io.keisei.trainer.learn.NetworkPolicy;
import io.keisei.trainer.run.CheckpointFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * A player named on the command line, and a factory of fresh instances of it (one per thread):
 * <ul>
 *   <li>{@code random}: uniform over the legal moves;</li>
 *   <li>{@code baseline[:D]}: {@link BaselinePlayer}, D plies (default {@value #DEFAULT_BASELINE_DEPTH});</li>
 *   <li>{@code checkpoint:PATH}: the model of a built-in trainer checkpoint, in the architecture its
 *       header describes; read once, shared by all instances.</li>
 * </ul>
 */
public record PlayerSpec(String text, Supplier<Player> factory) {

    public static final int DEFAULT_BASELINE_DEPTH = 2;

    /** A player text that names no player; the message is one line for the user. */
    public static class BadSpecException extends Exception {
        public BadSpecException(String message) {
            super(message);
        }
    }

    /** Options that apply to every network player. */
    public record NetworkOptions(double temperature, double resignThreshold) {
        public static final NetworkOptions GREEDY = new NetworkOptions(0, Double.NaN);
    }

    public Player newPlayer() {
        return factory.get();
    }

    /**
     * Parses a player text; reads a checkpoint's model at once.
     *
     * @throws BadSpecException                   for an unknown player or a bad depth
     * @throws CheckpointFile.CheckpointException for a checkpoint that cannot be used
     */
    public static PlayerSpec parse(String text, NetworkOptions options)
            throws BadSpecException, CheckpointFile.CheckpointException {
        String t = text == null ? "" : text.trim();
        if (t.equals("random")) {
            return new PlayerSpec(t, RandomPlayer::new);
        }
        if (t.equals("baseline") || t.startsWith("baseline:")) {
            int depth = DEFAULT_BASELINE_DEPTH;
            if (t.length() > "baseline".length()) {
                String d = t.substring("baseline:".length());
                try {
                    depth = Integer.parseInt(d);
                } catch (NumberFormatException e) {
                    throw new BadSpecException("baseline depth must be a number, was '" + d + "'");
                }
            }
            if (depth < 1 || depth > BaselinePlayer.MAX_DEPTH) {
                throw new BadSpecException("baseline depth must be 1.." + BaselinePlayer.MAX_DEPTH + ", was " + depth);
            }
            int plies = depth;
            return new PlayerSpec("baseline:" + depth, () -> new BaselinePlayer(plies));
        }
        if (t.startsWith("checkpoint:") && t.length() > "checkpoint:".length()) {
            Path file = Path.of(t.substring("checkpoint:".length()));
            NetworkPolicy policy = load(file);
            return new PlayerSpec(t, () -> new NetworkPlayer(policy.newChooser(), options.temperature(), options.resignThreshold()));
        }
        throw new BadSpecException("unknown player '" + t + "' (random, baseline[:DEPTH] or checkpoint:PATH)");
    }

    /** Reads the model of a checkpoint in the architecture its header gives. */
    static NetworkPolicy load(Path file) throws CheckpointFile.CheckpointException {
        try (CheckpointFile.Opened ckpt = CheckpointFile.open(file)) {
            JsonNode h = ckpt.header();
            int width = h.at("/architecture/tower_width").asInt(h.at("/config/training/tower_width").asInt(-1));
            int depth = h.at("/architecture/tower_depth").asInt(h.at("/config/training/tower_depth").asInt(-1));
            if (width < 1 || depth < 1) {
                throw new CheckpointFile.CheckpointException("checkpoint " + file
                        + " does not describe its architecture (architecture.tower_width / tower_depth)");
            }
            return NetworkPolicy.read(ckpt.payload(), width, depth);
        } catch (IOException | IllegalArgumentException e) {
            throw new CheckpointFile.CheckpointException("checkpoint " + file + " cannot be loaded: " + e.getMessage());
        }
    }
}
