package io.seqbench.tasks.text;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MarkovLanguageTest {
    /** The default language of the char_lm task. */
    static final MarkovLanguage DEFAULT = MarkovLanguage.create(8, 3, 0.5, 1L);

    private static double h(double p) {
        return -(p * Math.log(p) + (1 - p) * Math.log(1 - p)) / Math.log(2);
    }

    @Test
    void entropyRate_twoStateChain_matchesTheClosedForm() {
        // P = [[0.9, 0.1], [0.3, 0.7]]: π = (0.75, 0.25), H = 0.75 h(0.1) + 0.25 h(0.3)
        MarkovLanguage chain = MarkovLanguage.fromTransitions(2, 1, new double[]{0.9, 0.1, 0.3, 0.7});
        assertEquals(0.75, chain.stationary()[0], 1e-13);
        assertEquals(0.25, chain.stationary()[1], 1e-13);
        assertEquals(0.75 * h(0.1) + 0.25 * h(0.3), chain.entropyRate(), 1e-12);
        assertEquals(h(0.75), chain.blockEntropy(1), 1e-12);
        assertEquals(h(0.75), chain.conditionalEntropy(0), 1e-12);
        // a window of 3 predictions: the first sees one letter, so all three are at the rate
        assertEquals(chain.entropyRate(), chain.optimalWindowBitsPerCharacter(3), 1e-12);
    }

    @Test
    void entropyRate_secondOrderChain_equalsTheBlockEntropyIncrement() {
        // For order k, H = H_{k+1} − H_k; H_{k+1} is computed here from π and P independently of the class.
        MarkovLanguage chain = MarkovLanguage.create(3, 2, 0.7, 4L);
        double[] pi = chain.stationary();
        double blockK1 = 0;
        for (int s = 0; s < 9; s++) {
            for (int c = 0; c < 3; c++) {
                double p = pi[s] * chain.probability(s, c);
                blockK1 -= p * Math.log(p) / Math.log(2);
            }
        }
        assertEquals(blockK1 - chain.blockEntropy(2), chain.entropyRate(), 1e-12);
    }

    @Test
    void stationary_defaultLanguage_isAFixedPointOfTheChain() {
        double[] pi = DEFAULT.stationary();
        double[] next = new double[pi.length];
        double total = 0;
        for (int s = 0; s < pi.length; s++) {
            total += pi[s];
            for (int c = 0; c < 8; c++) {
                next[(s * 8 + c) % pi.length] += pi[s] * DEFAULT.probability(s, c);
            }
        }
        double residual = 0;
        for (int s = 0; s < pi.length; s++) {
            residual += Math.abs(next[s] - pi[s]);
            assertTrue(pi[s] > 0);
        }
        assertEquals(1.0, total, 1e-12);
        assertTrue(residual < 1e-12, "‖πP − π‖₁ = " + residual);
    }

    @Test
    void conditionalEntropy_moreContext_neverHurts() {
        double previous = Double.POSITIVE_INFINITY;
        for (int j = 0; j <= 4; j++) {
            double hj = DEFAULT.conditionalEntropy(j);
            assertTrue(hj <= previous + 1e-12, "H(X | " + j + " letters) = " + hj);
            previous = hj;
        }
        assertEquals(DEFAULT.entropyRate(), DEFAULT.conditionalEntropy(3));
        assertTrue(DEFAULT.entropyRate() < DEFAULT.conditionalEntropy(2) - 0.05, "order 3 matters");
        assertTrue(DEFAULT.blockEntropy(1) <= 3.0);
    }

    @Test
    void optimalWindow_averagesTheStartupWithTheRate() {
        double h = DEFAULT.entropyRate();
        double expected = (DEFAULT.conditionalEntropy(1) + DEFAULT.conditionalEntropy(2) + 126 * h) / 128;
        assertEquals(expected, DEFAULT.optimalWindowBitsPerCharacter(128), 1e-12);
        assertEquals(DEFAULT.conditionalEntropy(1), DEFAULT.optimalWindowBitsPerCharacter(1), 1e-12);
        assertTrue(DEFAULT.optimalWindowBitsPerCharacter(128) > h);
    }

    @Test
    void create_sameArguments_sameLanguage_otherSeed_otherLanguage() {
        MarkovLanguage twin = MarkovLanguage.create(8, 3, 0.5, 1L);
        assertEquals(DEFAULT.entropyRate(), twin.entropyRate());
        assertEquals(DEFAULT.sample(1000, new SplittableRandom(3)), twin.sample(1000, new SplittableRandom(3)));
        assertNotEquals(DEFAULT.entropyRate(), MarkovLanguage.create(8, 3, 0.5, 2L).entropyRate());
    }

    /**
     * On a sample of 2^22 letters the empirical entropy matches the exact rate. Two estimators:
     * <ol>
     *   <li>the model's average code length −log₂ P(x_t | context_t), unbiased for H because samples start from π; its
     *       standard error comes from 64 batch means (blocks of 65 536 letters, far longer than the chain's memory);</li>
     *   <li>the model-free plug-in conditional entropy Ĥ(X_{k+1} | X_1..X_k) from 4-gram counts, with the
     *       Miller–Madow bias correction (+(cells − contexts)/(2N ln 2)).</li>
     * </ol>
     * Both must be within 5 standard errors (plus, for the plug-in, the size of its bias correction) of H.
     */
    @Test
    void sample_longSample_empiricalEntropyMatchesTheExactRate() {
        int n = 1 << 22;
        String text = DEFAULT.sample(n, new SplittableRandom(2024));
        int a = 8;
        int states = 512;
        int blocks = 64;
        int blockLength = n / blocks;
        double[] blockMeans = new double[blocks];
        long[] contextCounts = new long[states];
        long[] cellCounts = new long[states * a];
        int s = 0;
        for (int t = 0; t < 3; t++) {
            s = s * a + (text.charAt(t) - 'a');
        }
        double total = 0;
        for (int t = 3; t < n; t++) {
            int c = text.charAt(t) - 'a';
            double bits = -Math.log(DEFAULT.probability(s, c)) / Math.log(2);
            total += bits;
            blockMeans[t / blockLength] += bits;
            contextCounts[s]++;
            cellCounts[s * a + c]++;
            s = (s * a + c) % states;
        }
        int count = n - 3;
        double crossEntropy = total / count;
        double mean = 0;
        for (int b = 0; b < blocks; b++) {
            blockMeans[b] /= (b == 0 ? blockLength - 3 : blockLength);
            mean += blockMeans[b] / blocks;
        }
        double var = 0;
        for (double m : blockMeans) {
            var += (m - mean) * (m - mean) / (blocks - 1);
        }
        double standardError = Math.sqrt(var / blocks);
        double exact = DEFAULT.entropyRate();
        assertEquals(exact, crossEntropy, 5 * standardError, "model code length, SE " + standardError);

        double plugIn = 0;
        int cells = 0;
        int contexts = 0;
        for (int ctx = 0; ctx < states; ctx++) {
            if (contextCounts[ctx] > 0) {
                contexts++;
            }
            for (int c = 0; c < a; c++) {
                long k = cellCounts[ctx * a + c];
                if (k > 0) {
                    cells++;
                    plugIn -= (double) k / count * Math.log((double) k / contextCounts[ctx]) / Math.log(2);
                }
            }
        }
        double correction = (cells - contexts) / (2.0 * count * Math.log(2));
        assertEquals(exact, plugIn + correction, 5 * standardError + correction,
                "plug-in " + plugIn + " + Miller–Madow " + correction);
    }

    @Test
    void create_badShape_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> MarkovLanguage.create(27, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> MarkovLanguage.create(8, 6, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> MarkovLanguage.create(8, 2, 0.01, 1));
        assertThrows(IllegalArgumentException.class,
                () -> MarkovLanguage.fromTransitions(2, 1, new double[]{1.0, 0.0, 0.5, 0.5}));
    }
}
