package io.cachet.signature.internal;

import io.cachet.signature.testing.Pdfs;
import io.cachet.signature.testing.TestPki;
import io.cachet.signature.testing.Tools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.signature.Level;
import io.cachet.api.signature.Packaging;
import io.cachet.api.signature.SignOptions;
import io.cachet.api.signature.SignatureFormat;
import io.cachet.signature.launch.Signatures;
import io.cachet.api.signature.ValidationOptions;

/**
 * Detached CAdES and XAdES of a file five times larger than the heap of the JVM that signs it: the input is
 * streamed, never loaded. The signing runs in a child JVM with {@code -Xmx64m}.
 */
class StreamingTest {
    static final long SIZE = 320L << 20;
    static TestPki pki;

    @TempDir
    Path dir;

    @BeforeAll
    static void pki() {
        pki = TestPki.get();
    }

    /** Child JVM: {@code p12 password input output format level tsa}. */
    public static void main(String[] args) {
        SignOptions options = new SignOptions(SignatureFormat.valueOf(args[4]), Packaging.DETACHED,
                Level.valueOf(args[5]), URI.create(args[6]), null, null, null, List.of(), true);
        char[] password = args[1].toCharArray();
        try {
            Signatures.signer().sign(Path.of(args[2]), Path.of(args[3]),
                    TestPki.key(Path.of(args[0]), password),
                    options.withTrustAnchors(Signatures.readCertificates(Path.of(args[7]))));
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(3);
        }
        System.out.println("signed, max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MB");
    }

    @Test
    void detachedSignaturesOfA320MegabyteFileInA64MegabyteHeap() throws Exception {
        Path big = dir.resolve("big.bin");
        try (var in = Pdfs.randomStream(SIZE, 3); OutputStream out = Files.newOutputStream(big)) {
            in.transferTo(out);
        }
        pki.writePem(dir);
        Files.writeString(dir.resolve("anchors.pem"), TestPki.pem(pki.trustAnchors().toArray()));
        Path p12 = pki.pkcs12(dir, "EC", "pw".toCharArray());
        for (String format : List.of("CADES", "XADES")) {
            for (Level level : List.of(Level.B, Level.LTA)) {
                Path signature = dir.resolve("big." + format + "-" + level);
                List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                        StreamingTest.class.getName(), p12.toString(), "pw", big.toString(), signature.toString(),
                        format, level.name(), pki.tsaUrl().toString(), dir.resolve("anchors.pem").toString()));
                Tools.Result r = Tools.run(dir, cmd.toArray(String[]::new));
                assertEquals(0, r.exit(), format + " " + level + ": " + r.out());
                assertTrue(r.out().contains("max heap"), r.out());
                assertTrue(Files.size(signature) < 1 << 20, "detached: the content is not inside");
                if (format.equals("CADES")) {
                    Tools.opensslCmsDetached(signature, big, dir.resolve("chain.pem"));
                }
                Tools.dssPassed(Signatures.validator().validate(signature, List.of(big),
                        ValidationOptions.trusting(pki.trustAnchors())), 1, format.equals("CADES")
                                ? "CAdES-BASELINE-" + level : "XAdES-BASELINE-" + level);
            }
        }
    }
}
