package io.seqbench.harness.spec;

import io.seqbench.architectures.ArchitectureType;
import io.seqbench.architectures.Architectures;
import io.seqbench.tasks.TaskType;
import io.seqbench.tasks.Tasks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every registered architecture and task can be named in a spec, and its resolved spec reads back equal. */
class SpecRegistryTest {

    static Stream<TaskType<?>> tasks() {
        return Tasks.all().stream();
    }

    static Stream<ArchitectureType<?>> architectures() {
        return Architectures.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tasks")
    void taskType_minimalSpec_resolvesToDefaultsAndRoundTrips(TaskType<?> type) {
        Spec spec = SpecReader.parse("model: {type: lstm}\ntask: {type: " + type.key() + "}\n", List.of(), "t");
        assertEquals(type.defaults(), spec.task().config());
        assertEquals(spec, SpecReader.parse(SpecWriter.toYaml(spec), List.of(), "resolved"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void architectureType_minimalSpec_resolvesToDefaultsAndRoundTrips(ArchitectureType<?> type) {
        Spec spec = SpecReader.parse("model: {type: " + type.key() + "}\ntask: {type: copying}\n", List.of(), "t");
        assertEquals(type.defaults(), spec.model().mixer());
        assertEquals(spec, SpecReader.parse(SpecWriter.toYaml(spec), List.of(), "resolved"));
        for (Object variant : type.variants()) {
            // every variant is expressible in a spec file
            String yaml = SpecWriter.toYaml(new Spec("v", 1, new io.seqbench.architectures.ModelConfig(type.key(),
                    64, 2, io.seqbench.architectures.NormKind.LAYERNORM, 0, (Record) variant), spec.task(),
                    spec.train(), spec.eval()));
            assertEquals(variant, SpecReader.parse(yaml, List.of(), "variant").model().mixer());
        }
    }
}
