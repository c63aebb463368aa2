package io.keisei.training.service;

import io.keisei.contracts.api.EvaluationRules;
import io.keisei.contracts.api.HeadToHead;
import io.keisei.training.persistence.CheckpointEntity;
import io.keisei.training.persistence.EvaluationEntity;
import io.keisei.training.persistence.EvaluationGameEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The head-to-head table: every pair of players that met in completed evaluations (of a session, or all), with the
 * wins, draws and losses of their games summed over those evaluations. The games are counted in PostgreSQL (grouped
 * by evaluation, colours and result), so the moves are never read and the answer costs one row per distinct outcome.
 */
@ApplicationScoped
public class HeadToHeadService {

    /** Games of one evaluation with the same colours and result. */
    record Outcomes(String evaluation, String black, String white, String result, long count) {
    }

    public HeadToHead headToHead(String session) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<EvaluationEntity> completed = session == null
                    ? EvaluationEntity.<EvaluationEntity>list("state", "completed")
                    : EvaluationEntity.<EvaluationEntity>list("state = ?1 and sessionId = ?2", "completed", session);
            if (completed.isEmpty()) {
                return new HeadToHead(List.of(), List.of());
            }
            Map<String, Instant> ended = new HashMap<>();
            for (EvaluationEntity e : completed) {
                ended.put(e.id, e.finishedAt != null ? e.finishedAt : e.createdAt);
            }
            List<Outcomes> outcomes = EvaluationGameEntity.getEntityManager().createQuery(
                            "select g.evaluationId, g.black, g.white, g.result, count(g) from EvaluationGameEntity g"
                                    + " where g.evaluationId in ?1 group by g.evaluationId, g.black, g.white, g.result",
                            Object[].class)
                    .setParameter(1, ended.keySet())
                    .getResultList().stream()
                    .map(r -> new Outcomes((String) r[0], (String) r[1], (String) r[2], (String) r[3], ((Number) r[4]).longValue()))
                    .toList();
            List<HeadToHead.Pair> pairs = tally(outcomes, ended);
            return new HeadToHead(players(pairs), pairs);
        });
    }

    /** Sums the outcomes per pair of players (the smaller id is {@code a}); pairs in order of a, then b. */
    static List<HeadToHead.Pair> tally(List<Outcomes> outcomes, Map<String, Instant> ended) {
        Map<List<String>, PairCount> byPair = new TreeMap<>((x, y) -> {
            int c = x.get(0).compareTo(y.get(0));
            return c != 0 ? c : x.get(1).compareTo(y.get(1));
        });
        for (Outcomes o : outcomes) {
            if (o.black().equals(o.white())) {
                continue; // a player against itself says nothing about who is stronger
            }
            boolean blackIsA = o.black().compareTo(o.white()) < 0;
            String a = blackIsA ? o.black() : o.white();
            String b = blackIsA ? o.white() : o.black();
            PairCount p = byPair.computeIfAbsent(List.of(a, b), k -> new PairCount());
            int n = (int) o.count();
            switch (o.result()) {
                case "black_win" -> {
                    if (blackIsA) {
                        p.aWins += n;
                    } else {
                        p.bWins += n;
                    }
                }
                case "white_win" -> {
                    if (blackIsA) {
                        p.bWins += n;
                    } else {
                        p.aWins += n;
                    }
                }
                default -> p.draws += n;
            }
            if (p.evaluations.add(o.evaluation())) {
                Instant t = ended.get(o.evaluation());
                if (p.latest == null || t != null && (p.latestAt == null || t.isAfter(p.latestAt))) {
                    p.latest = o.evaluation();
                    p.latestAt = t;
                }
            }
        }
        List<HeadToHead.Pair> out = new ArrayList<>(byPair.size());
        byPair.forEach((k, p) -> out.add(new HeadToHead.Pair(k.get(0), k.get(1), p.aWins, p.draws, p.bWins,
                p.aWins + p.draws + p.bWins, p.evaluations.size(), p.latest)));
        return out;
    }

    /** Every player of the pairs by id, a model with its session and step where the registry still has it. */
    private static List<HeadToHead.Player> players(List<HeadToHead.Pair> pairs) {
        Set<String> ids = new TreeSet<>();
        for (HeadToHead.Pair p : pairs) {
            ids.add(p.a());
            ids.add(p.b());
        }
        List<String> modelIds = ids.stream().filter(id -> !EvaluationRules.isFixed(id)).toList();
        Map<String, CheckpointEntity> models = new HashMap<>();
        if (!modelIds.isEmpty()) {
            CheckpointEntity.<CheckpointEntity>list("id in ?1", modelIds).forEach(c -> models.put(c.id, c));
        }
        List<HeadToHead.Player> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            CheckpointEntity c = models.get(id);
            out.add(new HeadToHead.Player(id, c == null ? null : c.sessionId, c == null ? null : c.step));
        }
        return out;
    }

    /** The running sums of one pair. */
    private static final class PairCount {
        int aWins;
        int draws;
        int bWins;
        final Set<String> evaluations = new HashSet<>();
        String latest;
        Instant latestAt;
    }
}
