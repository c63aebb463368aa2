package io.keisei.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Fits Elo ratings to the games of an evaluation league. Pure: it reads games (or their per-pair
 * counts) and the anchors, and returns {@link Ratings}; the design note is
 * {@code docs/evaluation-league.md}, "Ratings and gating".
 *
 * <h2>Model</h2>
 * Bradley-Terry on the Elo scale: {@code P(a beats b) = 1 / (1 + 10^((Rb - Ra) / 400))}. A draw
 * counts as half a win and half a loss. The log-likelihood of a pair that played {@code n} games
 * in which {@code a} scored {@code s} points is {@code s ln p + (n - s) ln(1 - p)}.
 *
 * <h2>Prior</h2>
 * Virtual draws, in the manner of BayesElo: each player brings {@code virtualDraws / 2} draws
 * (default 1 in all, so that it takes part in {@code virtualDraws} of them on average), spread over
 * the opponents it played in proportion to its games against them; a pair gets both players'
 * shares, {@code v_ab = (virtualDraws / 2) n_ab (1 / N_a + 1 / N_b)} for {@code n_ab} games between
 * them and {@code N_a}, {@code N_b} games in all. This keeps the optimum finite when a player never
 * loses or never wins, shrinks a player's results towards 50 % by about {@code virtualDraws / N}
 * (so it fades as the player plays more, however many opponents it has), and is invariant to a
 * shift of all ratings, so it never pulls against the anchors. {@code virtualDraws = 0} gives the
 * plain maximum-likelihood estimate, which is infinite for a perfect score (the fit then reports
 * {@code converged = false} after the iteration cap).
 *
 * <h2>Fit</h2>
 * Players are split into connected groups (two players are connected when they played each other).
 * In a group with anchors, the anchors keep their given ratings and the others are fitted by
 * Newton-Raphson with a backtracking line search (the log-likelihood is concave), starting from the
 * anchors' mean. A group without anchors is fitted with its first player (by id) fixed at 0 and then
 * shifted so that its mean is 0; its players are reported with {@code anchored = false}.
 *
 * <h2>Confidence intervals</h2>
 * {@code elo ± 1.96 σ}, with {@code σ²} the diagonal of the inverse of the observed Fisher
 * information (minus the Hessian of the log-likelihood, virtual draws included) over the fitted
 * players at the optimum. For a group without anchors the covariance is that of the
 * mean-centred ratings. Anchors have {@code σ = 0}.
 *
 * <h2>Cost</h2>
 * Games are first aggregated per pair; one Newton iteration costs {@code O(pairs + f³)} for
 * {@code f} fitted players in a group, and the fit needs a handful of iterations. Callers
 * recompute by re-running the fit on the updated counts.
 */
public final class RatingFit {

    public static final double DEFAULT_VIRTUAL_DRAWS = 1.0;
    public static final int DEFAULT_MAX_ITERATIONS = 100;
    /** Converged when the Newton step moves no rating by more than this many Elo. */
    public static final double DEFAULT_TOLERANCE = 1e-6;
    /** Half-width of the confidence interval in standard errors (two-sided 95 %). */
    public static final double Z95 = 1.96;

    /** ln(10) / 400: Elo points to the natural logistic scale. */
    static final double K = Math.log(10) / 400;
    /** Largest move of a rating in one Newton iteration, in Elo. */
    private static final double MAX_STEP = 400;

    private final double virtualDraws;
    private final int maxIterations;
    private final double tolerance;

    public RatingFit() {
        this(DEFAULT_VIRTUAL_DRAWS);
    }

    /** @param virtualDraws virtual draws per player (see "Prior"); 0 for the plain MLE */
    public RatingFit(double virtualDraws) {
        this(virtualDraws, DEFAULT_MAX_ITERATIONS, DEFAULT_TOLERANCE);
    }

    public RatingFit(double virtualDraws, int maxIterations, double tolerance) {
        if (!(virtualDraws >= 0) || Double.isInfinite(virtualDraws)) {
            throw new IllegalArgumentException("virtualDraws must be finite and >= 0, was " + virtualDraws);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be >= 1, was " + maxIterations);
        }
        if (!(tolerance > 0)) {
            throw new IllegalArgumentException("tolerance must be > 0, was " + tolerance);
        }
        this.virtualDraws = virtualDraws;
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
    }

    public double virtualDraws() {
        return virtualDraws;
    }

    /** Fits the given games; {@code anchors} maps player id to its fixed Elo. */
    public Ratings fit(Collection<GameOutcome> games, Map<String, Double> anchors) {
        return fitPairs(aggregate(games), anchors);
    }

