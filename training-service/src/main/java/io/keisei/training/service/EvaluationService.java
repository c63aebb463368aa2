package io.keisei.training.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.AllocationInfo;
import io.keisei.contracts.allocation.AllocationRequest;
import io.keisei.contracts.api.Evaluation;
import io.keisei.contracts.api.EvaluationGame;
import io.keisei.contracts.api.EvaluationRules;
import io.keisei.contracts.api.FieldError;
import io.keisei.contracts.api.NewEvaluation;
import io.keisei.training.client.AllocationClient;
import io.keisei.training.launcher.ProcessTrainerLauncher;
import io.keisei.training.persistence.CheckpointEntity;
import io.keisei.training.persistence.EvaluationEntity;
import io.keisei.training.persistence.EvaluationGameEntity;
import io.keisei.training.persistence.SessionFiles;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluations as jobs, like training attempts: created queued, admitted by resource-service (below training's
 * priority by default), run as a match process of the built-in trainer, their games stored when it ends, their
 * allocation released; cancellable at any point. A match does not outlive this service: one running when it
 * restarts is failed with that reason.
 */
@ApplicationScoped
public class EvaluationService {

    public static final String ID_PREFIX = "eval-";
    private static final Logger LOG = Logger.getLogger(EvaluationService.class);
    private static final SecureRandom SEEDS = new SecureRandom();

    private final AllocationClient allocations;
    private final ProcessTrainerLauncher processes;
    private final SessionFiles files;
    private final ObjectMapper json;
    private final String redisUrl;
    private final Map<String, Process> running = new ConcurrentHashMap<>();

    public EvaluationService(AllocationClient allocations, ProcessTrainerLauncher processes, SessionFiles files,
                             ObjectMapper json, @ConfigProperty(name = "quarkus.redis.hosts") String redisHosts) {
        this.allocations = allocations;
        this.processes = processes;
        this.files = files;
        this.json = json;
        this.redisUrl = redisHosts.split(",")[0].trim();
    }

    void onStart(@Observes StartupEvent ev) {
        int failed = QuarkusTransaction.requiringNew().call(() -> {
            List<EvaluationEntity> orphans = EvaluationEntity.list("state", "running");
            for (EvaluationEntity e : orphans) {
                end(e, "failed", "training-service restarted during the match");
            }
            return orphans.size();
        });
        if (failed > 0) {
            LOG.infof("%d evaluations were running when training-service stopped: failed", failed);
        }
    }

