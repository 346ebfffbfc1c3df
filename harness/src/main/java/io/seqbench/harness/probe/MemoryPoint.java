package io.seqbench.harness.probe;

import io.seqbench.architectures.Backbone;
import io.seqbench.architectures.ModelGraph;
import io.seqbench.harness.Mappers;
import io.seqbench.harness.run.ResidentMemory;
import io.seqbench.harness.spec.ProbeSpec;
import io.seqbench.harness.spec.RunSpec;
import io.seqbench.harness.spec.SpecReader;
import io.seqbench.harness.spec.TrainConfig;
import io.seqbench.harness.train.BatchArrays;
import io.seqbench.harness.train.Threads;
import io.seqbench.harness.train.TrainStep;
import io.seqbench.kernels.op.JavaOps;
import io.seqbench.tasks.Seeds;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One memory measurement, run in a fresh JVM by {@link MemoryProbe} (RSS deltas inside a warmed-up JVM are noise):
 * set up the model and its graph at one length, read the resident set (VmRSS), reset the peak, run the training
 * steps, read the peak (VmHWM). The difference is the memory training at that length needs beyond the set-up
 * model. An {@link AllocationCounter} adds the exact bytes of op outputs per step.
 *
 * <p>Usage: {@code MemoryPoint <probe-spec.yaml> <length>}; prints one line {@code RESULT {json}}.
 */
public final class MemoryPoint {
    static final String RESULT = "SEQBENCH-MEMORY-RESULT ";

    private MemoryPoint() {
    }

    public static void main(String[] args) throws Exception {
        JavaOps.install();
        RunSpec parsed = SpecReader.parseAny(Files.readString(Path.of(args[0])), List.of(), args[0]);
        ProbeSpec spec = (ProbeSpec) parsed;
        int length = Integer.parseInt(args[1]);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("length", length);
        try {
            Threads.pin(spec.probe().threads());
            Backbone model = new Backbone(spec.model(), spec.probe().vocab(), length, Seeds.mix(spec.seed(), 1),
                    DataType.FLOAT);
            ModelGraph graph = model.graph(spec.probe().batchSize(), length);
            BatchArrays batch = RandomTokens.batch(spec.seed(), spec.probe().batchSize(), length, spec.probe().vocab());
            TrainStep step = new TrainStep(model.parameters().all(), TrainConfig.DEFAULTS);
            AllocationCounter counter = new AllocationCounter();
            graph.sameDiff().setListeners(counter);
            long baseline = status("VmRSS");
            resetPeak();
            long start = System.nanoTime();
            for (int i = 1; i <= spec.probe().steps(); i++) {
                step.run(graph, batch, i);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long peak = status("VmHWM");
            result.put("status", "ok");
            result.put("baseline_rss_bytes", baseline);
            result.put("peak_rss_bytes", peak);
            result.put("peak_minus_baseline_bytes", peak - baseline);
            result.put("allocated_bytes_per_step", counter.bytes() / spec.probe().steps());
            result.put("ops_per_step", counter.ops() / spec.probe().steps());
            result.put("seconds", seconds);
            result.put("parameters", model.parameterCount());
            result.put("state_elements", model.stateSize(length));
        } catch (OutOfMemoryError e) {
            result.put("status", "oom");
            result.put("note", "out of memory at L = " + length + ": " + e.getMessage());
        }
        System.out.println(RESULT + Mappers.JSON.writer()
                .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(result));
        System.out.flush();
        System.exit("ok".equals(result.get("status")) ? 0 : 3);
    }

    /** A {@code kB} field of this process's /proc status, in bytes. */
    static long status(String field) throws IOException {
        return ResidentMemory.field(ProcessHandle.current().pid(), field);
    }

    /** Resets VmHWM to the current RSS (Linux: write 5 to /proc/self/clear_refs). */
    static void resetPeak() throws IOException {
        Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    }
}
