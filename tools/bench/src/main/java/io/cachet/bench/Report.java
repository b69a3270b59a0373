package io.cachet.bench;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns JMH CSV results ({@code -rf csv}) into the Markdown table of BENCHMARKS.md: each path next to the raw
 * signature rate of the same key, token and thread count measured in the same JMH run, and their ratio.
 *
 * <p>{@code java -cp cachet-bench.jar io.cachet.bench.Report results-t1.csv results-t2.csv ...}
 */
public final class Report {

    private static final Map<String, String> LABELS = new LinkedHashMap<>();
    static {
        LABELS.put("IssuanceBenchmark.issue", "seal certificate, recorded in H2 in memory");
        LABELS.put("IssuanceBenchmark.issueH2", "seal certificate, H2 file repository");
        LABELS.put("IssuanceBenchmark.buildSign", "reference: minimal certificate build+sign");
        LABELS.put("OcspBenchmark.respond", "OCSP response, lookup in H2 in memory");
        LABELS.put("OcspBenchmark.respondH2", "OCSP response, H2 file lookup");
        LABELS.put("TsaBenchmark.respond", "RFC 3161 time-stamp");
        LABELS.put("SignatureBenchmark.pades", "PAdES-B, 1 MB PDF");
        LABELS.put("SignatureBenchmark.dssPades", "plain DSS: PAdES-B, 1 MB PDF");
        LABELS.put("SignatureBenchmark.padesFloor", "floor: PDFBox load + incremental save + SHA-256 + sign, 1 MB PDF");
        LABELS.put("CorpusBenchmark.pades", "PAdES-B, real-world corpus (files/s)");
        LABELS.put("CorpusBenchmark.dssPades", "plain DSS: PAdES-B, real-world corpus (files/s)");
        LABELS.put("CorpusBenchmark.padesFloor", "floor: PDFBox load + incremental save + SHA-256 + sign, corpus");
        LABELS.put("SignatureBenchmark.xades", "XAdES-B detached, 1 MiB");
        LABELS.put("SignatureBenchmark.dssXades", "plain DSS: XAdES-B detached, 1 MiB");
        LABELS.put("SignatureBenchmark.cades", "CAdES-B detached, 1 MiB");
        LABELS.put("SignatureBenchmark.dssCades", "plain DSS: CAdES-B detached, 1 MiB");
    }

    /** The reference of a row when it is not its class's rawSign: PAdES is compared with its own floor. */
    private static final Map<String, String> REFERENCES = Map.of(
            "SignatureBenchmark.pades", "SignatureBenchmark.padesFloor",
            "SignatureBenchmark.dssPades", "SignatureBenchmark.padesFloor",
            "CorpusBenchmark.pades", "CorpusBenchmark.padesFloor",
            "CorpusBenchmark.dssPades", "CorpusBenchmark.padesFloor");

    private Report() {
    }

    record Row(String benchmark, int threads, double score, double error, String token, String key) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: Report results.csv [more.csv ...]");
            System.exit(2);
        }
        List<Row> rows = new ArrayList<>();
        for (String file : args) {
            rows.addAll(read(Path.of(file)));
        }
        // UTF-8 whatever the locale: the table has '±'
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8).print(table(rows));
    }

    static List<Row> read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = fields(lines.get(0));
        int bench = header.indexOf("Benchmark");
        int threads = header.indexOf("Threads");
        int score = header.indexOf("Score");
        int error = header.indexOf("Score Error (99.9%)");
        int token = header.indexOf("Param: token");
        int key = header.indexOf("Param: key");
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> f = fields(line);
            String name = f.get(bench);
            name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            rows.add(new Row(name, Integer.parseInt(f.get(threads)), number(f.get(score)), number(f.get(error)),
                    token < 0 ? "" : f.get(token), key < 0 ? "" : f.get(key)));
        }
        return rows;
    }

    static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| operation | token | key | threads | ops/s ± 99.9 % error | raw limit, same key, ops/s "
                + "| ratio to raw (PAdES: to its floor) |\n|---|---|---|---:|---:|---:|---:|\n");
        // sorted by operation, then token, key, threads
        Map<String, Row> sorted = new TreeMap<>();
        List<String> order = new ArrayList<>(LABELS.keySet());
        for (Row r : rows) {
            int index = order.indexOf(r.benchmark());
            if (index < 0) {
                continue;
            }
            sorted.put(String.format(Locale.ROOT, "%02d|%s|%s|%d", index, r.token(), r.key(), r.threads()), r);
        }
        for (Row r : sorted.values()) {
            String cls = r.benchmark().substring(0, r.benchmark().indexOf('.'));
            String reference = REFERENCES.getOrDefault(r.benchmark(), cls + ".rawSign");
            Row raw = rows.stream().filter(o -> o.benchmark().equals(reference) && o.token().equals(r.token())
                    && o.key().equals(r.key()) && o.threads() == r.threads()).findFirst().orElse(null);
            sb.append("| ").append(LABELS.get(r.benchmark())).append(" | ").append(r.token()).append(" | ")
                    .append(r.key()).append(" | ").append(r.threads()).append(" | ")
                    .append(figure(r.score(), r.error())).append(" | ")
                    .append(raw == null ? "–" : figure(raw.score(), raw.error())).append(" | ")
                    .append(raw == null ? "–" : ratio(r, raw)).append(" |\n");
        }
        List<Row> parts = rows.stream().filter(r -> r.benchmark().startsWith("PartsBenchmark.")).toList();
        if (!parts.isEmpty()) {
            sb.append("\n| piece (P-256, no token) | threads | ops/s ± 99.9 % error |\n|---|---:|---:|\n");
            for (Row r : parts) {
                sb.append("| ").append(r.benchmark().substring("PartsBenchmark.".length())).append(" | ")
                        .append(r.threads()).append(" | ").append(figure(r.score(), r.error())).append(" |\n");
            }
        }
        return sb.toString();
    }

    private static String figure(double score, double error) {
        return Double.isNaN(error) ? String.format(Locale.ROOT, "%,.0f", score)
                : String.format(Locale.ROOT, "%,.0f ± %,.0f", score, error);
    }

    /** The ratio with its error from the two relative errors (independent, added in quadrature). */
    private static String ratio(Row path, Row raw) {
        double ratio = path.score() / raw.score();
        if (Double.isNaN(path.error()) || Double.isNaN(raw.error())) {
            return String.format(Locale.ROOT, "%.0f %%", 100 * ratio);
        }
        double relative = Math.hypot(path.error() / path.score(), raw.error() / raw.score());
        return String.format(Locale.ROOT, "%.0f %% ± %.0f", 100 * ratio, 100 * ratio * relative);
    }

    private static double number(String s) {
        s = s.trim();
        if (s.isEmpty() || s.equalsIgnoreCase("NaN")) {
            return Double.NaN;
        }
        return Double.parseDouble(s.replace(',', '.'));
    }

    /** Splits one CSV line; JMH quotes text fields and never puts quotes inside them. */
    static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
