package io.seqbench.harness.suite;

import io.seqbench.harness.spec.ProbeSpec;
import io.seqbench.harness.spec.RunSpec;
import io.seqbench.harness.spec.Spec;
import io.seqbench.harness.spec.SpecException;
import io.seqbench.tasks.synthetic.CopyingTask;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuiteReaderTest {

    @Test
    void parse_gridAndRuns_expandsEveryCombinationWithLabelledNames() {
        Suite suite = SuiteReader.parse("""
                name: s
                expected: ["a claim"]
                base: {train: {steps: 7}, probe: {repeats: 6}}
                grids:
                  - model: [{type: lstm}, {label: small-lstm, type: lstm, d_model: 8}]
                    task: [{type: copying, delay: 3}]
                    seed: [1, 2]
                runs:
                  - {kind: throughput, name: tp, model: {type: lstm}}
                """, "test");
        List<String> names = suite.runs().stream().map(RunSpec::name).toList();
        assertEquals(List.of("lstm-copying-seed1", "lstm-copying-seed2", "small-lstm-copying-seed1",
                "small-lstm-copying-seed2", "tp"), names);
        Spec small = (Spec) suite.runs().get(3);
        assertEquals(8, small.model().dModel());
        assertEquals(2, small.seed());
        assertEquals(7, small.train().steps(), "base applies");
        assertEquals(3, ((CopyingTask.Config) small.task().config()).delay());
        ProbeSpec tp = assertInstanceOf(ProbeSpec.class, suite.runs().get(4));
        assertEquals(6, tp.probe().repeats(), "base's probe section applies to probes, its train section does not");
        assertEquals(List.of("a claim"), suite.expected());
    }

    @Test
    void parse_invalidRun_namesTheRunAndTheField() {
        SpecException e = assertThrows(SpecException.class, () -> SuiteReader.parse("""
                name: s
                grids:
                  - model: [{type: lstm, d_model: -1}]
                    task: [{type: copying}]
                """, "suite.yaml"));
        assertTrue(e.getMessage().startsWith("suite.yaml: run lstm-copying: model.d_model: must be ≥ 1"),
                e.getMessage());
    }

    @Test
    void parse_duplicateNames_areRejected() {
        SpecException e = assertThrows(SpecException.class, () -> SuiteReader.parse("""
                name: s
                grids:
                  - model: [{type: lstm}, {type: lstm, d_model: 8}]
                    task: [{type: copying}]
                """, "suite.yaml"));
        assertTrue(e.getMessage().contains("both named lstm-copying"), e.getMessage());
    }

    @Test
    void parse_paperTable_isTypedAndItsRunsMustExist() {
        String suite = """
                name: s
                grids:
                  - model: [{type: lstm}]
                    task: [{type: copying}]
                papers:
                  - title: T
                    source: Somebody (2023), Table 1
                    metric: accuracy (%%)
                    columns: [accuracy]
                    rows:
                      - {label: LSTM, run: %s, values: {accuracy: 50.5}}
                """;
        Suite ok = SuiteReader.parse(suite.formatted("lstm-copying"), "suite.yaml");
        assertEquals(50.5, ok.papers().get(0).rows().get(0).values().get("accuracy"));
        SpecException e = assertThrows(SpecException.class,
                () -> SuiteReader.parse(suite.formatted("gru-copying"), "suite.yaml"));
        assertTrue(e.getMessage().contains("names run gru-copying, which is not in the suite"), e.getMessage());
    }

    @Test
    void parse_unknownTopLevelKey_isRejected() {
        SpecException e = assertThrows(SpecException.class,
                () -> SuiteReader.parse("name: s\nrun: []\n", "suite.yaml"));
        assertTrue(e.getMessage().contains("run: unknown key"), e.getMessage());
    }
}
