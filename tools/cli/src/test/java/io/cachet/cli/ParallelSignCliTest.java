package io.cachet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.signature.SigningKey;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenCapability;
import io.cachet.api.token.TokenInfo;
import io.cachet.signature.testing.Pdfs;
import io.cachet.signature.testing.TestPki;
import io.cachet.signature.testing.Tools;
import io.cachet.token.pkcs11.launch.Pkcs11Drivers;
import io.cachet.token.pkcs11.spi.Pkcs11DriverConfig;
import io.cachet.token.pkcs11.spi.Pkcs11TokenDriver;
import io.cachet.token.pkcs11.testing.SoftHsmFixture;

/**
 * {@code sign --jobs 2}: many files signed at once with one key on SoftHSM2 (one login, a session per signature)
 * and with a PKCS#12 file; every output checked by pdfsig, openssl or xmlsec1; the report lists the files in the
 * order given, a refused file at its own place, and the others are signed.
 */
class ParallelSignCliTest {

    static TestPki pki;
    static Path home;
    static Path p12;
    static Path p12Password;
    static Path pin;
    static String tokenUri;
    static String module;

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() throws Exception {
        pki = TestPki.get();
        home = Files.createTempDirectory("cachet-cli-parallel");
        pki.writePem(home);
        p12Password = Files.writeString(home.resolve("p12.pass"), "p12-secret\n");
        p12 = pki.pkcs12(home, "EC", "p12-secret".toCharArray());
        module = SoftHsmFixture.library();
        try (Pkcs11TokenDriver driver = Pkcs11Drivers.open(new Pkcs11DriverConfig(module, "test",
                EnumSet.noneOf(TokenCapability.class), () -> "SoftHSM2", 1, Duration.ofSeconds(5)))) {
            TokenInfo info = SoftHsmFixture.initialise(driver, "Batch seal");
            try (Token token = driver.login(info.serial(), SoftHsmFixture.USER_PIN.clone())) {
                SigningKey key = pki.sealOn(token, KeyAlgorithm.EC_P256);
                tokenUri = "pkcs11:token=Batch%20seal;object=" + key.alias();
            }
        }
        pin = Files.writeString(home.resolve("pin"), new String(SoftHsmFixture.USER_PIN) + "\n");
    }

