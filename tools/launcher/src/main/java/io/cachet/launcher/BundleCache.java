package io.cachet.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The framework's bundle cache in {@code DATA/cache}, kept from one start to the next ({@code -runkeep: true}):
 * installing the 85 bundles again on every start cost about half a second.
 * <p>
 * A kept cache must never outlive the {@code cachet.jar} that filled it: the bundles, their start levels and the
 * framework extensions come from the jar. bnd's launcher updates a kept bundle whose digest (in the jar's
 * manifest, {@code -digests}) changed, but updating a framework extension (SPI Fly) makes Felix restart the
 * framework under the launcher, which then fails with "No inital startlevel yet". So this class stamps the cache
 * with the jar that filled it (its path, size and modification time) and empties the cache before the framework
 * starts whenever the running jar is another one: an upgrade (or a downgrade) starts like a first start, once.
 */
public final class BundleCache {

    /** Next to the cache, not in it: Felix owns what is inside. */
    static final String STAMP = "cache.jar-stamp";

    private BundleCache() {
    }

    /**
     * What identifies the jar that runs: absolute path, size and modification time (reading the 40 MB to hash
     * them would cost a good part of what keeping the cache saves; a copy or a new build changes the time).
     */
    public static String stamp(Path jar) throws IOException {
        BasicFileAttributes a = Files.readAttributes(jar, BasicFileAttributes.class);
        return jar.toAbsolutePath().normalize() + "\n" + a.size() + "\n" + a.lastModifiedTime().toMillis() + "\n";
    }

    /**
     * Makes {@code cache} (a folder of {@code data}) safe to keep for the jar with {@code stamp}: deletes it unless
     * the stamp left by the start that filled it is this one, then records this stamp.
     *
     * @return true when the cache was kept, false when it was emptied (or did not exist)
     */
    public static boolean prepare(Path data, Path cache, String stamp) throws IOException {
        Path file = data.resolve(STAMP);
        boolean same = Files.isDirectory(cache) && Files.isRegularFile(file)
                && Files.readString(file, StandardCharsets.UTF_8).equals(stamp);
        if (same) {
            return true;
        }
        // the old stamp goes first, so that no stamp vouches for a half-emptied cache; a start that dies while
        // Felix fills the cache leaves bundles missing, which bnd's launcher installs at the next start
        Files.deleteIfExists(file);
        deleteTree(cache);
        Path tmp = data.resolve(STAMP + ".tmp");
        Files.writeString(tmp, stamp, StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return false;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Files.delete(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
