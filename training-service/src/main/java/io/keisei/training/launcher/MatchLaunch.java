package io.keisei.training.launcher;

import io.keisei.contracts.AllocationInfo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One evaluation match to start, as intent: the built-in trainer's {@code match} command between two players, where
 * its result and log go, and what resource-service granted. Each launcher renders it its own way (a child process,
 * a Job on the data volume), as it renders a trainer attempt's {@link LaunchRequest}.
 *
 * @param session  the session the games are published under; null for a match of fixed players only
 * @param playerA  a player as the match command names it: {@code random}, {@code baseline:N} or {@code checkpoint:PATH}
 * @param workDir  the evaluation's directory (on the data volume): its result file and log
 */
public record MatchLaunch(String evaluationId, String session, String playerA, String playerB, int games, long seed,
                          Path workDir, AllocationInfo grant) {

    public Path resultFile() {
        return workDir.resolve("result.json");
    }

    public Path logFile() {
        return workDir.resolve("match.log");
    }

    /** The built-in trainer's arguments after {@code java -jar shogi-trainer.jar}. */
    public List<String> arguments() {
        List<String> args = new ArrayList<>(List.of("match", "--player-a", playerA, "--player-b", playerB, "--games",
                String.valueOf(games), "--seed", String.valueOf(seed), "--out", resultFile().toString(),
                "--evaluation", evaluationId));
        if (session != null) {
            args.addAll(List.of("--session", session));
        }
        return args;
    }
}
