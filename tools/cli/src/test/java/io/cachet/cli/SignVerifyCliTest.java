package io.cachet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.EnumSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenCapability;
import io.cachet.api.token.TokenInfo;
import io.cachet.api.signature.SigningKey;
import io.cachet.signature.testing.Pdfs;
import io.cachet.signature.testing.TestPki;
import io.cachet.signature.testing.Tools;
import io.cachet.token.pkcs11.spi.Pkcs11DriverConfig;
import io.cachet.token.pkcs11.launch.Pkcs11Drivers;
import io.cachet.token.pkcs11.spi.Pkcs11TokenDriver;
import io.cachet.token.pkcs11.testing.SoftHsmFixture;

/**
 * {@code sign} and {@code verify} as a person runs them: keys in a PKCS#12 file and on a real PKCS#11 token
 * (SoftHSM2 through an RFC 7512 URI), a real CA with OCSP, CRL and TSA over HTTP, outputs checked by pdfsig, openssl
 * and xmlsec1; and every refusal one line, the right exit code, no output file.
 */
class SignVerifyCliTest {

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
        home = Files.createTempDirectory("cachet-cli-sign");
        pki.writePem(home);
        p12Password = Files.writeString(home.resolve("p12.pass"), "p12-secret\n");
        p12 = pki.pkcs12(home, "EC", "p12-secret".toCharArray());

        // a seal key made on the token, certified by the CA, its certificate stored beside it
        module = SoftHsmFixture.library();
        try (Pkcs11TokenDriver driver = Pkcs11Drivers.open(new Pkcs11DriverConfig(module, "test",
                EnumSet.noneOf(TokenCapability.class), () -> "SoftHSM2", 1, Duration.ofSeconds(5)))) {
            TokenInfo info = SoftHsmFixture.initialise(driver, "ACME seal");
            try (Token token = driver.login(info.serial(), SoftHsmFixture.USER_PIN.clone())) {
                SigningKey key = pki.sealOn(token, KeyAlgorithm.EC_P256);
                tokenUri = "pkcs11:token=ACME%20seal;object=" + key.alias();
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

    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = CachetCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path pdf(String name) throws Exception {
        return Pdfs.pages(dir.resolve(name), 2);
    }

    @Test
    void pkcs12SignsPadesThatPdfsigAndVerifyAccept() throws Exception {
        Path in = pdf("invoice.pdf");
        Path out = dir.resolve("invoice-signed.pdf");
        Run r = cli("sign", "--in", in.toString(), "--out", out.toString(), "--key", p12.toString(), "--pin-file",
                p12Password.toString());
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.err().contains("signed " + in + " -> " + out), r.all());
        assertEquals(0, Tools.pdfsigValid(out, 1), "level B has no document time-stamp");

        Run v = cli("verify", out.toString(), "--trust", home.resolve("chain.pem").toString());
        assertEquals(0, v.exit(), v.all());
        assertTrue(v.out().startsWith("VALID: 1 signature"), v.all());
        assertTrue(v.out().contains("TOTAL_PASSED") && v.out().contains("PAdES-BASELINE-B"), v.all());
    }

    @Test
    void tokenKeyByUriSignsPadesTWithTheCasOwnTsaByDefault() throws Exception {
        Path in = pdf("contract.pdf");
        Path out = dir.resolve("contract-signed.pdf");
        int before = pki.hits("/tsa");
        Run r = cli("sign", "--in", in.toString(), "--out", out.toString(), "--key", tokenUri, "--module", module,
                "--pin-file", pin.toString(), "--level", "T", "--visible");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.err().contains("time-stamps from " + pki.baseUrl + "/tsa"), r.all());
        assertTrue(pki.hits("/tsa") > before, "the TSA named by the certificate's issuer was used");
        Tools.pdfsigValid(out, 1);
        Run v = cli("verify", out.toString(), "--trust", home.resolve("chain.pem").toString(), "--trust",
                home.resolve("tsa.pem").toString(), "--reports", dir.resolve("reports").toString());
        assertEquals(0, v.exit(), v.all());
        assertTrue(v.out().contains("PAdES-BASELINE-T"), v.all());
        assertTrue(Files.readString(dir.resolve("reports/simple-report.xml")).contains("TOTAL_PASSED"));
    }

