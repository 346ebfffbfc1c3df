package io.seqbench.tasks;

import io.seqbench.tasks.synthetic.AssociativeRecallTask;
import io.seqbench.tasks.synthetic.CopyingTask;
import io.seqbench.tasks.synthetic.InductionHeadsTask;
import io.seqbench.tasks.synthetic.SelectiveCopyingTask;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Shared fixtures of the task tests: for every synthetic task an exact solver that reads a sequence's inputs only
 * (it never sees targets or mask), and the configs the registry-wide tests run.
 */
public final class TaskFixtures {
    private TaskFixtures() {
    }

    /** An exact solver of one synthetic task. */
    public interface Solver {
        /** A prediction at every position of one sequence, computed from its inputs alone. */
        int[] predict(int[] inputs);

        /** The answer positions as read from the inputs alone, or {@code null} when the inputs do not show them. */
        boolean[] answerPositions(int[] inputs);
    }

    /** A task to test, with its solver. */
    public record Case(String name, Task task, Solver solver) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Solver factories by registry key; a synthetic task without one fails {@code TaskPropertiesTest}. */
    public static final Map<String, Function<Task, Solver>> SOLVERS = Map.of(
            CopyingTask.TYPE, task -> new CopyingSolver(),
            SelectiveCopyingTask.TYPE, task -> new SelectiveCopyingSolver(),
            InductionHeadsTask.TYPE, task -> new InductionSolver(),
            AssociativeRecallTask.TYPE, task -> new AssociativeRecallSolver(((AssociativeRecallTask) task).config()));

    /** Every accuracy task with its registered defaults, plus the paper settings and other variants. */
    public static List<Case> accuracyCases() {
        List<Case> cases = new ArrayList<>();
        for (TaskType<?> type : Tasks.all()) {
            Task task = type.create(type.defaults(), 11L);
            if (task.metric() == Metric.ACCURACY) {
                cases.add(caseOf(type.key() + " defaults", task));
            }
        }
        cases.add(caseOf("copying small", new CopyingTask(new CopyingTask.Config(3, 4, 2), 12L)));
        cases.add(caseOf("selective_copying paper", new SelectiveCopyingTask(SelectiveCopyingTask.Config.PAPER, 13L)));
        cases.add(caseOf("selective_copying dense", new SelectiveCopyingTask(new SelectiveCopyingTask.Config(6, 3, 12), 14L)));
        cases.add(caseOf("induction_heads paper", new InductionHeadsTask(InductionHeadsTask.Config.PAPER, 15L)));
        cases.add(caseOf("induction_heads binary", new InductionHeadsTask(new InductionHeadsTask.Config(2, 5), 16L)));
        cases.add(caseOf("mqar zoology", new AssociativeRecallTask(AssociativeRecallTask.Config.ZOOLOGY, 17L)));
        cases.add(caseOf("mqar zero fillers", new AssociativeRecallTask(
                new AssociativeRecallTask.Config(64, 6, 40, 0.01, false), 18L)));
        cases.add(caseOf("mqar uniform gaps, all slots", new AssociativeRecallTask(
                new AssociativeRecallTask.Config(20, 4, 16, 1.0, false), 19L)));
        return cases;
    }

    public static Case caseOf(String name, Task task) {
        Function<Task, Solver> solver = SOLVERS.get(task.type());
        if (solver == null) {
            throw new AssertionError("no solver for task type '" + task.type() + "' in TaskFixtures.SOLVERS");
        }
        return new Case(name, task, solver.apply(task));
    }

    /** The inputs of sequence b, copied: what a solver may see. */
    public static int[] inputsOf(Batch batch, int b) {
        return Arrays.copyOfRange(batch.inputs(), batch.index(b, 0), batch.index(b, 0) + batch.length());
    }

    /** Fraction of answer positions where the solver's prediction equals the target. */
    public static double accuracy(Batch batch, Solver solver) {
        int correct = 0;
        for (int b = 0; b < batch.batchSize(); b++) {
            int[] predicted = solver.predict(inputsOf(batch, b));
            for (int t = 0; t < batch.length(); t++) {
                int i = batch.index(b, t);
                if (batch.mask()[i] != 0f && predicted[t] == batch.targets()[i]) {
                    correct++;
                }
            }
        }
        return (double) correct / batch.answerCount();
    }

