package io.keisei.trainer.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keisei.contracts.MetricNames;
import io.keisei.trainer.shogi.ActionSpace;
import io.keisei.trainer.shogi.MoveList;
import io.keisei.trainer.shogi.Position;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LearnerTest {
    /** Small and fast; short games so that episodes end within a few epochs. */
    static LearnerSettings tiny() {
        return LearnerSettings.defaults().withTower(16, 2).withStepsPerEpoch(160).withMinibatchSize(48)
                .withPpoEpochs(2).withLearningRate(1e-3).withMaxMovesPerGame(40).withSeed(7);
    }

    static Map<String, Double> reproducible(EpochReport r) {
        Map<String, Double> m = new HashMap<>(r.metrics());
        m.remove(MetricNames.STEPS_PER_SECOND);
        m.put("globalStep", (double) r.globalStep());
        return m;
    }

    static byte[] save(SelfPlayLearner l) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        l.writeState(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    static SelfPlayLearner load(byte[] b, LearnerSettings s) throws IOException {
        return SelfPlayLearner.readState(new DataInputStream(new ByteArrayInputStream(b)), s);
    }

    @Test
    void policyPutsAllMassOnLegalMovesAndSumsToOne() {
        SelfPlayLearner l = new SelfPlayLearner(tiny());
        String[] sfens = {
            Position.START_SFEN,
            // a middle game with pieces in hand (drops) and promoted pieces
            "1n3s1n1/1g1S1gp1l/lp1pb3G/p1pk2Ppp/SN5P1/1P2p3P/P4P2R/1SG1P3L/L1K1+b2NR w P2p 112",
            "+P3s1+R1l/7b1/1pg1p1gp1/nPppk3P/L2P1P1n1/2P2LpPp/p2KP4/S3GSS1R/B1+n3GN1 w L2P 112",
        };
        for (String sfen : sfens) {
            Position pos = Position.fromSfen(sfen);
            double[] probs = l.actionProbabilities(pos);
            boolean[] mask = ActionSpace.legalMask(pos);
            assertThat(probs).hasSize(ActionSpace.SIZE);
            double sum = 0;
            for (int a = 0; a < ActionSpace.SIZE; a++) {
                if (mask[a]) {
                    assertThat(probs[a]).as("legal index %d", a).isGreaterThan(0.0);
                } else {
                    assertThat(probs[a]).as("illegal index %d", a).isZero();
                }
                sum += probs[a];
            }
            assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void trainedPolicyStillNeverGivesMassToIllegalMoves() {
        SelfPlayLearner l = new SelfPlayLearner(tiny());
        l.runEpoch();
        l.runEpoch();
        Position pos = Position.fromSfen("1n3s1n1/1g1S1gp1l/lp1pb3G/p1pk2Ppp/SN5P1/1P2p3P/P4P2R/1SG1P3L/L1K1+b2NR w P2p 112");
        MoveList legal = new MoveList();
        pos.legalMoves(legal);
        double[] p = l.moveProbabilities(pos, legal);
        assertThat(p).hasSize(legal.size());
        assertThat(java.util.Arrays.stream(p).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        double[] full = l.actionProbabilities(pos);
        boolean[] mask = ActionSpace.legalMask(pos);
        for (int a = 0; a < ActionSpace.SIZE; a++) {
            if (!mask[a]) {
                assertThat(full[a]).isZero();
            }
        }
    }

    @Test
    void smokeRunHasFiniteLossesAndAllMetrics() {
        SelfPlayLearner l = new SelfPlayLearner(tiny());
        long episodes = 0;
        for (int e = 0; e < 4; e++) {
            EpochReport r = l.runEpoch();
            assertThat(r.globalStep()).isEqualTo(160L * (e + 1));
            assertThat(l.globalStep()).isEqualTo(r.globalStep());
            for (String name : List.of(MetricNames.POLICY_LOSS, MetricNames.VALUE_LOSS, MetricNames.ENTROPY,
                    MetricNames.KL_DIVERGENCE, MetricNames.CLIP_FRACTION, MetricNames.LEARNING_RATE,
                    MetricNames.GRADIENT_NORM, MetricNames.EPISODES_COMPLETED, MetricNames.EPISODE_REWARD_MEAN,
                    MetricNames.EPISODE_LENGTH_MEAN, MetricNames.BLACK_WIN_RATE, MetricNames.WHITE_WIN_RATE,
                    MetricNames.DRAW_RATE, MetricNames.STEPS_PER_SECOND)) {
                assertThat(r.metrics()).containsKey(name);
                assertThat(Double.isFinite(r.metric(name))).as(name).isTrue();
            }
            assertThat(r.metric(MetricNames.ENTROPY)).isGreaterThan(0.0);
            assertThat(r.metric(MetricNames.VALUE_LOSS)).isGreaterThanOrEqualTo(0.0);
            assertThat(r.metric(MetricNames.LEARNING_RATE)).isEqualTo(1e-3);
            assertThat(r.metric(MetricNames.CLIP_FRACTION)).isBetween(0.0, 1.0);
            double rates = r.metric(MetricNames.BLACK_WIN_RATE) + r.metric(MetricNames.WHITE_WIN_RATE)
                    + r.metric(MetricNames.DRAW_RATE);
            assertThat(rates).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(r.metric(MetricNames.EPISODES_COMPLETED)).isGreaterThanOrEqualTo(episodes);
            episodes = (long) r.metric(MetricNames.EPISODES_COMPLETED);
            assertThat(r.metric(MetricNames.EPISODE_LENGTH_MEAN)).isBetween(1.0, 40.0);
        }
        // 640 plies of games capped at 40 moves: at least 640 / 40 - 1 finished
        assertThat(episodes).isGreaterThanOrEqualTo(15);
        long[] c = l.cumulativeResults();
        assertThat(c[0] + c[1] + c[2]).isEqualTo(episodes);
        assertThat(l.updatesDone()).isEqualTo(4);
    }

    @Test
    void sameSeedGivesIdenticalReportsAndDifferentSeedDoesNot() {
        SelfPlayLearner a = new SelfPlayLearner(tiny());
        SelfPlayLearner b = new SelfPlayLearner(tiny());
        SelfPlayLearner c = new SelfPlayLearner(tiny().withSeed(8));
        for (int e = 0; e < 3; e++) {
            Map<String, Double> ra = reproducible(a.runEpoch());
            assertThat(reproducible(b.runEpoch())).isEqualTo(ra);
            assertThat(reproducible(c.runEpoch())).isNotEqualTo(ra);
        }
        assertThat(a.evaluateVsRandom(6)).isEqualTo(b.evaluateVsRandom(6));
        assertThat(a.net().params()).isEqualTo(b.net().params());
    }

    @Test
    void stateRoundTripContinuesIdentically() throws IOException {
        LearnerSettings s = tiny();
        SelfPlayLearner original = new SelfPlayLearner(s);
        original.runEpoch();
        original.runEpoch();
        byte[] state = save(original);
        SelfPlayLearner resumed = load(state, s);
        assertThat(resumed.globalStep()).isEqualTo(original.globalStep());
        assertThat(resumed.episodesCompleted()).isEqualTo(original.episodesCompleted());
        assertThat(resumed.optimizer().stepCount()).isEqualTo(original.optimizer().stepCount());
        assertThat(resumed.net().params()).isEqualTo(original.net().params());
        assertThat(resumed.optimizer().firstMoment()).isEqualTo(original.optimizer().firstMoment());
        assertThat(resumed.optimizer().secondMoment()).isEqualTo(original.optimizer().secondMoment());
        assertThat(save(resumed)).isEqualTo(state);
        for (int e = 0; e < 2; e++) {
            assertThat(reproducible(resumed.runEpoch())).isEqualTo(reproducible(original.runEpoch()));
        }
        assertThat(resumed.evaluateVsRandom(4)).isEqualTo(original.evaluateVsRandom(4));
        assertThat(resumed.net().params()).isEqualTo(original.net().params());
    }

    @Test
    void resumedRunMatchesAnUninterruptedRun() throws IOException {
        LearnerSettings s = tiny().withSeed(99);
        SelfPlayLearner straight = new SelfPlayLearner(s);
        List<Map<String, Double>> expected = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            expected.add(reproducible(straight.runEpoch()));
        }
        SelfPlayLearner first = new SelfPlayLearner(s);
        assertThat(reproducible(first.runEpoch())).isEqualTo(expected.get(0));
        SelfPlayLearner second = load(save(first), s);
        assertThat(reproducible(second.runEpoch())).isEqualTo(expected.get(1));
        SelfPlayLearner third = load(save(second), s);
        assertThat(reproducible(third.runEpoch())).isEqualTo(expected.get(2));
    }

    @Test
    void readStateRejectsBadInputWithClearErrors() throws IOException {
        LearnerSettings s = tiny();
        byte[] state = save(new SelfPlayLearner(s));
        byte[] badMagic = state.clone();
        badMagic[0] = 'X';
        assertThatThrownBy(() -> load(badMagic, s)).isInstanceOf(IOException.class).hasMessageContaining("magic");
        byte[] badVersion = state.clone();
        badVersion[7] = 9;
        assertThatThrownBy(() -> load(badVersion, s)).isInstanceOf(IOException.class).hasMessageContaining("version");
        assertThatThrownBy(() -> load(state, s.withTower(32, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("towerWidth=16")
                .hasMessageContaining("towerWidth=32");
        assertThatThrownBy(() -> load(state, s.withTower(16, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("towerDepth=3");
        byte[] truncated = java.util.Arrays.copyOf(state, state.length - 3);
        assertThatThrownBy(() -> load(truncated, s)).isInstanceOf(IOException.class);
        // other hyper-parameters may change on resume
        SelfPlayLearner l = load(state, s.withLearningRate(5e-4));
        assertThat(l.runEpoch().metric(MetricNames.LEARNING_RATE)).isEqualTo(5e-4);
    }

    @Test
    void evaluationCountsEveryGameAndDrawsAtTheMoveLimit() {
        SelfPlayLearner l = new SelfPlayLearner(tiny().withMaxMovesPerGame(4));
        EvalReport r = l.evaluateVsRandom(10);
        // no mate is possible within 4 moves from the start position
        assertThat(r).isEqualTo(new EvalReport(0, 0, 10, 0.0));
        SelfPlayLearner full = new SelfPlayLearner(tiny().withMaxMovesPerGame(500));
        EvalReport e = full.evaluateVsRandom(20);
        assertThat(e.games()).isEqualTo(20);
        assertThat(e.winRate()).isEqualTo(e.wins() / 20.0);
        assertThat(full.evaluateVsRandom(20)).isEqualTo(e);
        EvalReport sampled = full.evaluateVsRandom(20, false);
        assertThat(sampled.games()).isEqualTo(20);
        assertThat(full.globalStep()).isZero(); // evaluation does not train or advance the step
    }

    @Test
    void listenerSeesEveryPlyOfOneGameAtATime() {
        SelfPlayLearner l = new SelfPlayLearner(tiny().withStepsPerEpoch(100));
        l.runEpoch(); // a game is in progress; the listener starts with the next one
        List<String> calls = new ArrayList<>();
        List<String> finished = new ArrayList<>();
        l.setGameListener((id, ply, sfen, last, moves, result) -> {
            assertThat(moves).hasSize(ply);
            if (ply == 0) {
                assertThat(last).isNull();
                assertThat(sfen).isEqualTo(Position.START_SFEN);
            } else {
                assertThat(last).isEqualTo(moves.get(ply - 1));
                assertThat(Position.fromSfen(sfen).moveNumber()).isEqualTo(ply + 1);
            }
            calls.add(id + "#" + ply);
            if (result != null) {
                finished.add(id + " " + result + " " + ply);
                assertThatThrownBy(() -> moves.add("x")).isInstanceOf(UnsupportedOperationException.class);
            }
        });
        l.runEpoch();
        l.runEpoch();
        assertThat(finished).isNotEmpty();
        assertThat(finished.get(0)).matches("selfplay-\\d+ (BLACK_WIN|WHITE_WIN|DRAW):[A-Z_]+ \\d+");
        // plies of a game are consecutive and games do not interleave
        String prevId = null;
        int prevPly = -1;
        for (String c : calls) {
            String id = c.substring(0, c.indexOf('#'));
            int ply = Integer.parseInt(c.substring(c.indexOf('#') + 1));
            if (id.equals(prevId)) {
                assertThat(ply).isEqualTo(prevPly + 1);
            } else {
                assertThat(ply).isZero();
            }
            prevId = id;
            prevPly = ply;
        }
        // a throwing listener does not stop training; clearing it stops the calls
        l.setGameListener((id, ply, sfen, last, moves, result) -> {
            throw new IllegalStateException("ui down");
        });
        l.runEpoch();
        int before = calls.size();
        l.setGameListener(null);
        l.runEpoch();
        assertThat(calls).hasSize(before);
    }

    @Test
    void learningRateSchedules() {
        LearnerSettings s = LearnerSettings.defaults().withStepsPerEpoch(100).withSchedule("linear", 1000);
        assertThat(LrSchedule.rate(s, 0)).isEqualTo(3e-4);
        assertThat(LrSchedule.rate(s, 5)).isCloseTo(3e-4 * 0.55, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(LrSchedule.rate(s, 50)).isCloseTo(3e-5, org.assertj.core.data.Offset.offset(1e-12));
        LearnerSettings c = s.withSchedule("cosine", 1000);
        assertThat(LrSchedule.rate(c, 5)).isCloseTo(1.5e-4, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(LrSchedule.rate(c, 10)).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-12));
        LearnerSettings x = s.withSchedule("exponential", 1000);
        assertThat(LrSchedule.rate(x, 2)).isCloseTo(3e-4 * 0.995 * 0.995, org.assertj.core.data.Offset.offset(1e-12));
        LearnerSettings st = s.withSchedule("STEP", 1000);
        assertThat(LrSchedule.rate(st, 1)).isEqualTo(3e-4);
        assertThat(LrSchedule.rate(st, 2)).isEqualTo(1.5e-4);
        assertThat(LrSchedule.rate(st, 5)).isEqualTo(7.5e-5);
        assertThat(LrSchedule.rate(s.withSchedule("none", 1000), 50)).isEqualTo(3e-4);
        assertThatThrownBy(() -> s.withSchedule("warmup", 1000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void settingsValidation() {
        assertThatThrownBy(() -> LearnerSettings.defaults().withTower(0, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LearnerSettings.defaults().withTower(8, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LearnerSettings.defaults().withLearningRate(-1)).isInstanceOf(IllegalArgumentException.class);
        LearnerSettings d = LearnerSettings.defaults();
        assertThat(d.learningRate()).isEqualTo(3e-4);
        assertThat(d.gamma()).isEqualTo(0.99);
        assertThat(d.lambdaGae()).isEqualTo(0.95);
        assertThat(d.clipEpsilon()).isEqualTo(0.2);
        assertThat(d.ppoEpochs()).isEqualTo(10);
        assertThat(d.minibatchSize()).isEqualTo(64);
        assertThat(d.stepsPerEpoch()).isEqualTo(2048);
        assertThat(d.valueLossCoeff()).isEqualTo(0.5);
        assertThat(d.entropyCoef()).isEqualTo(0.01);
        assertThat(d.gradientClipMaxNorm()).isEqualTo(0.5);
        assertThat(d.weightDecay()).isEqualTo(0.0);
        assertThat(d.normalizeAdvantages()).isTrue();
        assertThat(d.lrScheduleType()).isEqualTo("none");
        assertThat(d.maxMovesPerGame()).isEqualTo(500);
    }
}
