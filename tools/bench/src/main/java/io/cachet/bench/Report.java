package io.cachet.bench;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Turns JMH JSON results ({@code -rf json}) into the Markdown tables of BENCHMARKS.md, from the per-iteration scores
 * (JMH's {@code rawData}), not from JMH's score ± error: for each path, the median and the range (min–max) of its
 * measured iterations over all forks; the same for the raw limit measured in the same fork right after each
 * iteration (the secondary result {@code raw}, see {@link RawLimit}); and the ratio of the two, computed iteration
 * by iteration (each iteration of our path against the raw window that followed it) and summarised the same way.
 *
 * <p>{@code java -cp cachet-bench.jar io.cachet.bench.Report results-t1.json results-t2.json ...}
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

    /**
     * One benchmark with one set of parameters and one thread count: the scores of its measured iterations, fork by
     * fork, and the raw limit measured after each of them ({@code raw} empty when the benchmark has none).
     */
    record Row(String benchmark, int threads, String token, String key, String folder, double[][] scores,
            double[][] raw) {
    }

    /** Median and range of a set of figures. */
    record Spread(double median, double min, double max, int count) {

        static Spread of(double[] values) {
            if (values.length == 0) {
                throw new IllegalArgumentException("no values");
            }
            double[] v = values.clone();
            Arrays.sort(v);
            int n = v.length;
            double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
            return new Spread(median, v[0], v[n - 1], n);
        }

        /** "median (min–max)" with the given format for each figure. */
        String format(String figure) {
            return String.format(Locale.ROOT, figure + " (" + figure + "–" + figure + ")", median, min, max);
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: Report results.json [more.json ...]");
            System.exit(2);
        }
        List<Row> rows = new ArrayList<>();
        for (String file : args) {
            rows.addAll(read(Path.of(file)));
        }
        // UTF-8 whatever the locale: the table has '–'
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8).print(table(rows));
    }

    static List<Row> read(Path json) throws IOException {
        JsonNode results = new ObjectMapper().readTree(json.toFile());
        List<Row> rows = new ArrayList<>();
        if (results == null) {
            return rows; // JMH leaves an empty file when no benchmark ran
        }
        for (JsonNode r : results) {
            String name = r.path("benchmark").asText();
            name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            JsonNode params = r.path("params");
            rows.add(new Row(name, r.path("threads").asInt(), params.path("token").asText(""),
                    params.path("key").asText(""), params.path("folder").asText(SignatureBenchmark.DEFAULT_FOLDER),
                    matrix(r.path("primaryMetric").path("rawData")),
                    matrix(r.path("secondaryMetrics").path("raw").path("rawData"))));
        }
        return rows;
    }

    /** JMH's rawData: one array per fork, one score per measured iteration. */
    private static double[][] matrix(JsonNode rawData) {
        double[][] m = new double[rawData.size()][];
        for (int f = 0; f < m.length; f++) {
            JsonNode fork = rawData.get(f);
            m[f] = new double[fork.size()];
            for (int i = 0; i < m[f].length; i++) {
                m[f][i] = fork.get(i).asDouble();
            }
        }
        return m;
    }

    private static double[] flat(double[][] m) {
        return Arrays.stream(m).flatMapToDouble(Arrays::stream).toArray();
    }

    /** Our path's score over the raw limit's, iteration by iteration within each fork. */
    static double[] ratios(Row r) {
        List<Double> out = new ArrayList<>();
        for (int f = 0; f < Math.min(r.scores().length, r.raw().length); f++) {
            for (int i = 0; i < Math.min(r.scores()[f].length, r.raw()[f].length); i++) {
                if (r.raw()[f][i] > 0) {
                    out.add(r.scores()[f][i] / r.raw()[f][i]);
                }
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| operation | token | key | threads | ops/s, median (min–max) | raw limit in the same fork, ops/s "
                + "| ratio to raw, per iteration | forks × iterations |\n|---|---|---|---:|---:|---:|---:|---:|\n");
        // sorted by operation, then token, key, threads
        Map<String, Row> sorted = new TreeMap<>();
        List<String> order = new ArrayList<>(LABELS.keySet());
        for (Row r : rows) {
            int index = order.indexOf(r.benchmark());
            if (index >= 0 && r.scores().length > 0) {
                sorted.put(String.format(Locale.ROOT, "%02d|%s|%s|%s|%d", index, r.folder(), r.token(), r.key(),
                        r.threads()), r);
            }
        }
        for (Row r : sorted.values()) {
            double[] raw = flat(r.raw());
            double[] ratios = ratios(r);
            sb.append("| ").append(label(r)).append(" | ").append(r.token()).append(" | ")
                    .append(r.key()).append(" | ").append(r.threads()).append(" | ")
                    .append(Spread.of(flat(r.scores())).format("%,.0f")).append(" | ")
                    .append(raw.length == 0 ? "–" : Spread.of(raw).format("%,.0f")).append(" | ")
                    .append(ratios.length == 0 ? "–" : percent(Spread.of(ratios))).append(" | ")
                    .append(shape(r.scores())).append(" |\n");
        }
        sb.append(floors(sorted.values(), rows));
        List<Row> parts = rows.stream().filter(r -> r.benchmark().startsWith("PartsBenchmark.")).toList();
        if (!parts.isEmpty()) {
            sb.append("\n| piece (P-256, no token) | threads | ops/s, median (min–max) | forks × iterations |\n"
                    + "|---|---:|---:|---:|\n");
            for (Row r : parts) {
                sb.append("| ").append(r.benchmark().substring("PartsBenchmark.".length())).append(" | ")
                        .append(r.threads()).append(" | ").append(Spread.of(flat(r.scores())).format("%,.0f"))
                        .append(" | ").append(shape(r.scores())).append(" |\n");
            }
        }
        return sb.toString();
    }

    /**
     * PAdES next to its floor ({@link PadesFloor}: PDFBox load, incremental save, SHA-256, one raw signature of the
     * same key), the floor being another benchmark of the same run: the ratio of the two medians.
     */
    static String floors(java.util.Collection<Row> sorted, List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        for (Row r : sorted) {
            String reference = REFERENCES.get(r.benchmark());
            Row floor = reference == null ? null : rows.stream().filter(o -> o.benchmark().equals(reference)
                    && o.token().equals(r.token()) && o.key().equals(r.key()) && o.folder().equals(r.folder())
                    && o.threads() == r.threads() && o.scores().length > 0).findFirst().orElse(null);
            if (floor == null) {
                continue;
            }
            if (sb.length() == 0) {
                sb.append("\n| PAdES path | token | key | threads | ops/s, median | its floor in the same run, median "
                        + "| ratio of the medians |\n|---|---|---|---:|---:|---:|---:|\n");
            }
            double ours = Spread.of(flat(r.scores())).median();
            double limit = Spread.of(flat(floor.scores())).median();
            sb.append("| ").append(label(r)).append(" | ").append(r.token()).append(" | ")
                    .append(r.key()).append(" | ").append(r.threads()).append(" | ")
                    .append(String.format(Locale.ROOT, "%,.0f | %,.0f | %.0f %%", ours, limit, 100 * ours / limit))
                    .append(" |\n");
        }
        return sb.toString();
    }

    /** The operation's label, with the folder of its files when the run chose one ({@code -p folder=...}). */
    static String label(Row r) {
        String label = LABELS.get(r.benchmark());
        return SignatureBenchmark.DEFAULT_FOLDER.equals(r.folder()) ? label : label + ", files in " + r.folder();
    }

    /** A spread of ratios in per cent: "54 % (50–60)". */
    private static String percent(Spread s) {
        return String.format(Locale.ROOT, "%.0f %% (%.0f–%.0f)", 100 * s.median(), 100 * s.min(), 100 * s.max());
    }

    /** "2 × 5" when every fork has as many iterations, else the count per fork. */
    private static String shape(double[][] m) {
        boolean even = Arrays.stream(m).allMatch(f -> f.length == m[0].length);
        return even ? m.length + " × " + m[0].length
                : String.join("+", Arrays.stream(m).map(f -> String.valueOf(f.length)).toList());
    }
}
