package io.cachet.audit.internal;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditAnchor;

/**
 * The anchor journal: every anchor, also written to a file in the data directory, outside the database, so
 * that whoever rewinds or rewrites the database (deletes the newest records, the anchors, re-hashes the chain)
 * is contradicted by it. Append-only, one line per entry, each line forced to disk before the anchor counts:
 * <pre>
 * anchor &lt;chain id&gt; &lt;sequence&gt; &lt;head hash&gt; &lt;time&gt; &lt;signer&gt; &lt;previous anchor hash&gt; &lt;token, base64&gt;
 * chain &lt;chain id&gt; &lt;time&gt;
 * </pre>
 * An {@code anchor} line is one signed anchor (see {@link AuditEncoding}); the sequence is also the number of
 * records it vouches for. Each names the hash of the previous anchor line of its chain, so a removed, inserted
 * or reordered line breaks the links. A {@code chain} line says that this data directory started anchoring the
 * database whose {@code audit_head.chain_id} is that id (first start, or a switch to another database). Lines
 * starting with {@code #} are comments.
 *
 * <p>A line torn by a crash while it was written (no final newline) is cut off when the journal is next opened
 * for writing: its anchor was not yet stored in the database either.
 */
public final class AnchorJournal implements Closeable {

    static final String FILE = "anchors.journal";
    static final String ANCHOR = "anchor";
    static final String CHAIN = "chain";

    private static final Logger LOG = LoggerFactory.getLogger(AnchorJournal.class);
    private static final Pattern CHAIN_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SIGNER = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    private final Path file;
    private final FileChannel channel; // null: read only
    private final Map<String, ChainedAnchor> lastByChain = new HashMap<>(); // guarded by this
    private final Set<String> chains = new HashSet<>(); // guarded by this
    private long lines; // guarded by this; lines in the file, comments included

    private AnchorJournal(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** The journal of a data directory: {@code DATA/audit/anchors.journal}. */
    public static Path in(Path dataDirectory) {
        return dataDirectory.toAbsolutePath().resolve("audit").resolve(FILE);
    }

    /** For verification only: nothing is created or written. */
    static AnchorJournal reader(Path file) {
        return new AnchorJournal(file.toAbsolutePath(), null);
    }

    /**
     * Opens (creating it, owner-only, when missing) the journal for appending, after cutting off a line torn by a
     * crash.
     *
     * @throws IllegalStateException naming the file and what to do when it cannot be opened
     */
    public static AnchorJournal writer(Path file) {
        Path f = file.toAbsolutePath();
        try {
            Files.createDirectories(f.getParent(), owner(f, "rwx------"));
            boolean created = false;
            if (!Files.exists(f)) {
                Files.createFile(f, owner(f, "rw-------"));
                created = true;
            }
            FileChannel channel = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                cutTornTail(f, channel);
                channel.position(channel.size());
                AnchorJournal journal = new AnchorJournal(f, channel);
                if (created) {
                    journal.write("# Cachet audit anchor journal: append only, one anchor a line; cachet-cli audit verify checks it\n");
                    forceDirectory(f.getParent());
                }
                journal.scan();
                return journal;
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new IllegalStateException("The audit anchor journal " + f + " cannot be opened for writing ("
                    + describe(e) + "): make " + f.getParent() + " writable by the Cachet process", e);
        }
    }

    Path file() {
        return file;
    }

    boolean exists() {
        return Files.exists(file);
    }

    /** The hash the next anchor of {@code chainId} must name as its previous one. */
    synchronized String previous(String chainId) {
        ChainedAnchor last = lastByChain.get(chainId);
        return last == null ? AuditEncoding.GENESIS : last.hash();
    }

    /** The journal's newest anchor of {@code chainId}, if any. */
    synchronized java.util.Optional<ChainedAnchor> last(String chainId) {
        return java.util.Optional.ofNullable(lastByChain.get(chainId));
    }

    /**
     * Records that anchoring of {@code chainId} starts here, unless the journal already knows the chain.
     *
     * @return whether the chain was new to the journal
     */
    synchronized boolean startChain(String chainId, Instant time) {
        if (chains.contains(chainId)) {
            return false;
        }
        write(CHAIN + " " + chainId + " " + AuditEncoding.time(time) + "\n");
        chains.add(chainId);
        return true;
    }

    /** Appends the anchor and forces it to disk; returns its line (without the newline). */
    synchronized String append(ChainedAnchor a) {
        if (!a.chained() || !a.previous().equals(previous(a.chainId()))) {
            throw new IllegalArgumentException("an anchor must follow the journal's last anchor of its chain");
        }
        String line = line(a);
        write(line + "\n");
        lastByChain.put(a.chainId(), a);
        chains.add(a.chainId());
        return line;
    }

    static String line(ChainedAnchor a) {
        AuditAnchor x = a.anchor();
        return String.join(" ", ANCHOR, a.chainId(), Long.toString(x.sequence()), x.headHash(),
                AuditEncoding.time(x.time()), x.signer(), a.previous(), Base64.getEncoder().encodeToString(x.token()));
    }

    private void write(String text) {
        if (channel == null) {
            throw new IllegalStateException("the audit anchor journal " + file + " was opened for reading only");
        }
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
            lines += text.chars().filter(ch -> ch == '\n').count();
        } catch (IOException e) {
            throw new IllegalStateException("Writing the audit anchor journal " + file + " failed (" + describe(e)
                    + "): free space on its file system or make it writable", e);
        }
    }