    /** Checks and files an evaluation, asks for its allocation, and starts it at once when granted. */
    public Evaluation create(NewEvaluation r) {
        List<FieldError> errors = new ArrayList<>();
        String a = checkPlayer("playerA", r.playerA(), errors);
        String b = checkPlayer("playerB", r.playerB(), errors);
        int games = r.games() == null ? EvaluationRules.DEFAULT_GAMES : r.games();
        if (games < 1 || games > EvaluationRules.MAX_GAMES) {
            errors.add(new FieldError("games", "must be in [1, " + EvaluationRules.MAX_GAMES + "]"));
        }
        int priority = r.priority() == null ? EvaluationRules.DEFAULT_PRIORITY : r.priority();
        if (priority < -1000 || priority > 1000) {
            errors.add(new FieldError("priority", "must be in [-1000, 1000]"));
        }
        if (a != null && a.equals(b)) {
            errors.add(new FieldError("playerB", "must differ from playerA"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest(errors.stream().map(f -> f.field() + ": " + f.message())
                    .collect(java.util.stream.Collectors.joining("; ")), errors);
        }
        String session = r.session() != null ? r.session() : modelSession(a);
        if (session == null) {
            session = modelSession(b);
        }
        EvaluationEntity e = new EvaluationEntity();
        e.id = ID_PREFIX + UUID.randomUUID();
        e.sessionId = session;
        e.owner = r.owner() == null ? "admin" : r.owner();
        e.playerA = a;
        e.playerB = b;
        e.games = games;
        e.seed = r.seed() != null ? r.seed() : SEEDS.nextLong() & Long.MAX_VALUE;
        e.priority = priority;
        e.state = "queued";
        e.createdAt = Instant.now();
        QuarkusTransaction.requiringNew().run(e::persist);

        AllocationClient.Outcome outcome;
        try {
            outcome = allocations.request(new AllocationRequest(e.id, e.owner, r.ownerRole() == null ? "trainer" : r.ownerRole(),
                    priority, null, 1000, 1024, 0));
        } catch (ProblemException ex) {
            QuarkusTransaction.requiringNew().run(() -> end(EvaluationEntity.findById(e.id), "failed",
                    "allocation failed: " + ex.getMessage()));
            return get(e.id);
        }
        QuarkusTransaction.requiringNew().run(() -> {
            EvaluationEntity row = EvaluationEntity.findById(e.id);
            row.allocationId = outcome.allocation().id();
            if (!outcome.granted()) {
                row.stateReason = outcome.allocation().reason();
            }
        });
        if (outcome.granted()) {
            launch(e.id, AllocationInfo.of(outcome.allocation()));
        }
        return get(e.id);
    }

    /** Starts the match of a queued evaluation whose allocation was granted (now or later, announced again). */
    public void launch(String id, AllocationInfo grant) {
        EvaluationEntity e = QuarkusTransaction.requiringNew().call(() -> {
            EvaluationEntity row = EvaluationEntity.findById(id);
            if (row == null || !"queued".equals(row.state) || !grant.allocationId().equals(row.allocationId)) {
                return null;
            }
            row.state = "running";
            row.stateReason = null;
            row.startedAt = Instant.now();
            return row;
        });
        if (e == null) {
            if (!isRunningOn(id, grant.allocationId())) {
                allocations.release(grant.allocationId()); // cancelled or ended meanwhile: give it back
            }
            return;
        }
        Path dir = files.dataDir().resolve("evaluations").resolve(id);
        Path out = dir.resolve("result.json");
        List<String> args = new ArrayList<>(List.of("match", "--player-a", playerArgument(e.playerA), "--player-b",
                playerArgument(e.playerB), "--games", String.valueOf(e.games), "--seed", String.valueOf(e.seed),
                "--out", out.toString(), "--evaluation", id));
        if (e.sessionId != null) {
            args.addAll(List.of("--session", e.sessionId));
        }
        try {
            Process p = processes.startBuiltin(args, dir, dir.resolve("match.log"), Map.of("KEISEI_REDIS_URL", redisUrl));
            running.put(id, p);
            QuarkusTransaction.requiringNew().run(() -> {
                EvaluationEntity row = EvaluationEntity.findById(id);
                row.handle = "pid:" + p.pid();
            });
            p.onExit().thenAccept(done -> finished(id, done.exitValue(), out, dir.resolve("match.log")));
        } catch (IOException | RuntimeException ex) {
            QuarkusTransaction.requiringNew().run(() -> end(EvaluationEntity.findById(id), "failed",
                    "match could not be launched: " + ex.getMessage()));
            allocations.release(grant.allocationId());
        }
    }

    private boolean isRunningOn(String id, String allocationId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            EvaluationEntity row = EvaluationEntity.findById(id);
            return row != null && "running".equals(row.state) && allocationId.equals(row.allocationId);
        });
    }

    /** The match ended: its games are stored with its score, in one transaction, and its allocation released. */
    void finished(String id, int exitCode, Path out, Path log) {
        running.remove(id);
        String allocation;
        try {
            JsonNode result = exitCode == 0 && Files.exists(out) ? json.readTree(out.toFile()) : null;
            allocation = QuarkusTransaction.requiringNew().call(() -> {
                EvaluationEntity e = EvaluationEntity.findById(id);
                if (e == null || !"running".equals(e.state)) {
                    return e == null ? null : e.allocationId;
                }
                if (result == null) {
                    end(e, "failed", "the match exited with code " + exitCode + lastLine(log));
                    return e.allocationId;
                }
                store(e, result.path("games"));
                end(e, "completed", null);
                return e.allocationId;
            });
        } catch (IOException | RuntimeException ex) {
            LOG.warnf("evaluation %s: its result could not be stored: %s", id, ex.getMessage());
            allocation = QuarkusTransaction.requiringNew().call(() -> {
                EvaluationEntity e = EvaluationEntity.findById(id);
                end(e, "failed", "its result could not be read: " + ex.getMessage());
                return e.allocationId;
            });
        }
        allocations.release(allocation);
    }

    private static void store(EvaluationEntity e, JsonNode games) {
        int aWins = 0;
        int bWins = 0;
        int draws = 0;
        for (JsonNode g : games) {
            EvaluationGameEntity row = new EvaluationGameEntity();
            row.evaluationId = e.id;
            row.idx = g.path("index").asInt();
            boolean aBlack = "A".equals(g.path("black").asText());
            row.black = aBlack ? e.playerA : e.playerB;
            row.white = aBlack ? e.playerB : e.playerA;
            row.result = g.path("result").asText();
            row.reason = g.path("reason").asText();
            row.plies = g.path("plies").asInt();
            row.startSfen = g.path("startSfen").asText();
            List<String> moves = new ArrayList<>();
            g.path("moves").forEach(m -> moves.add(m.asText()));
            row.moves = String.join(" ", moves);
            row.persist();
            switch (row.result) {
                case "black_win" -> {
                    if (aBlack) {
                        aWins++;
                    } else {
                        bWins++;
                    }
                }
                case "white_win" -> {
                    if (aBlack) {
                        bWins++;
                    } else {
                        aWins++;
                    }
                }
                default -> draws++;
            }
        }
        e.aWins = aWins;
        e.bWins = bWins;
        e.draws = draws;
    }

