package io.cachet.tsa.internal;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

import io.cachet.api.ca.TimeStampKey;
import io.cachet.api.testing.Processes;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenDriver;
import io.cachet.api.token.TokenInfo;
import io.cachet.ca.launch.LocalCa;
import io.cachet.token.soft.launch.SoftTokens;

/**
 * A real CA for the tests: Cachet's key ceremony (its launch package) on the real software token, made once per
 * test JVM and kind of key; plus PEM files and openssl.
 */
final class TestCa {
    static final String POLICY = "1.3.6.1.4.1.99999.1.2";
    private static final java.util.Map<String, LocalCa> CAS = new java.util.concurrent.ConcurrentHashMap<>();

    private TestCa() {
    }

    /** A CA named {@code name} with EC P-256 keys. */
    static LocalCa ca(String name) {
        return CAS.computeIfAbsent(name, n -> {
            try {
                Path dir = Files.createTempDirectory("cachet-tsa-test-");
                dir.toFile().deleteOnExit();
                TokenDriver driver = SoftTokens.driver(dir.resolve("tokens"), 1);
                TokenInfo info = driver.initialize(0, "so-pin-1234".toCharArray(), "pin-1234".toCharArray(), n,
                        PinPolicy.TOKEN_DEFAULT);
                Token token = driver.login(info.serial(), "pin-1234".toCharArray());
                return LocalCa.create(token, n, "NTRFR-123456789", "FR", KeyAlgorithm.EC_P256);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    static TimeStampKey key(String name) {
        return ca(name).timeStampKey(POLICY);
    }

    /** Writes {@code chain.pem} (root and issuing CA) and {@code tsa.pem} of {@code ca} into {@code dir}. */
    static void writeCa(Path dir, LocalCa ca) throws Exception {
        write(dir, "chain.pem", ca.root(), ca.issuing());
        write(dir, "tsa.pem", ca.timeStampUnit());
    }

    static Path write(Path dir, String name, X509Certificate... certificates) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            for (X509Certificate c : certificates) {
                p.writeObject(c);
            }
        }
        return Files.writeString(dir.resolve(name), w.toString());
    }

    /** {@code openssl args...} in {@code dir}, through the tests' one process runner (2 minutes at most). */
    static Processes.Result openssl(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        return Processes.run(dir, Duration.ofSeconds(120), cmd);
    }

    static Processes.Result ok(Processes.Result r) {
        org.junit.jupiter.api.Assertions.assertEquals(0, r.exit(), r.out());
        return r;
    }
}