    private void scan() throws IOException {
        try (Reader r = read()) {
            for (Entry e = r.next(); e != null; e = r.next()) {
                if (e.chainStart() != null) {
                    chains.add(e.chainStart());
                } else if (e.anchor() != null) {
                    chains.add(e.anchor().chainId());
                    lastByChain.put(e.anchor().chainId(), e.anchor());
                }
            }
            lines = r.line;
        }
    }

    /** How many lines the journal has (when opened for writing; 0 when read only). */
    synchronized long lines() {
        return lines;
    }

    /** Whether the journal names a chain other than {@code chainId}. */
    synchronized boolean knowsOtherChains(String chainId) {
        return chains.stream().anyMatch(c -> !c.equals(chainId));
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warn("Closing the audit anchor journal {} failed: {}", file, describe(e));
            }
        }
    }

    /**
     * One line: an anchor, the start of a chain, or what is wrong with the line.
     *
     * @param line 1-based line number
     */
    record Entry(int line, ChainedAnchor anchor, String chainStart, String error) {
    }

    /** Reads the journal line by line. */
    Reader read() throws IOException {
        return new Reader(file);
    }

    /** Streams the journal's entries, holding one line at a time. */
    static final class Reader implements Closeable {
        private final BufferedReader in;
        private int line;

        Reader(Path file) throws IOException {
            BufferedReader r;
            try {
                r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                r = null;
            }
            this.in = r;
        }

        /** Null at the end (or when there is no journal). */
        Entry next() throws IOException {
            if (in == null) {
                return null;
            }
            String text;
            do {
                try {
                    text = in.readLine();
                } catch (java.nio.charset.CharacterCodingException e) {
                    line++;
                    return new Entry(line, null, null, "is not UTF-8 text");
                }
                if (text == null) {
                    return null;
                }
                line++;
            } while (text.isEmpty() || text.startsWith("#"));
            return parse(line, text);
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
        }
    }

    static Entry parse(int line, String text) {
        String[] f = text.split(" ", -1);
        if (f[0].equals(CHAIN) && f.length == 3 && CHAIN_ID.matcher(f[1]).matches() && time(f[2]) != null) {
            return new Entry(line, null, f[1], null);
        }
        if (!f[0].equals(ANCHOR) || f.length != 8) {
            return new Entry(line, null, null, "is not a journal entry");
        }
        long sequence;
        try {
            sequence = Long.parseLong(f[2]);
        } catch (NumberFormatException e) {
            sequence = -1;
        }
        Instant time = time(f[4]);
        byte[] token;
        try {
            token = Base64.getDecoder().decode(f[7]);
        } catch (IllegalArgumentException e) {
            token = null;
        }
        if (!CHAIN_ID.matcher(f[1]).matches() || sequence < 1 || !f[2].equals(Long.toString(sequence))
                || !HASH.matcher(f[3]).matches() || time == null || !SIGNER.matcher(f[5]).matches()
                || !HASH.matcher(f[6]).matches() || token == null) {
            return new Entry(line, null, null, "is damaged (a field is malformed)");
        }
        return new Entry(line, new ChainedAnchor(f[1], new AuditAnchor(sequence, f[3], time, f[5], token), f[6]),
                null, null);
    }

    /** The canonical time, or null. */
    private static Instant time(String text) {
        try {
            Instant t = Instant.parse(text);
            return AuditEncoding.time(t).equals(text) ? t : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static void cutTornTail(Path f, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size == 0) {
            return;
        }
        ByteBuffer one = ByteBuffer.allocate(1);
        channel.read(one, size - 1);
        if (one.get(0) == '\n') {
            return;
        }
        long end = size - 1;
        ByteBuffer b = ByteBuffer.allocate(1);
        while (end > 0) {
            b.clear();
            channel.read(b, end - 1);
            if (b.get(0) == '\n') {
                break;
            }
            end--;
        }
        LOG.warn("The last line of the audit anchor journal {} was torn ({} bytes without a line end, a crash while "
                + "it was written); it is cut off", f, size - end);
        channel.truncate(end);
        channel.force(true);
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform can sync a directory; the file itself is synced
        }
    }

    private static FileAttribute<?>[] owner(Path path, String permissions) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)) }
                : new FileAttribute<?>[0];
    }

    static String describe(IOException e) {
        return e instanceof FileSystemException f && f.getReason() != null ? e.getClass().getSimpleName() + ": "
                + f.getReason() : e.getClass().getSimpleName();
    }
}