    /** Cancels a queued or running evaluation: its match is stopped and its allocation released. */
    public Evaluation cancel(String id) {
        String allocation = QuarkusTransaction.requiringNew().call(() -> {
            EvaluationEntity e = entity(id);
            if (!"queued".equals(e.state) && !"running".equals(e.state)) {
                throw ProblemException.conflict("evaluation " + id + " is " + e.state + "; only a queued or running one "
                        + "can be cancelled", e.state);
            }
            end(e, "cancelled", "cancelled by a user");
            return e.allocationId;
        });
        Process p = running.remove(id);
        if (p != null) {
            p.destroy();
        }
        allocations.release(allocation);
        return get(id);
    }

    public Evaluation get(String id) {
        return QuarkusTransaction.requiringNew().call(() -> entity(id).toApi());
    }

    /** Newest first; {@code session} null for all. */
    public List<Evaluation> list(String session, int page, int size) {
        return QuarkusTransaction.requiringNew().call(() -> (session == null
                ? EvaluationEntity.<EvaluationEntity>findAll(Sort.descending("createdAt"))
                : EvaluationEntity.<EvaluationEntity>find("sessionId", Sort.descending("createdAt"), session))
                .page(Page.of(page, size)).list().stream().map(EvaluationEntity::toApi).toList());
    }

    public List<EvaluationGame> games(String id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            entity(id);
            return EvaluationGameEntity.<EvaluationGameEntity>find("evaluationId", Sort.ascending("idx"), id).list()
                    .stream().map(EvaluationGameEntity::toApi).toList();
        });
    }

    public EvaluationGame game(String id, int index) {
        return QuarkusTransaction.requiringNew().call(() -> {
            entity(id);
            EvaluationGameEntity g = EvaluationGameEntity.find("evaluationId = ?1 and idx = ?2", id, index).firstResult();
            if (g == null) {
                throw ProblemException.notFound("game", id + "/" + index);
            }
            return g.toApi();
        });
    }

    private static EvaluationEntity entity(String id) {
        EvaluationEntity e = EvaluationEntity.findById(id);
        if (e == null) {
            throw ProblemException.notFound("evaluation", id);
        }
        return e;
    }

    private static void end(EvaluationEntity e, String state, String reason) {
        e.state = state;
        e.stateReason = reason;
        e.finishedAt = Instant.now();
        e.handle = null;
    }

    /** A fixed player as it is, a model id checked to exist; null (with a field error) otherwise. */
    private static String checkPlayer(String field, String player, List<FieldError> errors) {
        if (player == null || player.isBlank()) {
            errors.add(new FieldError(field, "is required: a model id, \"random\" or \"baseline:<depth>\""));
            return null;
        }
        if (!EvaluationRules.PLAYER.matcher(player).matches()) {
            errors.add(new FieldError(field, "must be a model id, \"random\" or \"baseline:<depth>\" with depth 1-"
                    + EvaluationRules.MAX_BASELINE_DEPTH));
            return null;
        }
        if (player.startsWith(EvaluationRules.BASELINE_PREFIX) && !player.matches("baseline:[1-4]")) {
            errors.add(new FieldError(field, "the baseline engine's depth must be 1-" + EvaluationRules.MAX_BASELINE_DEPTH));
            return null;
        }
        if (EvaluationRules.isFixed(player)) {
            return player;
        }
        boolean known = QuarkusTransaction.requiringNew().call(() -> CheckpointEntity.findById(player) != null);
        if (!known) {
            errors.add(new FieldError(field, "no model '" + player + "'"));
            return null;
        }
        return player;
    }

    private static String modelSession(String player) {
        if (player == null || EvaluationRules.isFixed(player)) {
            return null;
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            CheckpointEntity c = CheckpointEntity.findById(player);
            return c == null ? null : c.sessionId;
        });
    }

    /** How the match command names a player: fixed players as they are, a model as its checkpoint file. */
    private String playerArgument(String player) {
        if (EvaluationRules.isFixed(player)) {
            return player;
        }
        CheckpointEntity c = QuarkusTransaction.requiringNew().call(() -> CheckpointEntity.findById(player));
        Path file = files.regularFileOf(c.sessionId, Path.of(c.path))
                .orElseThrow(() -> new IllegalStateException("the file of model " + player + " is gone"));
        return "checkpoint:" + file.toAbsolutePath();
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    String l = lines.get(i).strip();
                    return ": " + (l.length() > 300 ? l.substring(0, 300) : l);
                }
            }
        } catch (IOException e) {
            // no log
        }
        return "";
    }
}