    /**
     * The games per pair, each pair once (with {@code a < b}), sorted by {@code a} then {@code b}.
     */
    public static List<PairResult> aggregate(Collection<GameOutcome> games) {
        Map<Pair, int[]> counts = new HashMap<>();
        for (GameOutcome g : games) {
            boolean inOrder = g.a().compareTo(g.b()) < 0;
            Pair key = inOrder ? new Pair(g.a(), g.b()) : new Pair(g.b(), g.a());
            double scoreOfKeyA = inOrder ? g.scoreA() : 1 - g.scoreA();
            int[] c = counts.computeIfAbsent(key, k -> new int[3]);
            c[scoreOfKeyA == 1.0 ? 0 : scoreOfKeyA == 0.5 ? 1 : 2]++;
        }
        return counts.entrySet().stream()
                .map(e -> new PairResult(e.getKey().a(), e.getKey().b(), e.getValue()[0], e.getValue()[1], e.getValue()[2]))
                .sorted(Comparator.comparing(PairResult::a).thenComparing(PairResult::b))
                .toList();
    }

    private record Pair(String a, String b) {
    }

    /**
     * Fits per-pair counts; a pair may appear several times and in either orientation, and pairs
     * without games are ignored. {@code anchors} maps player id to its fixed Elo; an anchor that
     * played no game is reported with its rating and no games.
     */
    public Ratings fitPairs(Collection<PairResult> pairs, Map<String, Double> anchors) {
        Objects.requireNonNull(anchors, "anchors");
        anchors.forEach((id, elo) -> {
            if (elo == null || !Double.isFinite(elo)) {
                throw new IllegalArgumentException("anchor " + id + " needs a finite rating, was " + elo);
            }
        });

        List<PairResult> merged = new ArrayList<>();
        Map<Pair, Integer> mergedIndex = new HashMap<>();
        for (PairResult p : pairs) {
            if (p.games() == 0) {
                continue;
            }
            PairResult q = p.a().compareTo(p.b()) < 0 ? p : p.swapped();
            Integer at = mergedIndex.putIfAbsent(new Pair(q.a(), q.b()), merged.size());
            if (at == null) {
                merged.add(q);
            } else {
                PairResult old = merged.get(at);
                merged.set(at, new PairResult(q.a(), q.b(), old.winsA() + q.winsA(), old.draws() + q.draws(),
                        old.winsB() + q.winsB()));
            }
        }

        TreeSet<String> idSet = new TreeSet<>(anchors.keySet());
        for (PairResult p : merged) {
            idSet.add(p.a());
            idSet.add(p.b());
        }
        String[] ids = idSet.toArray(new String[0]);
        int n = ids.length;
        Map<String, Integer> index = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            index.put(ids[i], i);
        }

        int np = merged.size();
        int[] pa = new int[np];
        int[] pb = new int[np];
        double[] weight = new double[np];
        double[] scoreA = new double[np];
        int[] wins = new int[n];
        int[] draws = new int[n];
        int[] losses = new int[n];
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        for (int k = 0; k < np; k++) {
            PairResult p = merged.get(k);
            int a = index.get(p.a());
            int b = index.get(p.b());
            pa[k] = a;
            pb[k] = b;
            wins[a] += p.winsA();
            losses[a] += p.winsB();
            draws[a] += p.draws();
            wins[b] += p.winsB();
            losses[b] += p.winsA();
            draws[b] += p.draws();
            union(parent, a, b);
        }
        // The prior: each player spreads virtualDraws / 2 draws over its opponents in proportion to
        // the games it played against them; a pair gets both players' shares.
        for (int k = 0; k < np; k++) {
            PairResult p = merged.get(k);
            int gamesA = wins[pa[k]] + draws[pa[k]] + losses[pa[k]];
            int gamesB = wins[pb[k]] + draws[pb[k]] + losses[pb[k]];
            double virtual = 0.5 * virtualDraws * p.games() * (1.0 / gamesA + 1.0 / gamesB);
            weight[k] = p.games() + virtual;
            scoreA[k] = p.winsA() + 0.5 * p.draws() + 0.5 * virtual;
        }

