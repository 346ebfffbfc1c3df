package io.seqbench.tasks.text;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A synthetic character language with an exactly known entropy rate: a seeded order-k Markov chain over the first A
 * lowercase letters. Each of the A^k contexts (the last k letters) has its own next-letter distribution, drawn from
 * a symmetric Dirichlet(concentration): a small concentration gives peaked, predictable distributions, a large one
 * nearly uniform ones.
 *
 * <p>Glossary: A alphabet size, k order, S = A^k contexts ("states"), P(s, c) the probability of letter c after
 * context s, π the stationary distribution over contexts. A context is the base-A number of its k letters, oldest
 * letter most significant, so after letter c the context s becomes {@code (s·A + c) mod S}.
 *
 * <p>Exact quantities, computed in double precision with {@link StrictMath} so every machine gets the same numbers:
 * <ul>
 *   <li>π solves π = πP; it is found by power iteration on the lazy chain (I + P)/2 (same π, aperiodic), run until
 *       successive iterates differ by less than 1e-14 in L1 and then checked: ‖πP − π‖₁ &lt; 1e-12. Every
 *       P(s, c) is positive, so the chain is irreducible and π is unique.</li>
 *   <li>The entropy rate H = −Σ_s π_s Σ_c P(s, c) log₂ P(s, c), in bits per character: the best average
 *       code length (cross-entropy) any predictor can reach on this language.</li>
 *   <li>Block entropies H_j of j consecutive letters (j ≤ k) from the marginals of π, and from them the optimum
 *       for a predictor that sees only the last j letters: H_{j+1} − H_j (equal to H for j ≥ k).</li>
 * </ul>
 * Samples start from π, so every window of a sample is distributed as the stationary process.
 */
public final class MarkovLanguage {
    /** The most contexts a language may have (A^k). */
    public static final int MAX_STATES = 1 << 16;
    private static final double LOG2 = StrictMath.log(2);
    private static final int MAX_ITERATIONS = 1_000_000;

    private final int alphabetSize;
    private final int order;
    private final int states;
    private final double[] transitions; // [s·A + c] = P(s, c)
    private final double[] cumulative; // [s·A + c] = Σ_{c' ≤ c} P(s, c')
    private final double[] stationary; // π over contexts
    private final double[] stationaryCumulative;
    private final double[][] marginals; // [j][newest j letters] = probability of that j-gram, j = 0 … k
    private final double entropyRate;

    private MarkovLanguage(int alphabetSize, int order, double[] transitions) {
        this.alphabetSize = alphabetSize;
        this.order = order;
        this.states = pow(alphabetSize, order);
        this.transitions = transitions;
        this.cumulative = new double[transitions.length];
        for (int s = 0; s < states; s++) {
            double sum = 0;
            for (int c = 0; c < alphabetSize; c++) {
                sum += transitions[s * alphabetSize + c];
                cumulative[s * alphabetSize + c] = sum;
            }
        }
        this.stationary = stationaryDistribution();
        this.stationaryCumulative = new double[states];
        double sum = 0;
        for (int s = 0; s < states; s++) {
            sum += stationary[s];
            stationaryCumulative[s] = sum;
        }
        this.marginals = new double[order + 1][];
        for (int j = 0; j <= order; j++) {
            int size = pow(alphabetSize, j);
            marginals[j] = new double[size];
            for (int s = 0; s < states; s++) {
                marginals[j][s % size] += stationary[s];
            }
        }
        double h = 0;
        for (int s = 0; s < states; s++) {
            double hs = 0;
            for (int c = 0; c < alphabetSize; c++) {
                hs -= plogp(transitions[s * alphabetSize + c]);
            }
            h += stationary[s] * hs;
        }
        this.entropyRate = h;
    }