    private static int[] unknown(int length) {
        int[] predictions = new int[length];
        Arrays.fill(predictions, -1);
        return predictions;
    }

    /** Copying: after the go marker at g, position t repeats the input at t − g. */
    static final class CopyingSolver implements Solver {
        @Override
        public int[] predict(int[] inputs) {
            int[] predictions = unknown(inputs.length);
            int go = indexOf(inputs, CopyingTask.GO);
            for (int t = go; t >= 0 && t < inputs.length && t - go < go; t++) {
                predictions[t] = inputs[t - go];
            }
            return predictions;
        }

        @Override
        public boolean[] answerPositions(int[] inputs) {
            boolean[] answers = new boolean[inputs.length];
            int go = indexOf(inputs, CopyingTask.GO);
            long data = Arrays.stream(inputs).filter(x -> x >= CopyingTask.FIRST_DATA).count();
            for (int t = go; t < go + data; t++) {
                answers[t] = true;
            }
            return answers;
        }
    }

    /** Selective copying: the i-th marker gets the i-th data token seen. */
    static final class SelectiveCopyingSolver implements Solver {
        @Override
        public int[] predict(int[] inputs) {
            int[] predictions = unknown(inputs.length);
            List<Integer> data = new ArrayList<>();
            int marker = 0;
            for (int t = 0; t < inputs.length; t++) {
                if (inputs[t] >= SelectiveCopyingTask.FIRST_DATA) {
                    data.add(inputs[t]);
                } else if (inputs[t] == SelectiveCopyingTask.MARKER) {
                    predictions[t] = marker < data.size() ? data.get(marker) : -1;
                    marker++;
                }
            }
            return predictions;
        }

        @Override
        public boolean[] answerPositions(int[] inputs) {
            boolean[] answers = new boolean[inputs.length];
            for (int t = 0; t < inputs.length; t++) {
                answers[t] = inputs[t] == SelectiveCopyingTask.MARKER;
            }
            return answers;
        }
    }

    /** Induction heads: at a repeated trigger, the token that followed its first occurrence. */
    static final class InductionSolver implements Solver {
        @Override
        public int[] predict(int[] inputs) {
            int[] predictions = unknown(inputs.length);
            int first = indexOf(inputs, InductionHeadsTask.TRIGGER);
            for (int t = first + 1; first >= 0 && t < inputs.length; t++) {
                if (inputs[t] == InductionHeadsTask.TRIGGER) {
                    predictions[t] = inputs[first + 1];
                }
            }
            return predictions;
        }

        @Override
        public boolean[] answerPositions(int[] inputs) {
            boolean[] answers = new boolean[inputs.length];
            int first = indexOf(inputs, InductionHeadsTask.TRIGGER);
            for (int t = first + 1; first >= 0 && t < inputs.length; t++) {
                answers[t] = inputs[t] == InductionHeadsTask.TRIGGER;
            }
            return answers;
        }
    }

    /** MQAR: look each token after the context up among the key-value pairs of the context. */
    static final class AssociativeRecallSolver implements Solver {
        private final AssociativeRecallTask.Config config;

        AssociativeRecallSolver(AssociativeRecallTask.Config config) {
            this.config = config;
        }

        @Override
        public int[] predict(int[] inputs) {
            int[] predictions = unknown(inputs.length);
            Map<Integer, Integer> values = new HashMap<>();
            int context = 2 * config.pairs();
            for (int i = 0; i < context; i += 2) {
                values.put(inputs[i], inputs[i + 1]);
            }
            for (int t = context; t < inputs.length; t++) {
                predictions[t] = values.getOrDefault(inputs[t], -1);
            }
            return predictions;
        }

        @Override
        public boolean[] answerPositions(int[] inputs) {
            if (config.randomNonQueries()) {
                return null; // a random filler may equal a key: the inputs do not show which is the query
            }
            boolean[] answers = new boolean[inputs.length];
            for (int t = 2 * config.pairs(); t < inputs.length; t++) {
                answers[t] = inputs[t] != AssociativeRecallTask.FILLER;
            }
            return answers;
        }
    }

    private static int indexOf(int[] values, int value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