        // Groups in order of their first member (ids are sorted), members and pairs in id order.
        Map<Integer, Group> groups = new HashMap<>();
        List<Group> ordered = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int root = find(parent, i);
            Group g = groups.get(root);
            if (g == null) {
                g = new Group();
                groups.put(root, g);
                ordered.add(g);
            }
            g.members.add(i);
        }
        for (int k = 0; k < np; k++) {
            groups.get(find(parent, pa[k])).pairs.add(k);
        }

        double[] elo = new double[n];
        double[] sd = new double[n];
        boolean[] anchored = new boolean[n];
        boolean converged = true;
        int iterations = 0;
        int[] local = new int[n];
        for (Group g : ordered) {
            Solution s = solve(g, ids, anchors, local, pa, pb, weight, scoreA);
            converged &= s.converged;
            iterations = Math.max(iterations, s.iterations);
            for (int j = 0; j < g.members.size(); j++) {
                int i = g.members.get(j);
                elo[i] = s.elo[j];
                sd[i] = s.sd[j];
                anchored[i] = s.anchored;
            }
        }

        List<Ratings.Player> players = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double half = Z95 * sd[i];
            players.add(new Ratings.Player(ids[i], elo[i], elo[i] - half, elo[i] + half, sd[i],
                    wins[i] + draws[i] + losses[i], wins[i], draws[i], losses[i], anchors.containsKey(ids[i]), anchored[i]));
        }
        players.sort(Comparator.comparingDouble(Ratings.Player::elo).reversed().thenComparing(Ratings.Player::id));
        return new Ratings(players, converged, iterations, virtualDraws);
    }

    private static final class Group {
        final List<Integer> members = new ArrayList<>();
        final List<Integer> pairs = new ArrayList<>();
    }

    private record Solution(double[] elo, double[] sd, boolean anchored, boolean converged, int iterations) {
    }

    /** Fits one connected group; ratings and standard errors come back in the order of its members. */
    private Solution solve(Group g, String[] ids, Map<String, Double> anchors, int[] local,
                           int[] pa, int[] pb, double[] weight, double[] scoreA) {
        int m = g.members.size();
        double[] r = new double[m];
        int[] free = new int[m]; // local index -> index among the fitted players, or -1 if fixed
        boolean anchored = false;
        double fixedSum = 0;
        int fixedCount = 0;
        for (int j = 0; j < m; j++) {
            int i = g.members.get(j);
            local[i] = j;
            Double a = anchors.get(ids[i]);
            if (a != null) {
                anchored = true;
                r[j] = a;
                fixedSum += a;
                fixedCount++;
                free[j] = -1;
            }
        }
        if (!anchored) {
            free[0] = -1; // the first member (by id) holds the group at 0 while fitting
            r[0] = 0;
            fixedCount = 1;
        }
        double start = fixedSum / fixedCount;
        int f = 0;
        for (int j = 0; j < m; j++) {
            if (free[j] != -1) {
                free[j] = f++;
                r[j] = start;
            }
        }

        int q = g.pairs.size();
        int[] la = new int[q];
        int[] lb = new int[q];
        double[] w = new double[q];
        double[] s = new double[q];
        for (int k = 0; k < q; k++) {
            int p = g.pairs.get(k);
            la[k] = local[pa[p]];
            lb[k] = local[pb[p]];
            w[k] = weight[p];
            s[k] = scoreA[p];
        }

        boolean converged = f == 0;
        int iterations = 0;
        double[] grad = new double[f];
        double[][] info = new double[f][f];
        double[] trial = new double[m];
        while (!converged && iterations < maxIterations) {
            iterations++;
            derivatives(r, free, la, lb, w, s, grad, info);
            double[] step = solveSpd(info, grad);
            double largest = 0;
            for (double d : step) {
                largest = Math.max(largest, Math.abs(d));
            }
            if (largest < tolerance) {
                converged = true;
            }
            double t = largest > MAX_STEP ? MAX_STEP / largest : 1.0;
            double ll0 = logLikelihood(r, la, lb, w, s);
            double slack = 1e-12 * (1 + Math.abs(ll0));
            for (int back = 0; back < 60; back++) {
                for (int j = 0; j < m; j++) {
                    trial[j] = free[j] < 0 ? r[j] : r[j] + t * step[free[j]];
                }
                if (logLikelihood(trial, la, lb, w, s) >= ll0 - slack) {
                    break;
                }
                t *= 0.5;
            }
            System.arraycopy(trial, 0, r, 0, m);
        }

        double[] sd = new double[m];
        if (f > 0) {
            derivatives(r, free, la, lb, w, s, grad, info);
            double[][] l = cholesky(info);
            double[] variance = inverseDiagonal(l); // diagonal of C = info⁻¹
            if (anchored) {
                for (int j = 0; j < m; j++) {
                    sd[j] = free[j] < 0 ? 0 : Math.sqrt(Math.max(0, variance[free[j]]));
                }
            } else {
                // Centre: r' = r - mean(r), so Cov' = P C P with P = I - 1/m, where C has a zero row
                // and column for the reference player: Cov'_jj = C_jj - 2 (C 1)_j / m + (1ᵀ C 1) / m².
                double[] rowSum = new double[f];
                Arrays.fill(rowSum, 1);
                substitute(l, rowSum);
                double total = 0;
                for (double v : rowSum) {
                    total += v;
                }
                double mean = 0;
                for (double v : r) {
                    mean += v;
                }
                mean /= m;
                for (int j = 0; j < m; j++) {
                    double cjj = free[j] < 0 ? 0 : variance[free[j]];
                    double cj1 = free[j] < 0 ? 0 : rowSum[free[j]];
                    sd[j] = Math.sqrt(Math.max(0, cjj - 2 * cj1 / m + total / ((double) m * m)));
                    r[j] -= mean;
                }
            }
        }
        return new Solution(r, sd, anchored, converged, iterations);
    }

    /** Gradient (per Elo) and observed information (minus the Hessian, per Elo²) over the fitted players. */
    private static void derivatives(double[] r, int[] free, int[] la, int[] lb, double[] w, double[] s,
                                    double[] grad, double[][] info) {
        Arrays.fill(grad, 0);
        for (double[] row : info) {
            Arrays.fill(row, 0);
        }
        for (int k = 0; k < la.length; k++) {
            double x = K * (r[la[k]] - r[lb[k]]);
            double p = sigmoid(x);
            double q = sigmoid(-x); // 1 - p, accurate when p rounds to 1
            double g = K * (s[k] * q - (w[k] - s[k]) * p); // = K (s - w p)
            double h = K * K * w[k] * p * q;
            int a = free[la[k]];
            int b = free[lb[k]];
            if (a >= 0) {
                grad[a] += g;
                info[a][a] += h;
            }
            if (b >= 0) {
                grad[b] -= g;
                info[b][b] += h;
            }
            if (a >= 0 && b >= 0) {
                info[a][b] -= h;
                info[b][a] -= h;
            }
        }
    }

    private static double logLikelihood(double[] r, int[] la, int[] lb, double[] w, double[] s) {
        double ll = 0;
        for (int k = 0; k < la.length; k++) {
            double x = K * (r[la[k]] - r[lb[k]]);
            ll += s[k] * logSigmoid(x) + (w[k] - s[k]) * logSigmoid(-x);
        }
        return ll;
    }

    static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    private static double logSigmoid(double x) {
        return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
    }

    /** Cholesky factor (lower) of a symmetric positive definite matrix, with a small ridge if it is nearly singular. */
    private static double[][] cholesky(double[][] a) {
        int f = a.length;
        double scale = 0;
        for (int i = 0; i < f; i++) {
            scale = Math.max(scale, a[i][i]);
        }
        double ridge = 0;
        double[][] l = new double[f][f];
        for (int attempt = 0; ; attempt++) {
            if (choleskyInto(a, ridge, l)) {
                return l;
            }
            ridge = (scale > 0 ? scale : 1) * 1e-12 * Math.pow(10, attempt);
        }
    }

    private static boolean choleskyInto(double[][] a, double ridge, double[][] l) {
        int f = a.length;
        for (int i = 0; i < f; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i][j] + (i == j ? ridge : 0);
                double[] li = l[i];
                double[] lj = l[j];
                for (int k = 0; k < j; k++) {
                    sum -= li[k] * lj[k];
                }
                if (i == j) {
                    if (!(sum > 0)) {
                        return false;
                    }
                    li[i] = Math.sqrt(sum);
                } else {
                    li[j] = sum / lj[j];
                }
            }
        }
        return true;
    }

    /** Solves {@code L Lᵀ x = b} in place. */
    private static void substitute(double[][] l, double[] x) {
        int f = x.length;
        for (int i = 0; i < f; i++) {
            double sum = x[i];
            for (int k = 0; k < i; k++) {
                sum -= l[i][k] * x[k];
            }
            x[i] = sum / l[i][i];
        }
        for (int i = f - 1; i >= 0; i--) {
            double sum = x[i];
            for (int k = i + 1; k < f; k++) {
                sum -= l[k][i] * x[k];
            }
            x[i] = sum / l[i][i];
        }
    }

    private static double[] solveSpd(double[][] a, double[] b) {
        double[] x = b.clone();
        substitute(cholesky(a), x);
        return x;
    }

    /**
     * The diagonal of {@code (L Lᵀ)⁻¹ = L⁻ᵀ L⁻¹}: entry {@code i} is the sum of squares of column
     * {@code i} of {@code L⁻¹}, built column by column by forward substitution ({@code f³/6}).
     */
    private static double[] inverseDiagonal(double[][] l) {
        int f = l.length;
        double[] diag = new double[f];
        double[] x = new double[f];
        for (int c = 0; c < f; c++) {
            // column c of L⁻¹: zero above row c
            for (int i = c; i < f; i++) {
                double sum = i == c ? 1 : 0;
                double[] li = l[i];
                for (int k = c; k < i; k++) {
                    sum -= li[k] * x[k];
                }
                x[i] = sum / li[i];
                diag[c] += x[i] * x[i];
            }
        }
        return diag;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }
}
