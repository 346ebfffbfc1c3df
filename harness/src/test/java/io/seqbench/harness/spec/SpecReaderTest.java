package io.seqbench.harness.spec;

import io.seqbench.architectures.NormKind;
import io.seqbench.architectures.rnn.LstmMixer;
import io.seqbench.tasks.synthetic.CopyingTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpecReaderTest {
    private static final String MINIMAL = """
            model: {type: lstm}
            task: {type: copying}
            """;

    @Test
    void parse_minimalSpec_fillsEveryDefault() {
        Spec spec = SpecReader.parse(MINIMAL, List.of(), "test");
        assertEquals("lstm-copying", spec.name());
        assertEquals(SpecReader.DEFAULT_SEED, spec.seed());
        assertEquals(64, spec.model().dModel());
        assertEquals(NormKind.LAYERNORM, spec.model().norm());
        assertEquals(LstmMixer.Config.DEFAULTS, spec.model().mixer());
        assertEquals(CopyingTask.Config.DEFAULTS, spec.task().config());
        assertEquals(TrainConfig.DEFAULTS, spec.train());
        assertEquals(EvalConfig.DEFAULTS, spec.eval());
    }

    @Test
    void parse_fullSpec_readsSnakeCaseFieldsOfEverySection() {
        Spec spec = SpecReader.parse("""
                name: my-run
                seed: 42
                model: {type: lstm, d_model: 32, layers: 3, norm: RMSNorm, mlp_ratio: 2, forget_bias: 0.5}
                task: {type: copying, tokens: 4, data_tokens: 6, delay: 3}
                train: {steps: 10, batch_size: 8, learning_rate: 0.01, threads: 2}
                eval: {every: 5, lengths: [20, 40]}
                """, List.of(), "test");
        assertEquals("my-run", spec.name());
        assertEquals(42, spec.seed());
        assertEquals(32, spec.model().dModel());
        assertEquals(3, spec.model().layers());
        assertEquals(NormKind.RMSNORM, spec.model().norm());
        assertEquals(2, spec.model().mlpRatio());
        assertEquals(new LstmMixer.Config(0.5), spec.model().mixer());
        assertEquals(new CopyingTask.Config(4, 6, 3), spec.task().config());
        assertEquals(8, spec.train().batchSize());
        assertEquals(0.01, spec.train().learningRate());
        assertEquals(2, spec.train().threads());
        assertEquals(List.of(20, 40), spec.eval().lengths());
    }

    @Test
    void writer_resolvedSpec_readsBackEqual() {
        Spec spec = SpecReader.parse(MINIMAL, List.of("train.steps=7", "model.norm=rmsnorm"), "test");
        String yaml = SpecWriter.toYaml(spec);
        assertTrue(yaml.contains("norm: rmsnorm") && yaml.contains("d_model: 64"), yaml);
        assertEquals(spec, SpecReader.parse(yaml, List.of(), "resolved"));
    }

    @Test
    void overrides_setNestedValuesWithYamlTypes() {
        Spec spec = SpecReader.parse(MINIMAL, List.of("train.learning_rate=1e-2", "eval.lengths=[64, 128]",
                "seed=9", "task.delay=2"), "test");
        assertEquals(0.01, spec.train().learningRate());
        assertEquals(List.of(64, 128), spec.eval().lengths());
        assertEquals(9, spec.seed());
        assertEquals(2, ((CopyingTask.Config) spec.task().config()).delay());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "train.stepz=5          | train.stepz: unknown key",
            "model.hidden=5         | model.hidden: unknown key",
            "task.foo=1             | task.foo: unknown key",
            "bogus=1                | bogus: unknown key",
            "train.steps=abc        | train.steps: must be an integer, got 'abc'",
            "train.steps=1.5        | train.steps: must be an integer, got 1.5",
            "train.steps=0          | train.steps: must be ≥ 1, got 0",
            "train.learning_rate=x  | train.learning_rate: must be a number, got 'x'",
            "model.d_model=0        | model.d_model: must be ≥ 1, got 0",
            "model.norm=batchnorm   | model.norm: must be one of [layernorm, rmsnorm], got 'batchnorm'",
            "model.type=gpt9        | model.type: unknown model type 'gpt9'; allowed:",
            "task.type=sorting      | task.type: unknown task type 'sorting'; allowed:",
            "task.tokens=0          | task.tokens: must be ≥ 1, got 0",
            "eval.lengths=7         | eval.lengths: must be a list",
            "model.forget_bias=true | model.forget_bias: must be a number, got true",
            "name=a b               | name: must be 1-80 letters",
    })
    void parse_badValue_namesTheFieldAndWhatIsAllowed(String override, String expected) {
        SpecException e = assertThrows(SpecException.class,
                () -> SpecReader.parse(MINIMAL, List.of(override), "test"));
        assertTrue(e.getMessage().startsWith(expected), "message was: " + e.getMessage());
    }

    @Test
    void parse_missingSection_saysWhatIsRequired() {
        SpecException e = assertThrows(SpecException.class,
                () -> SpecReader.parse("model: {type: lstm}", List.of(), "test"));
        assertTrue(e.getMessage().startsWith("task: required"), e.getMessage());
    }

    @Test
    void parse_notYaml_namesTheSource() {
        SpecException e = assertThrows(SpecException.class,
                () -> SpecReader.parse("model: [unclosed", List.of(), "bad.yaml"));
        assertTrue(e.getMessage().startsWith("bad.yaml is not valid YAML"), e.getMessage());
    }
}