    @AfterAll
    static void clean() throws Exception {
        try (Stream<Path> walk = Files.walk(home)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * The report's per-file lines: exactly one per input, {@code [i/n]} naming input i, in the inputs' order; the
     * inputs at {@code refused} have a "not signed" line, the others a "signed" line.
     */
    static void reportedInOrder(String err, List<Path> inputs, List<Integer> refused) {
        List<String> lines = err.lines().filter(l -> l.startsWith("[")).toList();
        assertEquals(inputs.size(), lines.size(), err);
        for (int i = 0; i < inputs.size(); i++) {
            String prefix = "[" + (i + 1) + "/" + inputs.size() + "] ";
            String expected = refused.contains(i) ? prefix + "cachet-cli: " + inputs.get(i) + " not signed: "
                    : prefix + "signed " + inputs.get(i) + " -> ";
            assertTrue(lines.get(i).startsWith(expected), "line " + (i + 1) + " is for input " + (i + 1) + ": "
                    + expected + "\n" + err);
        }
        int signed = inputs.size() - refused.size();
        assertTrue(err.contains("signed " + signed + " of " + inputs.size() + " files"), err);
        assertFalse(err.contains("Exception"), err);
    }

    private static String[] args(List<Path> inputs, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("sign", "--in"));
        inputs.forEach(p -> a.add(p.toString()));
        a.addAll(List.of("--out", out.toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static List<Path> outputs(Path out) throws Exception {
        try (Stream<Path> files = Files.list(out)) {
            return files.sorted().toList();
        }
    }

    @Test
    void tokenOnSoftHsmSignsPdfsAndOtherFilesTwoAtATimeAndABrokenPdfFailsAlone() throws Exception {
        List<Path> inputs = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            inputs.add(i % 2 == 0 ? Files.writeString(dir.resolve("note-" + i + ".txt"), "note " + i + "\n")
                    : Pdfs.pages(dir.resolve("doc-" + i + ".pdf"), i));
        }
        Path broken = Files.write(dir.resolve("broken.pdf"), "%PDF-1.7\n1 0 obj << /Type /Catalog".getBytes());
        inputs.add(4, broken);
        Path out = Files.createDirectory(dir.resolve("signed"));

        SignVerifyCliTest.Run r = SignVerifyCliTest.cli(args(inputs, out, "--key", tokenUri, "--module", module,
                "--pin-file", pin.toString(), "--jobs", "2"));

        assertEquals(1, r.exit(), r.all());
        reportedInOrder(r.err(), inputs, List.of(4));
        for (Path in : inputs) {
            String name = in.getFileName().toString();
            if (in.equals(broken)) {
                assertFalse(Files.exists(out.resolve(name)));
            } else if (name.endsWith(".pdf")) {
                Tools.pdfsigValid(out.resolve(name), 1);
            } else {
                Tools.opensslCmsDetached(out.resolve(name + ".p7s"), in, home.resolve("chain.pem"));
            }
        }
        assertEquals(8, outputs(out).size(), "no partial file is left behind: " + outputs(out));
    }

    @Test
    void tokenOnSoftHsmSignsXadesTwoAtATimeThatXmlsec1Accepts() throws Exception {
        List<Path> inputs = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            inputs.add(Files.writeString(dir.resolve("order-" + i + ".xml"),
                    "<?xml version=\"1.0\"?>\n<order id=\"" + i + "\"><item/></order>\n"));
        }
        Path out = Files.createDirectory(dir.resolve("signed"));
        SignVerifyCliTest.Run r = SignVerifyCliTest.cli(args(inputs, out, "--key", tokenUri, "--module", module,
                "--pin-file", pin.toString(), "--format", "xades", "--jobs", "2"));
        assertEquals(0, r.exit(), r.all());
        reportedInOrder(r.err(), inputs, List.of());
        for (Path in : inputs) {
            Tools.xmlsecEnveloped(out.resolve(in.getFileName()), home.resolve("root.pem"), home.resolve("issuing.pem"));
        }
    }

    @Test
    void keyFileSignsTwoAtATimeAndANonPdfGivenToPadesIsRefusedAtItsPlace() throws Exception {
        List<Path> inputs = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            inputs.add(Pdfs.pages(dir.resolve("invoice-" + i + ".pdf"), 1 + i % 3));
        }
        Path text = Files.writeString(dir.resolve("readme.txt"), "not a PDF at all\n");
        inputs.add(3, text);
        Path out = Files.createDirectory(dir.resolve("signed"));

        SignVerifyCliTest.Run r = SignVerifyCliTest.cli(args(inputs, out, "--key", p12.toString(), "--pin-file",
                p12Password.toString(), "--format", "pades", "--jobs", "2"));

        assertEquals(1, r.exit(), r.all());
        reportedInOrder(r.err(), inputs, List.of(3));
        for (Path in : inputs) {
            if (!in.equals(text)) {
                Tools.pdfsigValid(out.resolve(in.getFileName()), 1);
            }
        }
        assertEquals(6, outputs(out).size(), outputs(out).toString());
    }

    @Test
    void keyFileSignsCadesDetachedTwoAtATimeThatOpensslAccepts() throws Exception {
        List<Path> inputs = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            inputs.add(Files.write(dir.resolve("data-" + i + ".bin"), ("record " + i + "\n").repeat(1000 * i)
                    .getBytes()));
        }
        Path out = Files.createDirectory(dir.resolve("signed"));
        SignVerifyCliTest.Run r = SignVerifyCliTest.cli(args(inputs, out, "--key", p12.toString(), "--pin-file",
                p12Password.toString(), "--jobs", "2"));
        assertEquals(0, r.exit(), r.all());
        reportedInOrder(r.err(), inputs, List.of());
        for (Path in : inputs) {
            Tools.opensslCmsDetached(out.resolve(in.getFileName() + ".p7s"), in, home.resolve("chain.pem"));
        }
    }

    @Test
    void jobsOutsideOneToSixtyFourIsRefusedBeforeThePinIsAsked() throws Exception {
        Path in = Pdfs.pages(dir.resolve("x.pdf"), 1);
        for (String jobs : List.of("0", "-1", "65")) {
            SignVerifyCliTest.Run r = SignVerifyCliTest.cli("sign", "--in", in.toString(), "--out",
                    dir.resolve("x-signed.pdf").toString(), "--key", p12.toString(), "--pin-file",
                    dir.resolve("no-such-pin-file").toString(), "--jobs", jobs);
            assertEquals(2, r.exit(), r.all());
            assertEquals("cachet-cli: --jobs takes how many files to sign at once, 1 to 64, not " + jobs,
                    r.err().strip(), r.all());
        }
    }
}