    @Test
    void xadesEnvelopedFromTheTokenPassesXmlsec1() throws Exception {
        Path in = Files.writeString(dir.resolve("order.xml"), "<?xml version=\"1.0\"?>\n<order id=\"42\"><item/></order>\n");
        Path out = dir.resolve("order-signed.xml");
        Run r = cli("sign", "--in", in.toString(), "--out", out.toString(), "--key", tokenUri, "--module", module,
                "--pin-file", pin.toString(), "--format", "xades");
        assertEquals(0, r.exit(), r.all());
        Tools.xmlsecEnveloped(out, home.resolve("root.pem"), home.resolve("issuing.pem"));
        assertEquals(0, cli("verify", out.toString(), "--trust", home.resolve("chain.pem").toString()).exit());
    }

    @Test
    void manyFilesAtOnceGoIntoADirectoryAndAFailureStopsOnlyItsFile() throws Exception {
        Path a = pdf("a.pdf");
        Path b = Files.writeString(dir.resolve("b.txt"), "any file at all\n");
        Path broken = Files.write(dir.resolve("broken.pdf"), "%PDF-1.7\n1 0 obj << /Type /Catalog".getBytes());
        Path c = Files.write(dir.resolve("c.bin"), new byte[] { 0, 1, 2, 3 });
        Path out = Files.createDirectory(dir.resolve("signed"));
        Run r = cli("sign", "--in", a.toString(), b.toString(), broken.toString(), c.toString(), "--out",
                out.toString(), "--key", p12.toString(), "--pin-file", p12Password.toString());
        assertEquals(1, r.exit(), r.all());
        assertTrue(r.err().contains("[3/4] cachet-cli: " + broken + " not signed: "), r.all());
        assertTrue(r.err().contains("signed 3 of 4 files"), r.all());
        assertFalse(r.all().contains("Exception"), r.all());
        Tools.pdfsigValid(out.resolve("a.pdf"), 1);
        Tools.opensslCmsDetached(out.resolve("b.txt.p7s"), b, home.resolve("chain.pem"));
        Tools.opensslCmsDetached(out.resolve("c.bin.p7s"), c, home.resolve("chain.pem"));
        assertFalse(Files.exists(out.resolve("broken.pdf")));
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(3, files.count(), "no partial file is left behind");
        }
        Run v = cli("verify", out.resolve("b.txt.p7s").toString(), "--detached-content", b.toString(), "--trust",
                home.resolve("chain.pem").toString());
        assertEquals(0, v.exit(), v.all());
        assertTrue(v.out().contains("CAdES-BASELINE-B"), v.all());
    }

    @Test
    void cadesAttachedAndXadesDetachedOfAnyFile() throws Exception {
        Path in = Files.writeString(dir.resolve("data.csv"), "a;b\n1;2\n");
        Path p7m = dir.resolve("data.csv.p7m");
        assertEquals(0, cli("sign", "--in", in.toString(), "--out", p7m.toString(), "--key", p12.toString(),
                "--pin-file", p12Password.toString(), "--packaging", "enveloping").exit());
        assertEquals("a;b\n1;2\n", new String(Tools.opensslCmsAttached(p7m, home.resolve("chain.pem"))));
        Path xades = dir.resolve("data.csv.xades.xml");
        Run r = cli("sign", "--in", in.toString(), "--out", xades.toString(), "--key", p12.toString(), "--pin-file",
                p12Password.toString(), "--format", "xades");
        assertEquals(0, r.exit(), r.all());
        assertEquals(0, cli("verify", xades.toString(), "--detached-content", in.toString(), "--trust",
                home.resolve("chain.pem").toString()).exit());
    }

    @Test
    void wrongPinOrPasswordStopsBeforeAnyFileWithOneLine() throws Exception {
        Path in = pdf("x.pdf");
        Path out = dir.resolve("x-signed.pdf");
        Path wrong = Files.writeString(dir.resolve("wrong"), "0000\n");
        Run r = cli("sign", "--in", in.toString(), "--out", out.toString(), "--key", tokenUri, "--module", module,
                "--pin-file", wrong.toString());
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().startsWith("cachet-cli: ") && r.err().toLowerCase().contains("pin"), r.all());
        assertEquals(1, r.err().strip().lines().count(), r.all());
        assertFalse(Files.exists(out));

        r = cli("sign", "--in", in.toString(), "--out", out.toString(), "--key", p12.toString(), "--pin-file",
                wrong.toString());
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains("wrong password"), r.all());
        assertFalse(Files.exists(out));
    }

    @Test
    void badCommandLinesAndKeysAreNamed() throws Exception {
        Path in = pdf("y.pdf");
        Path out = dir.resolve("y-signed.pdf");
        assertRefused(2, "--module", "sign", "--in", in.toString(), "--out", out.toString(), "--key", tokenUri,
                "--pin-file", pin.toString());
        assertRefused(2, "does not exist", "sign", "--in", in.toString(), "--out", out.toString(), "--key", tokenUri,
                "--module", "/nowhere/libeTPkcs11.so", "--pin-file", pin.toString());
        assertRefused(2, "no key 'missing'", "sign", "--in", in.toString(), "--out", out.toString(), "--key",
                "pkcs11:token=ACME%20seal;object=missing", "--module", module, "--pin-file", pin.toString());
        assertRefused(2, "no token matches", "sign", "--in", in.toString(), "--out", out.toString(), "--key",
                "pkcs11:token=Other", "--module", module, "--pin-file", pin.toString());
        assertRefused(2, "shell history", "sign", "--in", in.toString(), "--out", out.toString(), "--key",
                tokenUri + "?pin-value=1234", "--module", module);
        assertRefused(2, "unknown attribute 'colour'", "sign", "--in", in.toString(), "--out", out.toString(),
                "--key", "pkcs11:colour=red", "--module", module, "--pin-file", pin.toString());
        assertRefused(2, "--out must be an existing directory", "sign", "--in", in.toString(), in.toString(),
                "--out", out.toString(), "--key", p12.toString(), "--pin-file", p12Password.toString());
        assertRefused(2, "--level takes b|t|lt|lta", "sign", "--in", in.toString(), "--out", out.toString(),
                "--key", p12.toString(), "--pin-file", p12Password.toString(), "--level", "X");
        assertRefused(2, "no such key file", "sign", "--in", in.toString(), "--out", out.toString(), "--key",
                dir.resolve("none.p12").toString(), "--pin-file", p12Password.toString());
        assertRefused(2, "no such file to sign", "sign", "--in", dir.resolve("none.pdf").toString(), "--out",
                out.toString(), "--key", p12.toString(), "--pin-file", p12Password.toString());
        assertRefused(1, "PAdES signatures are always enveloped", "sign", "--in", in.toString(), "--out",
                out.toString(), "--key", p12.toString(), "--pin-file", p12Password.toString(), "--packaging",
                "detached");
        assertFalse(Files.exists(out));
    }

    @Test
    void encryptedPdfNeedsItsPassword() throws Exception {
        Path in = Pdfs.encrypted(dir.resolve("enc.pdf"), "user-secret", "owner-secret");
        Path out = dir.resolve("enc-signed.pdf");
        Run r = cli("sign", "--in", in.toString(), "--out", out.toString(), "--key", p12.toString(), "--pin-file",
                p12Password.toString());
        assertEquals(1, r.exit(), r.all());
        assertTrue(r.err().contains("password"), r.all());
        assertFalse(Files.exists(out));
        r = cli("sign", "--in", in.toString(), "--out", out.toString(), "--key", p12.toString(), "--pin-file",
                p12Password.toString(), "--pdf-password=user-secret");
        assertEquals(0, r.exit(), r.all());
        Tools.pdfsigValid(out, 1, "-upw", "user-secret");
    }

    @Test
    void hostileXmlAndRevokedOrExpiredCertificatesAreRefused() throws Exception {
        Path xxe = Files.writeString(dir.resolve("xxe.xml"), "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM"
                + " \"file:///etc/passwd\">]>\n<r>&x;</r>");
        Path out = dir.resolve("xxe-signed.xml");
        assertRefused(1, "DOCTYPE", "sign", "--in", xxe.toString(), "--out", out.toString(), "--key", p12.toString(),
                "--pin-file", p12Password.toString(), "--format", "xades");
        assertFalse(Files.exists(out));

        Path expired = pki.expiredPkcs12(dir, "p12-secret".toCharArray());
        Path in = pdf("z.pdf");
        Path zOut = dir.resolve("z-signed.pdf");
        assertRefused(1, "expired", "sign", "--in", in.toString(), "--out", zOut.toString(), "--key",
                expired.toString(), "--pin-file", p12Password.toString());

        Path revokedKey = pki.pkcs12(dir, "EC", "p12-secret".toCharArray());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var s = Files.newInputStream(revokedKey)) {
            ks.load(s, "p12-secret".toCharArray());
        }
        BigInteger serial = ((X509Certificate) ks.getCertificate(ks.aliases().nextElement())).getSerialNumber();
        pki.revoke(serial);
        assertRefused(1, "revoked", "sign", "--in", in.toString(), "--out", zOut.toString(), "--key",
                revokedKey.toString(), "--pin-file", p12Password.toString());
        assertFalse(Files.exists(zOut));
    }

    @Test
    void verifyTellsInvalidIndeterminateAndUnreadableApart() throws Exception {
        Path in = pdf("v.pdf");
        Path signed = dir.resolve("v-signed.pdf");
        assertEquals(0, cli("sign", "--in", in.toString(), "--out", signed.toString(), "--key", p12.toString(),
                "--pin-file", p12Password.toString()).exit());

        Run untrusted = cli("verify", signed.toString());
        assertEquals(1, untrusted.exit(), untrusted.all());
        assertTrue(untrusted.out().startsWith("INDETERMINATE"), untrusted.all());
        assertTrue(untrusted.out().contains("--trust chain.pem"), untrusted.all());

        // one byte of the signed content changed: the signature no longer matches
        byte[] bytes = Files.readAllBytes(signed);
        assertEquals('%', bytes[9], "PDFBox writes a binary comment as the second line, inside the signed range");
        bytes[10] ^= 0x01;
        Path tampered = Files.write(dir.resolve("tampered.pdf"), bytes);
        Run invalid = cli("verify", tampered.toString(), "--trust", home.resolve("chain.pem").toString());
        assertEquals(1, invalid.exit(), invalid.all());
        assertTrue(invalid.out().startsWith("INVALID"), invalid.all());

        Run unreadable = cli("verify", Files.writeString(dir.resolve("plain.txt"), "not signed").toString());
        assertEquals(2, unreadable.exit(), unreadable.all());
        assertTrue(unreadable.err().startsWith("cachet-cli: "), unreadable.all());
        assertFalse(unreadable.all().contains("Exception"), unreadable.all());
    }

    @Test
    void verifyTrustsTheServicesOfASignedTrustedList() throws Exception {
        Path in = pdf("tl.pdf");
        Path signed = dir.resolve("tl-signed.pdf");
        assertEquals(0, cli("sign", "--in", in.toString(), "--out", signed.toString(), "--key", p12.toString(),
                "--pin-file", p12Password.toString()).exit());
        Path operatorP12 = pki.pkcs12(dir, "EC", "op".toCharArray());
        io.cachet.api.signature.SigningKey operator = TestPki.key(operatorP12, "op".toCharArray());
        Path list = io.cachet.signature.testing.TrustedListWriter.write(dir.resolve("FR.xml"), pki.ca.issuing(),
                operator, java.time.Instant.now().plus(java.time.Duration.ofDays(30)));
        Path operatorPem = Files.writeString(dir.resolve("operator.pem"), TestPki.pem(operator.certificate()));

        Run v = cli("verify", signed.toString(), "--trusted-list", list.toString(), "--trusted-list-signer",
                operatorPem.toString());
        assertEquals(0, v.exit(), v.all());
        assertTrue(v.out().contains("trusted list " + list.toUri() + ": used (FR, 1 services)"), v.all());
        assertTrue(v.out().contains("VALID: 1 signature"), v.all());

        // the same list, but expected from another operator: not used, the signature cannot be shown valid
        Run other = cli("verify", signed.toString(), "--trusted-list", list.toString(), "--trusted-list-signer",
                home.resolve("root.pem").toString());
        assertEquals(1, other.exit(), other.all());
        assertTrue(other.out().contains("NOT used: its signature is"), other.all());
        assertRefused(2, "--trusted-list-signer", "verify", signed.toString(), "--trusted-list", list.toString());
    }

    private static void assertRefused(int exit, String fragment, String... args) {
        Run r = cli(args);
        assertEquals(exit, r.exit(), r.all());
        assertTrue(r.err().contains(fragment), "expected '" + fragment + "' in: " + r.all());
        assertFalse(r.all().contains("\tat "), "no stack trace: " + r.all());
    }
}
