package io.cachet.token.pkcs11.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Comparator;
import java.util.stream.Stream;


import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenDriver;
import io.cachet.api.token.TokenInfo;
import io.cachet.testing.pki.TokenCertificates;

/**
 * A SoftHSM2 of its own for the tests of one Maven module: {@code target/softhsm2.conf} with its token directory
 * {@code target/softhsm-tokens}, emptied once per test JVM before the module is first loaded.
 *
 * <p>SoftHSM2 reads {@code SOFTHSM2_CONF} from the environment at {@code C_Initialize}; a JVM cannot set its own
 * environment, so Surefire sets it (see the module's pom) and this fixture writes the file it points to.
 */
public final class SoftHsmFixture {

    public static final String LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";
    public static final char[] SO_PIN = "so-pin-1234".toCharArray();
    public static final char[] USER_PIN = "user-pin-1234".toCharArray();

    private static boolean prepared;

    private SoftHsmFixture() {
    }

    /** Writes the configuration (once per JVM) and returns the module path. */
    public static synchronized String library() {
        if (!prepared) {
            prepare();
            prepared = true;
        }
        return LIBRARY;
    }

    private static void prepare() {
        if (!Files.isRegularFile(Path.of(LIBRARY))) {
            throw new IllegalStateException("SoftHSM2 is not installed (" + LIBRARY + " is missing): apt-get install "
                    + "softhsm2 opensc");
        }
        Path target = Path.of(System.getProperty("cachet.test.softhsm.dir", "target")).toAbsolutePath();
        Path conf = target.resolve("softhsm2.conf");
        String env = System.getenv("SOFTHSM2_CONF");
        if (env == null || !Path.of(env).toAbsolutePath().equals(conf)) {
            // without it SoftHSM2 would use the machine's own token store
            throw new IllegalStateException("SOFTHSM2_CONF must be " + conf + " (set by Surefire in the module's pom), "
                    + "not " + env + ": run the tests with Maven");
        }
        Path tokens = target.resolve("softhsm-tokens");
        try {
            if (Files.exists(tokens)) {
                try (Stream<Path> walk = Files.walk(tokens)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(tokens);
            Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\n"
                    + "log.level = ERROR\nslots.removable = false\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The blank token: SoftHSM2 always offers one uninitialised token. */
    public static TokenInfo blank(TokenDriver driver) {
        return driver.tokens().stream().filter(t -> !t.has(TokenInfo.Flag.INITIALIZED)).findFirst()
                .orElseThrow(() -> new AssertionError("SoftHSM2 shows no blank token: " + driver.tokens()));
    }

    /** Initialises the blank token with {@link #SO_PIN} and {@link #USER_PIN}. */
    public static TokenInfo initialise(TokenDriver driver, String label) {
        return driver.initialize(blank(driver).slotId(), SO_PIN.clone(), USER_PIN.clone(), label,
                io.cachet.api.token.PinPolicy.TOKEN_DEFAULT);
    }

    /** Verifies with the JDK's providers only: the token's output must be standard. */
    public static boolean verify(PublicKey key, SignatureAlgorithm algorithm, byte[] message, byte[] signature) {
        try {
            Signature verifier;
            if (algorithm.pss()) {
                verifier = Signature.getInstance("RSASSA-PSS");
                String mgfHash = algorithm.hash();
                verifier.setParameter(new PSSParameterSpec(algorithm.hash(), "MGF1", new MGF1ParameterSpec(mgfHash),
                        digestLength(algorithm.hash()), PSSParameterSpec.TRAILER_FIELD_BC));
            } else {
                verifier = Signature.getInstance(algorithm.jcaName());
            }
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            throw new AssertionError("JCA verification of " + algorithm + " failed: " + e, e);
        }
    }

    private static int digestLength(String hash) {
        return switch (hash) {
            case "SHA-256" -> 32;
            case "SHA-384" -> 48;
            default -> 64;
        };
    }

    /** A self-signed certificate for the key {@code alias}, signed by the token itself (the test PKI's). */
    public static X509Certificate selfSigned(Token token, String alias, PublicKey publicKey,
            SignatureAlgorithm algorithm) {
        return TokenCertificates.selfSigned(token, alias, publicKey, algorithm, "CN=" + alias + ",O=Cachet test");
    }
}
