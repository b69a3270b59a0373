package io.cachet.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundle cache is kept for the jar that filled it, and only for that one. */
class BundleCacheTest {

    @TempDir
    Path temp;

    private Path fill(Path cache) throws Exception {
        Path bundle = cache.resolve("bundle1/version0.0/bundle.jar");
        Files.createDirectories(bundle.getParent());
        Files.writeString(bundle, "old bundle");
        return bundle;
    }

    @Test
    void theSameJarKeepsTheCache() throws Exception {
        Path data = temp.resolve("data");
        Path cache = data.resolve("cache");
        Path jar = Files.writeString(Files.createDirectories(temp.resolve("dist")).resolve("cachet.jar"), "v1");
        assertFalse(BundleCache.prepare(Files.createDirectories(data), cache, BundleCache.stamp(jar)),
                "first start: nothing to keep");
        Path bundle = fill(cache);
        assertTrue(BundleCache.prepare(data, cache, BundleCache.stamp(jar)));
        assertEquals("old bundle", Files.readString(bundle));
    }

    @Test
    void anotherJarEmptiesTheCache() throws Exception {
        Path data = Files.createDirectories(temp.resolve("data"));
        Path cache = data.resolve("cache");
        Path jar = Files.writeString(Files.createDirectories(temp.resolve("dist")).resolve("cachet.jar"), "v1");
        String v1 = BundleCache.stamp(jar);
        BundleCache.prepare(data, cache, v1);
        Path bundle = fill(cache);

        // an upgrade replaces the jar in place: same path, another size or time
        Files.writeString(jar, "version 2");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 2000));
        String v2 = BundleCache.stamp(jar);
        assertNotEquals(v1, v2);
        assertFalse(BundleCache.prepare(data, cache, v2));
        assertFalse(Files.exists(bundle), "the old bundles are gone");
        assertFalse(Files.exists(cache));

        // and the new jar's cache is kept from then on
        fill(cache);
        assertTrue(BundleCache.prepare(data, cache, v2));
    }

    @Test
    void sameSizeButNewerJarEmptiesTheCache() throws Exception {
        Path data = Files.createDirectories(temp.resolve("data"));
        Path cache = data.resolve("cache");
        Path jar = Files.writeString(temp.resolve("cachet.jar"), "v1");
        BundleCache.prepare(data, cache, BundleCache.stamp(jar));
        fill(cache);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 1000));
        assertFalse(BundleCache.prepare(data, cache, BundleCache.stamp(jar)));
        assertFalse(Files.exists(cache));
    }

    @Test
    void aCacheWithoutStampIsNotTrusted() throws Exception {
        // a data directory from a version that did not keep its cache, or a stamp lost in a crash
        Path data = Files.createDirectories(temp.resolve("data"));
        Path cache = data.resolve("cache");
        Path bundle = fill(cache);
        Path jar = Files.writeString(temp.resolve("cachet.jar"), "v1");
        assertFalse(BundleCache.prepare(data, cache, BundleCache.stamp(jar)));
        assertFalse(Files.exists(bundle));
        assertTrue(Files.isRegularFile(data.resolve(BundleCache.STAMP)));
    }
}
