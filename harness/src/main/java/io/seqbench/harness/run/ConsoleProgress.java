package io.seqbench.harness.run;

import io.seqbench.harness.store.MetricsLine;
import io.seqbench.harness.train.TrainingListener;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A progress bar for one training run: step, loss, accuracy, held-out accuracy and ETA. On a terminal it redraws
 * one line in place; otherwise (logs, CI, pipes) it prints a plain ASCII line at every 5% of progress and at
 * every evaluation. Every message also goes to {@code log} (the run's stdout.log).
 */
public final class ConsoleProgress implements TrainingListener {
    private static final int WIDTH = 24;

    private final PrintStream out;
    private final boolean terminal;
    private final Consumer<String> log;
    private final LongSupplier nanoClock;
    private final String label;
    private long firstStep;
    private long total;
    private long startNanos;
    private long step;
    private double loss = Double.NaN;
    private Double trainAccuracy;
    private String evalText = "";
    private int lastPercentPrinted = -1;
    private boolean lineOpen;

    public ConsoleProgress(PrintStream out, boolean terminal, Consumer<String> log, LongSupplier nanoClock,
                           String label) {
        this.out = out;
        this.terminal = terminal;
        this.log = log;
        this.nanoClock = nanoClock;
        this.label = label;
    }

    @Override
    public void onStart(long firstStep, long totalSteps) {
        this.firstStep = firstStep;
        this.total = totalSteps;
        this.startNanos = nanoClock.getAsLong();
        this.step = firstStep - 1;
    }

    @Override
    public void onStep(long step, double loss) {
        this.step = step;
        this.loss = loss;
        if (terminal) {
            redraw();
        } else {
            int percent = (int) (100 * step / Math.max(1, total));
            if (percent / 5 > lastPercentPrinted / 5 || step == total) {
                lastPercentPrinted = percent;
                println(line());
            }
        }
    }

    @Override
    public void onMetrics(MetricsLine m) {
        Double acc = m.values().get("accuracy");
        Double bpc = m.values().get("bits_per_character");
        if (MetricsLine.TRAIN.equals(m.kind())) {
            trainAccuracy = acc;
            log.accept(String.format(Locale.ROOT, "step %d train loss %.4f accuracy %.4f", m.step(),
                    m.values().get("loss"), acc));
        } else {
            String what = MetricsLine.EVAL.equals(m.kind()) ? "eval" : "eval at length " + m.length();
            String text = bpc != null
                    ? String.format(Locale.ROOT, "%s bpc %.4f", what, bpc)
                    : String.format(Locale.ROOT, "%s acc %.4f", what, acc);
            if (MetricsLine.EVAL.equals(m.kind())) {
                evalText = text;
            }
            message("step " + m.step() + " " + text + String.format(Locale.ROOT, " (loss %.4f)",
                    m.values().get("loss")));
        }
    }

    @Override
    public void onMessage(String message) {
        message(message);
    }

    @Override
    public void onEnd() {
        if (terminal && lineOpen) {
            redraw();
            out.println();
            lineOpen = false;
        }
    }

    private void message(String text) {
        if (terminal && lineOpen) {
            out.print("\r" + " ".repeat(110) + "\r");
            lineOpen = false;
        }
        println(label + ": " + text);
        if (terminal && step >= firstStep) {
            redraw();
        }
    }

    private void println(String text) {
        out.println(text);
        log.accept(text);
    }

    private void redraw() {
        out.print("\r" + line());
        out.flush();
        lineOpen = true;
    }

    private String line() {
        double fraction = total == 0 ? 1 : (double) step / total;
        int filled = (int) Math.round(fraction * WIDTH);
        String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
        double elapsed = (nanoClock.getAsLong() - startNanos) / 1e9;
        long done = step - firstStep + 1;
        double eta = done <= 0 ? Double.NaN : elapsed / done * (total - step);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s [%s] %3d%% step %d/%d loss %.4f", label, bar,
                (int) (fraction * 100), step, total, loss));
        if (trainAccuracy != null) {
            sb.append(String.format(Locale.ROOT, " acc %.3f", trainAccuracy));
        }
        if (!evalText.isEmpty()) {
            sb.append(" | ").append(evalText);
        }
        sb.append(" | ").append(duration(elapsed)).append(" ETA ").append(duration(eta));
        return sb.toString();
    }

    /** A short human duration: "42s", "3m05s", "1h02m"; "?" for NaN. */
    public static String duration(double seconds) {
        if (Double.isNaN(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
        }
        return (s / 3600) + "h" + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + "m";
    }
}
