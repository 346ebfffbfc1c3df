package io.seqbench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuiteCommandTest {
    @TempDir
    Path tmp;

    @Test
    void listing_theProjectsSuites_oneLineEachWithRunsAndFirstSentence() {
        String out = SuiteCommand.listing(Path.of("../runs/suites"));
        for (String name : new String[]{"quick", "scaling", "mqar", "mamba-selective-copying"}) {
            assertTrue(out.lines().anyMatch(l -> l.startsWith("  " + name + " ") && l.matches(".* \\d+ runs  \\S.*")),
                    name + " missing or malformed in:\n" + out);
        }
        assertTrue(out.lines().noneMatch(l -> l.contains("invalid:")), out);
    }

    @Test
    void listing_aBrokenSuite_isListedAsInvalidWithItsReason() throws Exception {
        Files.writeString(tmp.resolve("good.yaml"), "name: good\ndescription: One run. More text.\n"
                + "runs:\n  - {name: a, model: {type: lstm}, task: {type: copying}}\n");
        Files.writeString(tmp.resolve("bad.yaml"), "name: bad\nruns: 3\n");
        String out = SuiteCommand.listing(tmp);
        assertTrue(out.contains("  good ") && out.contains("1 runs  One run."), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("  bad ") && l.contains("invalid: ")), out);
    }

    @Test
    void shorten_cutsAtAWordBoundaryAndMarksTheCut() {
        assertEquals("short text", SuiteCommand.shorten("short text", 90));
        assertEquals("alpha beta…", SuiteCommand.shorten("alpha beta gamma", 12));
        assertEquals("abcdefghi…", SuiteCommand.shorten("abcdefghijklmnop", 10));
    }

    @Test
    void listing_noSuites_isBadInputNamingTheDirectory() {
        BadInputException e = assertThrows(BadInputException.class, () -> SuiteCommand.listing(tmp));
        assertTrue(e.getMessage().contains(tmp.toString()), e.getMessage());
    }

    @Test
    void suite_withoutNameOrList_exitsTwoAndSaysWhatToPass() {
        RunCommandTest.Result r = RunCommandTest.cli("suite", "--suites-dir", "../runs/suites");
        assertEquals(SeqBench.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("name a suite") && r.err().contains("quick") && r.err().contains("--list"),
                r.err());
    }
}
