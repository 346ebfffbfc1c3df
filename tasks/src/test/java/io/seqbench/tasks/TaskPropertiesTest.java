package io.seqbench.tasks;

import io.seqbench.tasks.TaskFixtures.Case;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties every registered task has, and every synthetic task's solver and chance-level checks. */
class TaskPropertiesTest {
    private static final Map<String, Task> DEFAULT_TASKS = new LinkedHashMap<>();

    static synchronized List<String> registeredKeys() {
        if (DEFAULT_TASKS.isEmpty()) {
            for (TaskType<?> type : Tasks.all()) {
                DEFAULT_TASKS.put(type.key(), type.create(type.defaults(), 5L));
            }
        }
        return new ArrayList<>(DEFAULT_TASKS.keySet());
    }

    static List<Case> accuracyCases() {
        return TaskFixtures.accuracyCases();
    }

    private static Task defaults(String key) {
        registeredKeys();
        return DEFAULT_TASKS.get(key);
    }

    // ---- every registered task, with its defaults ---------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("registeredKeys")
    void create_defaults_reportTheRegisteredTypeAndATrainingLength(String key) {
        Task task = defaults(key);
        assertEquals(key, task.type());
        assertTrue(task.vocabSize() >= 2, "vocab " + task.vocabSize());
        assertTrue(task.supportsLength(task.length()), "the training length must be supported");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registeredKeys")
    void batch_sameSeedSplitAndStep_isIdentical(String key) {
        Task task = defaults(key);
        Task twin = Tasks.get(key).create(Tasks.get(key).defaults(), 5L);
        assertEquals(task.batch(Split.TRAIN, 7, 4), twin.batch(Split.TRAIN, 7, 4));
        assertEquals(task.batch(Split.VALIDATION, 2, 3, task.length() + 5),
                twin.batch(Split.VALIDATION, 2, 3, task.length() + 5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registeredKeys")
    void batch_otherSeedStepOrSplit_differs(String key) {
        Task task = defaults(key);
        Batch batch = task.batch(Split.TRAIN, 7, 4);
        assertNotEquals(batch, Tasks.get(key).create(Tasks.get(key).defaults(), 6L).batch(Split.TRAIN, 7, 4));
        assertNotEquals(batch, task.batch(Split.TRAIN, 8, 4));
        assertNotEquals(batch, task.batch(Split.VALIDATION, 7, 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registeredKeys")
    void batch_tokensAndMask_areWellFormed(String key) {
        Task task = defaults(key);
        Batch batch = task.batch(Split.VALIDATION, 0, 8);
        assertEquals(8, batch.batchSize());
        assertEquals(task.length(), batch.length());
        for (int i = 0; i < batch.inputs().length; i++) {
            assertTrue(batch.inputs()[i] >= 0 && batch.inputs()[i] < task.vocabSize(), "input id at " + i);
            assertTrue(batch.targets()[i] >= 0 && batch.targets()[i] < task.vocabSize(), "target id at " + i);
            float m = batch.mask()[i];
            assertTrue(m == 0f || m == 1f, "mask must be 0 or 1");
            if (m == 0f) {
                assertEquals(0, batch.targets()[i], "targets are 0 where the mask is 0");
            }
        }
        assertTrue(batch.answerCount() > 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registeredKeys")
    void referenceValues_includeTheChanceLevelOfTheMetric(String key) {
        Task task = defaults(key);
        String name = task.metric() == Metric.ACCURACY ? "chance_accuracy" : "chance_bpc";
        Double chance = task.referenceValues().get(name);
        assertNotNull(chance, key + " must report " + name);
        if (task.metric() == Metric.ACCURACY) {
            assertTrue(chance > 0 && chance < 1, name + " = " + chance);
        } else {
            assertTrue(chance > 0, name + " = " + chance);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registeredKeys")
    void batch_unsupportedLength_isRejectedNamingTheRange(String key) {
        Task task = defaults(key);
        int min = minimumLength(task);
        for (int length = min; length < min + 40; length++) {
            assertTrue(task.supportsLength(length), "lengths above the minimum " + min + " are supported: " + length);
        }
        assertFalse(task.supportsLength(0));
        if (min > 1) {
            var e = assertThrows(IllegalArgumentException.class, () -> task.batch(Split.TRAIN, 0, 1, min - 1));
            assertTrue(e.getMessage().contains("length"), e.getMessage());
        }
    }

    @Test
    void solvers_coverEverySyntheticTask() {
        for (String key : registeredKeys()) {
            if (defaults(key).metric() == Metric.ACCURACY) {
                assertTrue(TaskFixtures.SOLVERS.containsKey(key), "TaskFixtures needs a solver for " + key);
            }
        }
    }

    // ---- synthetic tasks: solver, mask, chance, other lengths ---------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("accuracyCases")
    void solver_readingInputsOnly_scoresPerfectly(Case c) {
        for (Split split : Split.values()) {
            for (int step = 0; step < 10; step++) {
                Batch batch = c.task().batch(split, step, 16);
                assertEquals(1.0, TaskFixtures.accuracy(batch, c.solver()), split + " step " + step);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accuracyCases")
    void mask_coversExactlyTheAnswerPositions(Case c) {
        Batch batch = c.task().batch(Split.TRAIN, 1, 16);
        boolean checked = false;
        for (int b = 0; b < batch.batchSize(); b++) {
            boolean[] answers = c.solver().answerPositions(TaskFixtures.inputsOf(batch, b));
            if (answers == null) {
                continue; // not readable from the inputs (MQAR with random fillers); see AssociativeRecallTaskTest
            }
            checked = true;
            for (int t = 0; t < batch.length(); t++) {
                assertEquals(answers[t] ? 1f : 0f, batch.mask()[batch.index(b, t)], "sequence " + b + " position " + t);
            }
        }
        if (!checked) {
            assertTrue(c.name().startsWith("mqar"), "only MQAR with random fillers hides its answer positions");
        }
    }

    /**
     * Input-blind predictors score the reported chance accuracy. Both are fitted on training batches and scored on
     * at least 10 000 validation answers: (a) the most frequent training target at each position, (b) a uniform
     * guess among the training targets. When answers are uniform over their alphabet and independent of position,
     * any input-blind predictor is right with probability exactly chance_accuracy, so its score is a binomial
     * proportion (or, where answers in a sequence are drawn without replacement, less spread than one); 5 standard
     * deviations of the binomial bound it with a false-alarm rate below 1e-6, while a leak of the answer into the
     * position or a skewed answer distribution moves the score by far more.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("accuracyCases")
    void blindPredictors_ignoringInputs_scoreChance(Case c) {
        Task task = c.task();
        double chance = task.referenceValues().get("chance_accuracy");
        int length = task.length();
        int vocab = task.vocabSize();
        int perBatch = task.batch(Split.TRAIN, 0, 64).answerCount();
        int batches = (10_000 + perBatch - 1) / perBatch;

        int[] counts = new int[length * vocab];
        TreeSet<Integer> seenTargets = new TreeSet<>();
        for (int step = 0; step < batches; step++) {
            Batch batch = task.batch(Split.TRAIN, step, 64);
            forEachAnswer(batch, (t, target) -> {
                counts[t * vocab + target]++;
                seenTargets.add(target);
            });
        }
        int[] majority = new int[length];
        for (int t = 0; t < length; t++) {
            int best = 0;
            for (int v = 1; v < vocab; v++) {
                if (counts[t * vocab + v] > counts[t * vocab + best]) {
                    best = v;
                }
            }
            majority[t] = best;
        }
        Integer[] guesses = seenTargets.toArray(new Integer[0]);
        SplittableRandom guess = new SplittableRandom(99);

        int[] correct = new int[2];
        int[] answers = new int[1];
        for (int step = 0; step < batches; step++) {
            Batch batch = task.batch(Split.VALIDATION, step, 64);
            forEachAnswer(batch, (t, target) -> {
                answers[0]++;
                correct[0] += majority[t] == target ? 1 : 0;
                correct[1] += guesses[guess.nextInt(guesses.length)] == target ? 1 : 0;
            });
        }
        double tolerance = 5 * Math.sqrt(chance * (1 - chance) / answers[0]);
        double byPosition = (double) correct[0] / answers[0];
        double uniform = (double) correct[1] / answers[0];
        assertEquals(chance, byPosition, tolerance, "per-position majority on " + answers[0] + " answers");
        assertEquals(chance, uniform, tolerance, "uniform guess on " + answers[0] + " answers");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accuracyCases")
    void solver_atOtherLengths_scoresPerfectlyWithTheSameAnswersPerSequence(Case c) {
        Task task = c.task();
        int perSequence = task.batch(Split.TRAIN, 0, 1).answerCount();
        int min = minimumLength(task);
        for (int length : new int[]{min, min + 1, task.length(), 2 * task.length() + 1, 16_384}) {
            Batch batch = task.batch(Split.VALIDATION, length, 2, length);
            assertEquals(length, batch.length());
            assertEquals(2 * perSequence, batch.answerCount(), "answers at length " + length);
            assertEquals(1.0, TaskFixtures.accuracy(batch, c.solver()), "solver at length " + length);
            for (int b = 0; b < 2; b++) {
                boolean[] answers = c.solver().answerPositions(TaskFixtures.inputsOf(batch, b));
                if (answers != null) {
                    for (int t = 0; t < length; t++) {
                        assertEquals(answers[t] ? 1f : 0f, batch.mask()[batch.index(b, t)], "mask at length " + length);
                    }
                }
            }
        }
    }

    private interface AnswerVisitor {
        void visit(int position, int target);
    }

    private static void forEachAnswer(Batch batch, AnswerVisitor visitor) {
        for (int b = 0; b < batch.batchSize(); b++) {
            for (int t = 0; t < batch.length(); t++) {
                int i = batch.index(b, t);
                if (batch.mask()[i] != 0f) {
                    visitor.visit(t, batch.targets()[i]);
                }
            }
        }
    }

    private static int minimumLength(Task task) {
        for (int length = 1; length <= task.length(); length++) {
            if (task.supportsLength(length)) {
                return length;
            }
        }
        throw new AssertionError(task.type() + " does not support its own training length");
    }

    /** The accuracy check can fail: one corrupted target drops a solver's score below 1. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("accuracyCases")
    void accuracy_oneCorruptedTarget_isBelowOne(Case c) {
        Batch batch = c.task().batch(Split.TRAIN, 0, 4);
        int[] targets = batch.targets().clone();
        for (int i = 0; i < targets.length; i++) {
            if (batch.mask()[i] != 0f) {
                targets[i] = (targets[i] + 1) % c.task().vocabSize();
                break;
            }
        }
        Batch corrupted = new Batch(batch.batchSize(), batch.length(), batch.inputs(), targets, batch.mask());
        assertEquals(1.0 - 1.0 / batch.answerCount(), TaskFixtures.accuracy(corrupted, c.solver()), 1e-12);
    }
}
