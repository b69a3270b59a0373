package io.cachet.launcher;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;

/**
 * Lets an idle server give the heap it no longer uses back to the system.
 *
 * <p>G1 keeps what the heap grew to during the start (about 165 MB committed for ~45 MB live after a restart) until a
 * collection shrinks it, and an idle server collects nothing: with the JVM's defaults an idle Cachet stays at
 * 250-320 MB resident. HotSpot has two <em>manageable</em> options for that, set here because {@code java -jar}
 * takes no JVM options from the jar: a periodic collection when no other has run for a while (JEP 346), after which
 * G1 keeps at most 40 % of the heap free instead of 70 %. Under load collections run anyway and the heap grows as
 * G1 needs. An option given on the command line ({@code -XX:...}) is left as it is; another collector than G1 is
 * left alone.
 */
final class IdleMemory {

    static final String INTERVAL = "G1PeriodicGCInterval";
    static final String MAX_FREE = "MaxHeapFreeRatio";
    /** At most this share of the heap is kept free after a collection that may shrink it (JVM default 70). */
    static final String MAX_FREE_VALUE = "40";
    /** A collection when none ran for this long: idle only (under load, collections are far more frequent). */
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);

    private IdleMemory() {
    }

    /**
     * Sets the options that are still at the JVM's defaults.
     *
     * @return the options set, with their new values; empty when the collector is not G1 or the JVM offers no
     *         such management interface
     */
    static Map<String, String> apply(Duration interval) {
        Map<String, String> set = new LinkedHashMap<>();
        if (!g1()) {
            return set;
        }
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (vm == null) {
                return set;
            }
            setIfDefault(vm, INTERVAL, Long.toString(interval.toMillis()), set);
            setIfDefault(vm, MAX_FREE, MAX_FREE_VALUE, set);
        } catch (RuntimeException | LinkageError e) {
            // a runtime without jdk.management, or options that are not manageable there: keep its defaults
        }
        return set;
    }

    private static void setIfDefault(HotSpotDiagnosticMXBean vm, String name, String value, Map<String, String> set) {
        VMOption option = vm.getVMOption(name);
        if (option.getOrigin() == VMOption.Origin.DEFAULT && option.isWriteable()) {
            // MaxHeapFreeRatio may not go below MinHeapFreeRatio (default 40): the JVM refuses, and that is kept
            try {
                vm.setVMOption(name, value);
                set.put(name, value);
            } catch (IllegalArgumentException e) {
                // refused by the JVM: its value stays
            }
        }
    }

    private static boolean g1() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc.getName().startsWith("G1 ")) {
                return true;
            }
        }
        return false;
    }
}
