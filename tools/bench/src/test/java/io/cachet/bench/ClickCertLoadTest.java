package io.cachet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Click&amp;Cert load client's own arithmetic and input; the load itself runs against a real server in
 * {@code tools/bench/clickcert.sh} (BENCHMARKS.md).
 */
class ClickCertLoadTest {

    @Test
    void percentilesAreNearestRankOverTheSortedLatencies() {
        List<Long> values = new ArrayList<>();
        for (long i = 1; i <= 200; i++) {
            values.add(i);
        }
        assertEquals(100, ClickCertLoad.percentile(values, 50));
        assertEquals(198, ClickCertLoad.percentile(values, 99));
        assertEquals(200, ClickCertLoad.percentile(values, 100));
        assertEquals(7, ClickCertLoad.percentile(List.of(7L), 99));
        assertEquals(0, ClickCertLoad.percentile(List.of(), 50));
    }

    @Test
    void theReportGivesEachStepsRateAndLatenciesAndTheFailures() {
        ClickCertLoad.Tally tally = new ClickCertLoad.Tally();
        for (long ms = 1; ms <= 10; ms++) {
            tally.latencies.get("upload").add(ms * 1_000_000);
            tally.latencies.get("sign").add(ms * 10_000_000);
            tally.latencies.get("download").add(ms * 1_000_000);
            tally.latencies.get("cycle").add(ms * 12_000_000);
        }
        tally.fail("upload 429");
        tally.fail("upload 429");
        tally.fail("sign 400");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ClickCertLoad.report(tally, Duration.ofSeconds(5), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String report = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains("| sign | 10 | 2.0 | 50.0 | 100.0 | 100.0 |"), report);
        assertTrue(report.contains("| cycle | 10 | 2.0 | 60.0 | 120.0 | 120.0 |"), report);
        assertTrue(report.contains("failures: {sign 400=1, upload 429=2}"), report);
    }

    @Test
    void accountsAreReadOnePerLineAndABadLineIsNamed(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("accounts.tsv"),
                "anna@example.fr\tfirst secret\torder-1\n\njean@example.fr\tsecond\torder-2\n");
        List<ClickCertLoad.Account> accounts = ClickCertLoad.accounts(file);
        assertEquals(List.of(new ClickCertLoad.Account("anna@example.fr", "first secret", "order-1"),
                new ClickCertLoad.Account("jean@example.fr", "second", "order-2")), accounts);
        Files.writeString(file, "anna@example.fr order-1\n");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> ClickCertLoad.accounts(file));
        assertTrue(bad.getMessage().contains("anna@example.fr order-1"), bad.getMessage());
    }
}
