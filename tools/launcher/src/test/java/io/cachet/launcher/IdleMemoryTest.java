package io.cachet.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.management.HotSpotDiagnosticMXBean;

import io.cachet.api.testing.Processes;

/**
 * Each case runs {@link Idling} in a JVM of its own (the options are the whole JVM's): it grows its heap, lets go
 * of what it allocated and waits, doing nothing, until the committed heap is small again or its time is up.
 */
class IdleMemoryTest {

    @TempDir
    Path temp;

    @Test
    void anIdleJvmGivesBackTheHeapItNoLongerUses() {
        Processes.Result run = idling(List.of(), "1000", "idle");
        assertEquals(0, run.exit(), run.out());
        assertTrue(run.out().contains("set {G1PeriodicGCInterval=1000, MaxHeapFreeRatio=40}"), run.out());
        assertTrue(run.out().contains("shrunk"), run.out());
    }

    @Test
    void withoutItTheHeapGrownByWorkStaysCommittedWhileIdle() {
        // the same child without the options, for as long as the other one is given to shrink: it is what
        // Cachet looked like before (a start leaves the heap grown and nothing collects while idle)
        Processes.Result run = idling(List.of(), "0", "idle");
        assertEquals(0, run.exit(), run.out());
        assertTrue(run.out().contains("kept"), run.out());
    }

    @Test
    void optionsGivenOnTheCommandLineAreLeftAsTheyAre() {
        Processes.Result run = idling(List.of("-XX:MaxHeapFreeRatio=70"), "1000", "options");
        assertEquals(0, run.exit(), run.out());
        assertTrue(run.out().contains("set {G1PeriodicGCInterval=1000}"), run.out());
        assertTrue(run.out().contains("MaxHeapFreeRatio=70"), run.out());
    }

    @Test
    void anotherCollectorIsLeftAlone() {
        Processes.Result run = idling(List.of("-XX:+UseSerialGC"), "1000", "options");
        assertEquals(0, run.exit(), run.out());
        assertTrue(run.out().contains("set {}"), run.out());
        assertTrue(run.out().contains("G1PeriodicGCInterval=0"), run.out());
    }

    private Processes.Result idling(List<String> options, String intervalMillis, String mode) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xms16m", "-Xmx512m"));
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Idling.class.getName(), intervalMillis,
                mode));
        return Processes.run(temp, Duration.ofSeconds(90), command);
    }

    /** The child JVM: args interval in ms (0: options not applied), then "idle" or "options". */
    public static final class Idling {
        private static final long GROWN = 200L << 20;
        private static final long SMALL = 100L << 20;

        public static void main(String[] args) throws InterruptedException {
            long interval = Long.parseLong(args[0]);
            if (interval > 0) {
                System.out.println("set " + IdleMemory.apply(Duration.ofMillis(interval)));
            }
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (args[1].equals("options")) {
                System.out.println(IdleMemory.MAX_FREE + "=" + vm.getVMOption(IdleMemory.MAX_FREE).getValue());
                System.out.println(IdleMemory.INTERVAL + "=" + vm.getVMOption(IdleMemory.INTERVAL).getValue());
                return;
            }
            List<byte[]> work = new ArrayList<>();
            while (heap().getCommitted() < GROWN + SMALL) {
                work.add(new byte[1 << 20]);
            }
            System.out.println("grown to " + (heap().getCommitted() >> 20) + " MB, " + work.size() + " MB in use");
            work = null;
            // idle: nothing allocates; the heap is looked at every 100 ms for 20 s
            for (int i = 0; i < 200; i++) {
                if (heap().getCommitted() < SMALL) {
                    System.out.println("shrunk to " + (heap().getCommitted() >> 20) + " MB");
                    return;
                }
                Thread.sleep(100);
            }
            System.out.println("kept " + (heap().getCommitted() >> 20) + " MB");
        }

        private static MemoryUsage heap() {
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        }
    }
}
