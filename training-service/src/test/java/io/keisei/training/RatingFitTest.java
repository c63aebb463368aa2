package io.keisei.training;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Hand-computed cases. Throughout, K = ln(10) / 400 = 0.00575646 per Elo (1 / K = 173.7178), so
 * P(a beats b) = 1 / (1 + exp(-K (Ra - Rb))), and the Fisher information of a pair with n games
 * (virtual draws included) at probability p is n p (1 - p) K².
 */
class RatingFitTest {

    final RatingFit fit = new RatingFit();

    static List<GameOutcome> games(String winner, String loser, int count) {
        return Collections.nCopies(count, GameOutcome.win(winner, loser));
    }

    static List<GameOutcome> concat(List<List<GameOutcome>> parts) {
        List<GameOutcome> all = new ArrayList<>();
        parts.forEach(all::addAll);
        return all;
    }

    /** A beats B 3 times out of 4; B is anchored at 0. */
    static final List<GameOutcome> THREE_OF_FOUR = concat(List.of(games("A", "B", 3), games("B", "A", 1)));

    @Test
    void twoPlayersWithThePlainMaximumLikelihood() {
        // Without prior: the score 3/4 = p = 1 / (1 + 10^(-Ra/400)), so 10^(Ra/400) = p / (1 - p) = 3
        // and Ra = 400 log10(3) = 190.8485.
        // I = n p (1 - p) K² = 4 * 0.75 * 0.25 * K² = 0.75 K², σ = 1 / (K √0.75) = 173.7178 / 0.866025 = 200.5920,
        // half-width 1.96 σ = 393.1604.
        Ratings r = new RatingFit(0).fit(THREE_OF_FOUR, Map.of("B", 0.0));

        Ratings.Player a = r.player("A").orElseThrow();
        assertThat(r.converged()).isTrue();
        assertThat(a.elo()).isCloseTo(190.8485, within(1e-3));
        assertThat(a.stdDev()).isCloseTo(200.5920, within(1e-3));
        assertThat(a.upper() - a.elo()).isCloseTo(393.1604, within(1e-3));
        assertThat(a.elo() - a.lower()).isCloseTo(a.upper() - a.elo(), within(1e-9));
    }

    @Test
    void twoPlayersWithTheDefaultPriorOfOneVirtualDraw() {
        // Prior: each player spreads 1/2 virtual draw over its opponents by games played; A and B each
        // played all 4 games against the other, so the pair gets 1/2 + 1/2 = 1 virtual draw:
        // v = 0.5 * 1 * 4 * (1/4 + 1/4) = 1. A then scores 3.5 of 5: p = 0.7,
        // Ra = 400 log10(0.7 / 0.3) = 400 log10(7/3) = 147.1907 (the prior takes 43.7 Elo off the MLE).
        // I = 5 * 0.7 * 0.3 * K² = 1.05 K², σ = 173.7178 / √1.05 = 173.7178 / 1.024695 = 169.5312,
        // half-width 1.96 σ = 332.2812; the interval is symmetric.
        Ratings r = fit.fit(THREE_OF_FOUR, Map.of("B", 0.0));

        assertThat(r.converged()).isTrue();
        assertThat(r.virtualDraws()).isEqualTo(1.0);
        Ratings.Player a = r.player("A").orElseThrow();
        assertThat(a.elo()).isCloseTo(147.1907, within(1e-3));
        assertThat(a.stdDev()).isCloseTo(169.5312, within(1e-3));
        assertThat(a.lower()).isCloseTo(147.1907 - 332.2812, within(1e-3));
        assertThat(a.upper()).isCloseTo(147.1907 + 332.2812, within(1e-3));
        assertThat(a.elo() - a.lower()).isCloseTo(a.upper() - a.elo(), within(1e-9));
        assertThat(a.games()).isEqualTo(4);
        assertThat(a.wins()).isEqualTo(3);
        assertThat(a.draws()).isZero();
        assertThat(a.losses()).isEqualTo(1);
        assertThat(a.score()).isEqualTo(0.75);
        assertThat(a.anchor()).isFalse();
        assertThat(a.anchored()).isTrue();

        Ratings.Player b = r.player("B").orElseThrow();
        assertThat(b.elo()).isEqualTo(0.0);
        assertThat(b.lower()).isEqualTo(0.0);
        assertThat(b.upper()).isEqualTo(0.0);
        assertThat(b.anchor()).isTrue();
        assertThat(b.wins()).isEqualTo(1);
        assertThat(b.losses()).isEqualTo(3);
        assertThat(r.players()).extracting(Ratings.Player::id).containsExactly("A", "B");
    }