    /**
     * The language of the given shape drawn from {@code seed}.
     *
     * @param alphabetSize  A, 2 … 26 letters
     * @param order         k ≥ 1, with A^k ≤ {@link #MAX_STATES}
     * @param concentration Dirichlet concentration, 0.1 … 1000
     * @param seed          any long; the same arguments always give the same language
     */
    public static MarkovLanguage create(int alphabetSize, int order, double concentration, long seed) {
        checkShape(alphabetSize, order);
        if (!(concentration >= 0.1 && concentration <= 1000)) {
            throw new IllegalArgumentException("concentration must be in [0.1, 1000], got " + concentration);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int states = pow(alphabetSize, order);
        double[] transitions = new double[states * alphabetSize];
        for (int s = 0; s < states; s++) {
            double sum = 0;
            for (int c = 0; c < alphabetSize; c++) {
                double g = gamma(concentration, random);
                transitions[s * alphabetSize + c] = g;
                sum += g;
            }
            for (int c = 0; c < alphabetSize; c++) {
                transitions[s * alphabetSize + c] /= sum;
            }
        }
        return fromTransitions(alphabetSize, order, transitions);
    }

    /**
     * A language with given transition probabilities {@code transitions[s·A + c] = P(s, c)}; each row must be a
     * probability distribution with positive entries.
     */
    static MarkovLanguage fromTransitions(int alphabetSize, int order, double[] transitions) {
        checkShape(alphabetSize, order);
        int states = pow(alphabetSize, order);
        if (transitions.length != states * alphabetSize) {
            throw new IllegalArgumentException("need " + states * alphabetSize + " transition probabilities, got "
                    + transitions.length);
        }
        for (int s = 0; s < states; s++) {
            double sum = 0;
            for (int c = 0; c < alphabetSize; c++) {
                double p = transitions[s * alphabetSize + c];
                if (!(p > 0)) {
                    throw new IllegalArgumentException("P(" + s + ", " + c + ") must be > 0, got " + p);
                }
                sum += p;
            }
            if (Math.abs(sum - 1) > 1e-12) {
                throw new IllegalArgumentException("row " + s + " sums to " + sum + ", not 1");
            }
        }
        return new MarkovLanguage(alphabetSize, order, transitions.clone());
    }

    private static void checkShape(int alphabetSize, int order) {
        if (alphabetSize < 2 || alphabetSize > 26) {
            throw new IllegalArgumentException("alphabet size must be in [2, 26], got " + alphabetSize);
        }
        if (order < 1 || Math.pow(alphabetSize, order) > MAX_STATES) {
            throw new IllegalArgumentException("order must be ≥ 1 with alphabet_size^order ≤ " + MAX_STATES
                    + ", got " + alphabetSize + "^" + order);
        }
    }

    /** A, the number of letters. */
    public int alphabetSize() {
        return alphabetSize;
    }

    /** k, the number of previous letters the next one depends on. */
    public int order() {
        return order;
    }

    /** The character of letter {@code index}: {@code 'a' + index}. */
    public char symbol(int index) {
        return (char) ('a' + index);
    }

    /** The letters of this language, {@code "ab…"}. */
    public String alphabet() {
        StringBuilder s = new StringBuilder();
        for (int c = 0; c < alphabetSize; c++) {
            s.append(symbol(c));
        }
        return s.toString();
    }

    /** The entropy rate H in bits per character. */
    public double entropyRate() {
        return entropyRate;
    }

    /** The entropy in bits of j consecutive letters of the stationary process, 0 ≤ j ≤ k. */
    public double blockEntropy(int j) {
        if (j < 0 || j > order) {
            throw new IllegalArgumentException("block length must be in [0, " + order + "], got " + j);
        }
        if (j == 0) {
            return 0; // the empty block is certain (its marginal sums π, 1 up to rounding)
        }
        double h = 0;
        for (double p : marginals[j]) {
            h -= plogp(p);
        }
        return h;
    }

    /**
     * The least expected code length, in bits, of the next letter given only the previous {@code contextLength}
     * letters: H_{j+1} − H_j for j &lt; k, the entropy rate for j ≥ k.
     */
    public double conditionalEntropy(int contextLength) {
        if (contextLength < 0) {
            throw new IllegalArgumentException("context length must be ≥ 0, got " + contextLength);
        }
        if (contextLength >= order) {
            return entropyRate;
        }
        return blockEntropy(contextLength + 1) - blockEntropy(contextLength);
    }

    /**
     * The best bits per character on a window in next-character form: a window of {@code length + 1} letters,
     * where position i (0 ≤ i &lt; length) sees letters 0 … i and predicts letter i + 1. The first k − 1
     * predictions see less than k letters, so this is slightly above the entropy rate for short windows.
     */
    public double optimalWindowBitsPerCharacter(int length) {
        if (length < 1) {
            throw new IllegalArgumentException("length must be ≥ 1, got " + length);
        }
        double sum = 0;
        int partial = Math.min(length, order - 1);
        for (int i = 0; i < partial; i++) {
            sum += conditionalEntropy(i + 1);
        }
        sum += (double) (length - partial) * entropyRate;
        return sum / length;
    }

    /**
     * P(next | the given context), where the context is the last {@code length} letters before {@code next}
     * (letter indices). Only the last k of them matter; with fewer than k the stationary marginals give the answer.
     */
    public double conditionalProbability(int[] letters, int from, int length, int next) {
        int used = Math.min(length, order);
        int context = 0;
        for (int i = from + length - used; i < from + length; i++) {
            context = context * alphabetSize + letters[i];
        }
        if (used == order) {
            return transitions[context * alphabetSize + next];
        }
        return marginals[used + 1][context * alphabetSize + next] / marginals[used][context];
    }

    /** The stationary probability of each context (a copy). */
    double[] stationary() {
        return stationary.clone();
    }

    /** P(s, c). */
    double probability(int state, int next) {
        return transitions[state * alphabetSize + next];
    }

    /** {@code n} letters of the stationary process, as text over {@link #alphabet()}. */
    public String sample(int n, SplittableRandom random) {
        char[] text = new char[n];
        int s = search(stationaryCumulative, 0, states, random.nextDouble());
        int first = Math.min(order, n);
        for (int i = 0; i < first; i++) {
            int digit = s / pow(alphabetSize, order - 1 - i) % alphabetSize;
            text[i] = symbol(digit);
        }
        for (int t = order; t < n; t++) {
            int c = search(cumulative, s * alphabetSize, alphabetSize, random.nextDouble()) - s * alphabetSize;
            text[t] = symbol(c);
            s = (s * alphabetSize + c) % states;
        }
        return new String(text);
    }

    /** The first index i in [from, from + n) with u &lt; cumulative[i]; the last one when rounding leaves u above. */
    private static int search(double[] cumulative, int from, int n, double u) {
        int lo = from;
        int hi = from + n - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (u < cumulative[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    private double[] stationaryDistribution() {
        double[] pi = new double[states];
        double[] next = new double[states];
        Arrays.fill(pi, 1.0 / states);
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            step(pi, next);
            double diff = 0;
            double total = 0;
            for (int s = 0; s < states; s++) {
                next[s] = 0.5 * (next[s] + pi[s]); // lazy chain (I + P)/2
                total += next[s];
            }
            for (int s = 0; s < states; s++) {
                next[s] /= total;
                diff += Math.abs(next[s] - pi[s]);
            }
            double[] swap = pi;
            pi = next;
            next = swap;
            if (diff < 1e-14) {
                step(pi, next);
                double residual = 0;
                for (int s = 0; s < states; s++) {
                    residual += Math.abs(next[s] - pi[s]);
                }
                if (residual < 1e-12) {
                    return pi;
                }
            }
        }
        throw new IllegalStateException("the stationary distribution did not converge in " + MAX_ITERATIONS
                + " iterations; the chain mixes too slowly (raise the concentration)");
    }

    /** next = pi · P. */
    private void step(double[] pi, double[] next) {
        Arrays.fill(next, 0);
        for (int s = 0; s < states; s++) {
            double mass = pi[s];
            int base = (s * alphabetSize) % states;
            for (int c = 0; c < alphabetSize; c++) {
                next[base + c] += mass * transitions[s * alphabetSize + c];
            }
        }
    }

    private static double plogp(double p) {
        return p > 0 ? p * StrictMath.log(p) / LOG2 : 0;
    }

    private static int pow(int base, int exponent) {
        int result = 1;
        for (int i = 0; i < exponent; i++) {
            result = Math.multiplyExact(result, base);
        }
        return result;
    }

    /** A Gamma(shape, 1) variate: Marsaglia–Tsang, with the shape + 1 boost for shape &lt; 1. */
    private static double gamma(double shape, SplittableRandom random) {
        if (shape < 1) {
            return gamma(shape + 1, random) * StrictMath.pow(uniformOpen(random), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / StrictMath.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = normal(random);
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = uniformOpen(random);
            if (StrictMath.log(u) < 0.5 * x * x + d - d * v + d * StrictMath.log(v)) {
                return d * v;
            }
        }
    }

    /** A standard normal variate (Box–Muller), reproducible on every JVM. */
    private static double normal(SplittableRandom random) {
        double u1 = uniformOpen(random);
        double u2 = random.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * StrictMath.PI * u2);
    }

    /** Uniform in (0, 1]. */
    private static double uniformOpen(SplittableRandom random) {
        return 1.0 - random.nextDouble();
    }
}
