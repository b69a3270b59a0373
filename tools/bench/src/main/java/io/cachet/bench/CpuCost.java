package io.cachet.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;

import org.openjdk.jmh.annotations.Benchmark;

/**
 * CPU time per operation of each {@link PartsBenchmark} method, on one thread: the cost of a piece of code
 * regardless of what else the machine runs (JMH's throughput counts wall-clock time, which a shared machine
 * lowers). A cross-check for noisy machines, not a replacement for the JMH figures.
 *
 * <p>{@code java -cp cachet-bench.jar io.cachet.bench.CpuCost [seconds per method, default 3]}
 */
public final class CpuCost {

    private CpuCost() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        PartsBenchmark parts = new PartsBenchmark();
        parts.setUp();
        Method[] methods = Arrays.stream(PartsBenchmark.class.getMethods())
                .filter(m -> m.isAnnotationPresent(Benchmark.class)).sorted(Comparator.comparing(Method::getName))
                .toArray(Method[]::new);
        System.out.println("| piece | CPU µs per op | ops per CPU-second |\n|---|---:|---:|");
        for (Method m : methods) {
            run(parts, m, threads, seconds); // warm-up
            long[] r = run(parts, m, threads, seconds);
            double micros = r[1] / 1000.0 / r[0];
            System.out.printf(Locale.ROOT, "| %s | %.1f | %,.0f |%n", m.getName(), micros, 1e6 / micros);
        }
    }

    /** Runs {@code m} for {@code seconds} of this thread's CPU time: {ops, CPU nanoseconds}. */
    private static long[] run(Object target, Method m, ThreadMXBean threads, double seconds) throws Exception {
        long budget = (long) (seconds * 1e9);
        long start = threads.getCurrentThreadCpuTime();
        long ops = 0;
        long used;
        Object sink = null;
        do {
            for (int i = 0; i < 50; i++) {
                sink = m.invoke(target);
            }
            ops += 50;
            used = threads.getCurrentThreadCpuTime() - start;
        } while (used < budget);
        if (sink == null) {
            throw new IllegalStateException(m.getName() + " returned nothing");
        }
        return new long[] { ops, used };
    }
}