    @Test
    void aRoundRobinComesOutInOrder() {
        // A-B 7:3, B-C 7:3, A-C 8:2; C is anchored at 0. Each pair gets 0.5 * 10 * (1/20 + 1/20) = 0.5 virtual draws.
        List<GameOutcome> games = concat(List.of(
                games("A", "B", 7), games("B", "A", 3),
                games("B", "C", 7), games("C", "B", 3),
                games("A", "C", 8), games("C", "A", 2)));
        Ratings r = fit.fit(games, Map.of("C", 0.0));

        assertThat(r.converged()).isTrue();
        assertThat(r.players()).extracting(Ratings.Player::id).containsExactly("A", "B", "C");
        double a = r.player("A").orElseThrow().elo();
        double b = r.player("B").orElseThrow().elo();
        assertThat(b).isGreaterThan(0).isLessThan(a);
        // B scored 7:3 against C: alone that is 400 log10(7.25 / 3.25) = 139.4; a round-robin fit is near it.
        assertThat(b).isBetween(100.0, 200.0);
    }

    @Test
    void aPlayerThatNeverLosesGetsAFiniteRatingWithAWideInterval() {
        // A wins all 20 games; B and C split 5:5; C is anchored at 0. Without the prior Ra would be infinite.
        List<GameOutcome> games = concat(List.of(
                games("A", "B", 10), games("A", "C", 10),
                games("B", "C", 5), games("C", "B", 5)));
        Ratings r = fit.fit(games, Map.of("C", 0.0));

        assertThat(r.converged()).isTrue();
        Ratings.Player a = r.player("A").orElseThrow();
        Ratings.Player b = r.player("B").orElseThrow();
        assertThat(a.elo()).isFinite().isGreaterThan(b.elo() + 300);
        assertThat(a.lower()).isFinite();
        assertThat(a.upper()).isFinite();
        assertThat(a.stdDev()).isFinite().isGreaterThan(2 * b.stdDev());
        assertThat(a.losses()).isZero();
        assertThat(r.players().get(0)).isEqualTo(a);

        // The plain MLE has no finite optimum: the fit says so instead of answering NaN.
        Ratings plain = new RatingFit(0).fit(games, Map.of("C", 0.0));
        assertThat(plain.converged()).isFalse();
        assertThat(plain.iterations()).isEqualTo(RatingFit.DEFAULT_MAX_ITERATIONS);
        assertThat(plain.player("A").orElseThrow().elo()).isFinite();
    }

    @Test
    void onlyDrawsRateTwoPlayersEqual() {
        List<GameOutcome> draws = Collections.nCopies(6, GameOutcome.draw("X", "Y"));

        Ratings free = fit.fit(draws, Map.of());
        assertThat(free.player("X").orElseThrow().elo()).isEqualTo(0.0);
        assertThat(free.player("Y").orElseThrow().elo()).isEqualTo(0.0);
        assertThat(free.player("X").orElseThrow().stdDev()).isEqualTo(free.player("Y").orElseThrow().stdDev());
        assertThat(free.player("X").orElseThrow().draws()).isEqualTo(6);

        Ratings anchored = fit.fit(draws, Map.of("Y", 100.0));
        assertThat(anchored.player("X").orElseThrow().elo()).isCloseTo(100.0, within(1e-9));
    }

