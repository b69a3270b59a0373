package io.cachet.store.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * H2 files ({@code jdbc:h2:powercut:/path/db}) on the disk, of which this file system remembers what each held at its
 * last {@link FileChannel#force}: what a power cut leaves of a file on a disk that keeps what it was told to keep and
 * loses the rest. {@link #image} writes that state out, for H2 to open as it would after the power came back.
 * Public, with a public constructor: H2 makes an instance per path by reflection.
 */
public final class PowerCutFileSystem extends FilePathWrapper {

    private static final PowerCutFileSystem INSTANCE = new PowerCutFileSystem();
    private static final Map<Path, byte[]> FORCED = new ConcurrentHashMap<>();
    /** While set, a force fails (a disk that reports an error). */
    static volatile boolean failForce;
    static final AtomicInteger FORCES = new AtomicInteger();

    public PowerCutFileSystem() {
    }

    static void register() {
        FilePath.register(INSTANCE);
    }

    @Override
    public String getScheme() {
        return "powercut";
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        return new Channel(getBase().open(mode), Path.of(getBase().toString()).toAbsolutePath());
    }

    /**
     * Writes what {@code file} held at its last force to {@code target}.
     *
     * @return false when it was never forced (a power cut would leave nothing of it)
     */
    static boolean image(Path file, Path target) throws IOException {
        byte[] bytes = FORCED.get(file.toAbsolutePath());
        if (bytes == null) {
            return false;
        }
        Files.createDirectories(target.getParent());
        Files.write(target, bytes);
        return true;
    }

    private static final class Channel extends FileBase {

        private final FileChannel base;
        private final Path file;

        Channel(FileChannel base, Path file) {
            this.base = base;
            this.file = file;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            if (failForce) {
                throw new IOException("Input/output error (a failing disk, simulated)");
            }
            base.force(metaData);
            FORCES.incrementAndGet();
            // what is on the disk now; writes racing with this copy may be in it too, as a power cut may keep some
            FORCED.put(file, Files.readAllBytes(file));
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return base.read(dst);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return base.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return base.write(src);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return base.write(src, position);
        }

        @Override
        public long position() throws IOException {
            return base.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            base.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return base.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            base.truncate(size);
            return this;
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return base.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            base.close();
        }
    }
}
