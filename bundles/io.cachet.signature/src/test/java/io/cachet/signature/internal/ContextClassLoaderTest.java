package io.cachet.signature.internal;

import io.cachet.signature.testing.Pdfs;
import io.cachet.signature.testing.TestPki;
import io.cachet.signature.testing.Tools;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.signature.Level;
import io.cachet.api.signature.Packaging;
import io.cachet.api.signature.SignOptions;
import io.cachet.signature.launch.Signatures;
import io.cachet.api.signature.SigningKey;
import io.cachet.api.signature.ValidationOptions;

/**
 * As in OSGi, the caller's thread context class loader sees none of DSS's service files: signing and validation
 * must still find DSS's parts (validators, PDF factory, CRL parser), because every DSS call sets it ({@link Dss}).
 */
class ContextClassLoaderTest {
    @TempDir
    Path dir;

    @Test
    void signsAndValidatesWithAForeignContextClassLoader() throws Exception {
        TestPki pki = TestPki.get();
        SigningKey key = pki.seal(KeyAlgorithm.EC_P256);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            thread.setContextClassLoader(empty);
            Path pdf = dir.resolve("signed.pdf");
            Signatures.signer().sign(Pdfs.pages(dir.resolve("in.pdf"), 1), pdf, key, SignOptions.pades(Level.LTA)
                    .withTsa(pki.tsaUrl()).withTrustAnchors(pki.trustAnchors()));
            Path data = Files.writeString(dir.resolve("data.txt"), "data");
            Path p7s = dir.resolve("data.p7s");
            Signatures.signer().sign(data, p7s, key, SignOptions.cades(Packaging.DETACHED, Level.LT)
                    .withTsa(pki.tsaUrl()).withTrustAnchors(pki.trustAnchors()));
            Tools.dssPassed(Signatures.validator().validate(pdf, List.of(),
                    ValidationOptions.trusting(pki.trustAnchors())), 1, "PAdES-BASELINE-LTA");
            Tools.dssPassed(Signatures.validator().validate(p7s, List.of(data),
                    ValidationOptions.trusting(pki.trustAnchors())), 1, "CAdES-BASELINE-LT");
            org.junit.jupiter.api.Assertions.assertSame(empty, thread.getContextClassLoader(), "restored");
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