    @Test
    void anchorsAreFixedAndAnUnconnectedPairIsRatedOnItsOwn() {
        // X scores 8:2 against random (0) and 2:8 against base (400): it lies between them, by symmetry at 200.
        // P and Q played only each other (P won 3 of 4): 147.1907 apart as in the two-player case, mean 0,
        // so ±73.5954; each one's σ is half the difference's, 169.5312 / 2 = 84.7656.
        List<GameOutcome> games = concat(List.of(
                games("X", "random", 8), games("random", "X", 2),
                games("base", "X", 8), games("X", "base", 2),
                games("P", "Q", 3), games("Q", "P", 1)));
        Ratings r = fit.fit(games, Map.of("random", 0.0, "base", 400.0, "idle", 50.0));

        assertThat(r.converged()).isTrue();
        assertThat(r.player("random").orElseThrow().elo()).isEqualTo(0.0);
        assertThat(r.player("base").orElseThrow().elo()).isEqualTo(400.0);
        assertThat(r.player("base").orElseThrow().stdDev()).isEqualTo(0.0);
        assertThat(r.player("X").orElseThrow().elo()).isCloseTo(200.0, within(1e-6));
        assertThat(r.player("X").orElseThrow().anchored()).isTrue();

        Ratings.Player idle = r.player("idle").orElseThrow();
        assertThat(idle.elo()).isEqualTo(50.0);
        assertThat(idle.games()).isZero();
        assertThat(idle.anchor()).isTrue();
        assertThat(idle.anchored()).isTrue();

        Ratings.Player p = r.player("P").orElseThrow();
        Ratings.Player q = r.player("Q").orElseThrow();
        assertThat(p.anchored()).isFalse();
        assertThat(q.anchored()).isFalse();
        assertThat(p.anchor()).isFalse();
        assertThat(p.elo()).isCloseTo(73.5954, within(1e-3));
        assertThat(q.elo()).isCloseTo(-73.5954, within(1e-3));
        assertThat(p.stdDev()).isCloseTo(84.7656, within(1e-3));
        assertThat(q.stdDev()).isCloseTo(84.7656, within(1e-3));

        // Rating descending, then id.
        assertThat(r.players()).extracting(Ratings.Player::id)
                .containsExactly("base", "X", "P", "idle", "random", "Q");
    }

    @Test
    void emptyAndAnchorOnlyLeagues() {
        Ratings none = fit.fit(List.of(), Map.of());
        assertThat(none.players()).isEmpty();
        assertThat(none.converged()).isTrue();
        assertThat(none.iterations()).isZero();

        Ratings one = fit.fit(List.of(), Map.of("random", 0.0));
        assertThat(one.players()).singleElement().satisfies(p -> {
            assertThat(p.id()).isEqualTo("random");
            assertThat(p.elo()).isEqualTo(0.0);
            assertThat(p.games()).isZero();
            assertThat(p.score()).isNaN();
        });
    }

    @Test
    void pairsAreAggregatedWhicheverWayRoundTheyCome() {
        List<GameOutcome> games = List.of(
                GameOutcome.win("B", "A"), new GameOutcome("A", "B", 1.0), GameOutcome.draw("B", "A"),
                GameOutcome.win("C", "A"));
        assertThat(RatingFit.aggregate(games)).containsExactly(
                new PairResult("A", "B", 1, 1, 1), new PairResult("A", "C", 0, 0, 1));

        Ratings fromGames = fit.fit(games, Map.of("A", 0.0));
        Ratings fromPairs = fit.fitPairs(List.of(
                new PairResult("B", "A", 1, 0, 0), new PairResult("A", "B", 1, 1, 0).swapped().swapped(),
                new PairResult("C", "A", 1, 0, 0), new PairResult("A", "C", 0, 0, 0)), Map.of("A", 0.0));
        assertThat(fromPairs).isEqualTo(fromGames);
    }

    @Test
    void badInputIsRefused() {
        assertThatThrownBy(() -> new GameOutcome("A", "A", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GameOutcome("A", "B", 0.7)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PairResult("A", "B", -1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RatingFit(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fit.fit(List.of(), Map.of("A", Double.NaN))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aThousandRandomGamesAmongFiftyPlayersConverge() {
        // True ratings 0, 20, ..., 980; p00 is anchored at its true 0. 10 % of the games are draws.
        Random random = new Random(42);
        List<GameOutcome> games = new ArrayList<>();
        int players = 50;
        for (int k = 0; k < 1000; k++) {
            int x = random.nextInt(players);
            int y = random.nextInt(players - 1);
            if (y >= x) {
                y++;
            }
            String a = String.format("p%02d", x);
            String b = String.format("p%02d", y);
            double pa = Sprt.expectedScore(20.0 * (x - y));
            games.add(random.nextDouble() < 0.1 ? GameOutcome.draw(a, b)
                    : random.nextDouble() < pa ? GameOutcome.win(a, b) : GameOutcome.win(b, a));
        }

        long start = System.nanoTime();
        Ratings r = fit.fit(games, Map.of("p00", 0.0));
        long micros = (System.nanoTime() - start) / 1000;
        System.out.printf("RatingFit: 1000 games, 50 players: %d iterations, %d µs (first, unwarmed run)%n",
                r.iterations(), micros);

        assertThat(r.converged()).isTrue();
        assertThat(r.iterations()).isLessThanOrEqualTo(15);
        assertThat(r.players()).hasSize(50);
        assertThat(r.players()).allSatisfy(p -> {
            assertThat(p.elo()).isFinite();
            assertThat(p.lower()).isFinite().isLessThanOrEqualTo(p.elo());
            assertThat(p.upper()).isFinite().isGreaterThanOrEqualTo(p.elo());
            assertThat(p.anchored()).isTrue();
        });
        // The fit follows the truth: the rank correlation is high.
        double[] truth = r.players().stream().mapToDouble(p -> Integer.parseInt(p.id().substring(1))).toArray();
        double rho = spearmanAgainstOrder(truth);
        assertThat(rho).isGreaterThan(0.9);
        // Order: rating descending.
        for (int i = 1; i < r.players().size(); i++) {
            assertThat(r.players().get(i).elo()).isLessThanOrEqualTo(r.players().get(i - 1).elo());
        }
    }

    @Test
    void hundredsOfPlayersConverge() {
        Random random = new Random(7);
        List<GameOutcome> games = new ArrayList<>();
        int players = 300;
        for (int k = 0; k < 9000; k++) {
            int x = random.nextInt(players);
            int y = random.nextInt(players - 1);
            if (y >= x) {
                y++;
            }
            double pa = Sprt.expectedScore(3.0 * (x - y));
            games.add(random.nextDouble() < pa ? GameOutcome.win("q" + x, "q" + y) : GameOutcome.win("q" + y, "q" + x));
        }
        Ratings r = fit.fit(games, Map.of("q0", 0.0));
        assertThat(r.converged()).isTrue();
        assertThat(r.players()).hasSize(players).allSatisfy(p -> assertThat(p.stdDev()).isFinite());
    }

    /** Spearman's rho between a ranking (index order, best first) and the true strengths listed in that order. */
    static double spearmanAgainstOrder(double[] truthInFittedOrder) {
        int n = truthInFittedOrder.length;
        Integer[] byTruth = new Integer[n];
        for (int i = 0; i < n; i++) {
            byTruth[i] = i;
        }
        java.util.Arrays.sort(byTruth, (i, j) -> Double.compare(truthInFittedOrder[j], truthInFittedOrder[i]));
        double d2 = 0;
        for (int rank = 0; rank < n; rank++) {
            double d = rank - byTruth[rank];
            d2 += d * d;
        }
        return 1 - 6 * d2 / ((double) n * ((double) n * n - 1));
    }
}
