package io.cachet.ca.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.token.KeyAlgorithm;

class CaTest {
    static final String ORG_ID = "NTRFR-123456789";
    static CaHierarchy ca;
    static SealIssuer issuer;

    @TempDir
    Path dir;

    @BeforeAll
    static void ceremony() {
        ca = CaHierarchy.create(new JcaTestToken(), CaSettings.defaults("Cachet Test", ORG_ID, "FR"));
        InMemoryCertificateRepository repo = new InMemoryCertificateRepository();
        issuer = new SealIssuer(ca, settings(), repo, Clock.systemUTC());
    }

    static IssuerSettings settings() {
        return new IssuerSettings("http://ca.example.fr/", "https://ca.example.fr/pds/en.pdf", "en",
                "1.3.6.1.4.1.99999.1.1", Duration.ofDays(7));
    }

    static SealRequest request(String csrPem, String profile) {
        return new SealRequest(csrPem, profile, "ACME e-seal", "ACME SAS", ORG_ID, "FR", 3);
    }

    static String csrPem(KeyPair kp) throws Exception {
        return Pki.pem(Pki.csr(kp));
    }

    Path chain() throws Exception {
        return Pki.write(dir, "chain.pem", ca.root(), ca.issuing());
    }

    void writeCa() throws Exception {
        Pki.write(dir, "root.pem", ca.root());
        Pki.write(dir, "issuing.pem", ca.issuing());
        Pki.write(dir, "ocsp.pem", ca.ocsp());
        Pki.write(dir, "tsa.pem", ca.tsa());
        chain();
    }

    static void ok(Pki.Result r) {
        assertEquals(0, r.exit(), r.out());
    }

    @Test
    void ceremonyCertificatesVerifyWithOpenssl() throws Exception {
        writeCa();
        Pki.Result r = Pki.openssl(dir, "verify", "-CAfile", "root.pem", "-untrusted", "issuing.pem", "issuing.pem",
                "ocsp.pem", "tsa.pem");
        ok(r);
        assertTrue(r.out().contains("ocsp.pem: OK") && r.out().contains("tsa.pem: OK"), r.out());

        String root = Pki.openssl(dir, "x509", "-in", "root.pem", "-noout", "-text").out();
        assertTrue(root.contains("X509v3 Basic Constraints: critical\n                CA:TRUE"), root);
        assertTrue(root.contains("X509v3 Key Usage: critical\n                Certificate Sign, CRL Sign"), root);
        assertTrue(root.contains("Subject Key Identifier") && root.contains("Authority Key Identifier"), root);
        assertTrue(root.contains("CN = Cachet Root CA") && root.contains("organizationIdentifier = " + ORG_ID), root);
        String issuing = Pki.openssl(dir, "x509", "-in", "issuing.pem", "-noout", "-text").out();
        assertTrue(issuing.contains("CA:TRUE, pathlen:0"), issuing);
        String o = Pki.openssl(dir, "x509", "-in", "ocsp.pem", "-noout", "-text").out();
        assertTrue(o.contains("OCSP Signing") && o.contains("OCSP No Check"), o);
        String t = Pki.openssl(dir, "x509", "-in", "tsa.pem", "-noout", "-text").out();
        assertTrue(t.contains("X509v3 Extended Key Usage: critical\n                Time Stamping"), t);
        assertTrue(Pki.openssl(dir, "x509", "-in", "tsa.pem", "-noout", "-purpose").out()
                .contains("Time Stamp signing : Yes"));
    }

    /**
     * Every Authority Key Identifier (certificates of the hierarchy, seals, CRLs) names the issuer by its key
     * identifier alone, equal to the issuer's SKI: no authorityCertIssuer and serial (openssl prints them as
     * DirName and serial).
     */
    @Test
    void authorityKeyIdentifiersCarryTheKeyIdentifierOnly() throws Exception {
        writeCa();
        X509Certificate leaf = issuer.issue(request(csrPem(Pki.ec("secp256r1")), "qscd"));
        Pki.write(dir, "leaf.pem", leaf);
        Pki.write(dir, "crl.pem", issuer.crl());
        for (String[] file : new String[][] { { "x509", "root.pem" }, { "x509", "issuing.pem" },
                { "x509", "ocsp.pem" }, { "x509", "tsa.pem" }, { "x509", "leaf.pem" }, { "crl", "crl.pem" } }) {
            Pki.Result r = Pki.openssl(dir, file[0], "-in", file[1], "-noout", "-text");
            ok(r);
            Matcher aki = Pattern.compile("X509v3 Authority Key Identifier:\\s*\\n(.*?)\\n\\s*X509v3|"
                    + "X509v3 Authority Key Identifier:\\s*\\n(.*)$", Pattern.DOTALL).matcher(r.out());
            assertTrue(aki.find(), file[1] + ":\n" + r.out());
            String block = aki.group(1) != null ? aki.group(1) : aki.group(2).lines().limit(3)
                    .reduce("", (a, b) -> a + b + "\n");
            assertFalse(block.contains("DirName") || block.contains("serial:"), file[1] + ":\n" + block);
        }
        X509Certificate[][] pairs = { { ca.issuing(), ca.root() }, { ca.ocsp(), ca.issuing() },
                { ca.tsa(), ca.issuing() }, { leaf, ca.issuing() } };
        for (X509Certificate[] pair : pairs) {
            assertAkiIsSkiOf(pair[0].getExtensionValue("2.5.29.35"), pair[1]);
        }
        assertAkiIsSkiOf(issuer.crl().getExtensionValue("2.5.29.35"), ca.issuing());
    }

    private static void assertAkiIsSkiOf(byte[] akiExtension, X509Certificate issuerCert) {
        org.bouncycastle.asn1.x509.AuthorityKeyIdentifier aki = org.bouncycastle.asn1.x509.AuthorityKeyIdentifier
                .getInstance(org.bouncycastle.asn1.ASN1OctetString.getInstance(akiExtension).getOctets());
        assertEquals(null, aki.getAuthorityCertIssuer());
        assertEquals(null, aki.getAuthorityCertSerialNumber());
        byte[] ski = org.bouncycastle.asn1.x509.SubjectKeyIdentifier.getInstance(org.bouncycastle.asn1.ASN1OctetString
                .getInstance(issuerCert.getExtensionValue("2.5.29.14")).getOctets()).getKeyIdentifier();
        assertTrue(Arrays.equals(ski, aki.getKeyIdentifier()));
    }

    @Test
    void settingsAreValidated() {
        assertMessage("organizationIdentifier", () -> CaSettings.defaults("Org", "FR-1", "FR"));
        assertMessage("'country'", () -> CaSettings.defaults("Org", ORG_ID, "fr"));
        assertMessage("'issuingCommonName' is 60 characters", () -> new CaSettings(KeyAlgorithm.EC_P256, "O", ORG_ID,
                "FR", "R", "I".repeat(60), 10, 5, 1, ""));
        assertMessage("validities", () -> new CaSettings(KeyAlgorithm.EC_P256, "O", ORG_ID, "FR", "R", "I", 5, 10,
                1, ""));
        assertMessage("publicBaseUrl", () -> new IssuerSettings("ftp://x", "https://x/pds", "en", "1.2.3",
                Duration.ofDays(1)));
        assertMessage("providerPolicyOid", () -> new IssuerSettings("http://x", "https://x/pds", "en", "abc",
                Duration.ofDays(1)));
        assertMessage("TSA policy", () -> ca.timeStampKey("not-an-oid"));
        // the CRL, OCSP and CA certificate over http; the disclosure statement over https
        assertMessage("publicBaseUrl must be an http:// URL", () -> new IssuerSettings("https://ca.example.fr",
                "https://ca.example.fr/pds", "en", "1.2.3", Duration.ofDays(1)));
        assertMessage("pdsUrl must be an https:// URL", () -> new IssuerSettings("http://ca.example.fr",
                "http://ca.example.fr/pds", "en", "1.2.3", Duration.ofDays(1)));
        assertMessage("pdsUrl", () -> new IssuerSettings("http://ca.example.fr", "https:///pds", "en", "1.2.3",
                Duration.ofDays(1)));
        assertMessage("no longer than the CRL validity", () -> new IssuerSettings("http://x", "https://x/pds", "en",
                "1.2.3", Duration.ofHours(1), Duration.ofHours(2), KeyUsage.nonRepudiation, KeyUsage.nonRepudiation));
        assertMessage("qscdKeyUsage: 'keyEncipherment'", () -> IssuerSettings.keyUsage("nonRepudiation,keyEncipherment",
                "qscdKeyUsage"));
        assertMessage("cloudKeyUsage", () -> new IssuerSettings("http://x", "https://x/pds", "en", "1.2.3",
                Duration.ofHours(1), Duration.ofHours(1), KeyUsage.nonRepudiation, KeyUsage.keyEncipherment));
        assertEquals(KeyUsage.nonRepudiation | KeyUsage.digitalSignature,
                IssuerSettings.keyUsage("digitalSignature, contentCommitment", "x"));
        assertThrows(io.cachet.api.token.TokenException.class,
                () -> CaHierarchy.create(ca.token(), ca.settings())); // aliases already taken
    }

    @Test
    void ceremonyReloadsFromToken() {
        CaHierarchy again = CaHierarchy.load(ca.token(), ca.settings());
        assertEquals(ca.issuing(), again.issuing());
        assertEquals(ca.tsa(), again.tsa());
    }

    @Test
    void rsa3072HierarchyIssuesVerifiableSeal() throws Exception {
        CaHierarchy rsa = CaHierarchy.create(new JcaTestToken(),
                CaSettings.defaults("Cachet Test", ORG_ID, "FR").withKeyAlgorithm(KeyAlgorithm.RSA_3072));
        X509Certificate leaf = new SealIssuer(rsa, settings(), new InMemoryCertificateRepository(),
                Clock.systemUTC()).issue(request(csrPem(Pki.rsa(2048)), "qscd"));
        assertEquals("SHA256WITHRSA", leaf.getSigAlgName().toUpperCase());
        Pki.write(dir, "root.pem", rsa.root());
        Pki.write(dir, "issuing.pem", rsa.issuing());
        Pki.write(dir, "leaf.pem", leaf);
        ok(Pki.openssl(dir, "verify", "-CAfile", "root.pem", "-untrusted", "issuing.pem", "leaf.pem"));
        assertTrue(Pki.openssl(dir, "x509", "-in", "root.pem", "-noout", "-text").out().contains("3072 bit"));
    }

    @Test
    void qscdSealVerifiesWithOpensslAndCarriesQcStatements() throws Exception {
        writeCa();
        X509Certificate leaf = issuer.issue(request(csrPem(Pki.ec("secp256r1")), "qscd"));
        Pki.write(dir, "leaf.pem", leaf);
        Pki.Result r = Pki.openssl(dir, "verify", "-CAfile", "root.pem", "-untrusted", "issuing.pem", "leaf.pem");
        ok(r);
        assertTrue(r.out().contains("leaf.pem: OK"), r.out());

        String text = Pki.openssl(dir, "x509", "-in", "leaf.pem", "-noout", "-text").out();
        // EN 319 412-2 §4.3.2 type A, the preferred one for seals: nonRepudiation (contentCommitment) alone
        assertTrue(text.contains("X509v3 Key Usage: critical\n                Non Repudiation\n"), text);
        assertTrue(text.contains("Policy: 0.4.0.194112.1.3") && text.contains("Policy: 1.3.6.1.4.1.99999.1.1"), text);
        assertFalse(text.contains("0.4.0.194112.1.1"), text);
        assertTrue(text.contains("URI:http://ca.example.fr/pki/crl"), text);
        assertTrue(text.contains("OCSP - URI:http://ca.example.fr/ocsp"), text);
        assertTrue(text.contains("CA Issuers - URI:http://ca.example.fr/pki/issuing-ca.cer"), text);
        assertTrue(text.contains("organizationIdentifier = " + ORG_ID) && text.contains("C = FR")
                && text.contains("CN = ACME e-seal") && text.contains("O = ACME SAS"), text);
        assertTrue(text.contains("qcStatements"), text);

        String qc = qcStatements();
        for (String oid : new String[] { "0.4.0.1862.1.1", "0.4.0.1862.1.6", "0.4.0.1862.1.6.2", "0.4.0.1862.1.5",
                "0.4.0.1862.1.4" }) {
            assertTrue(qc.contains(":" + oid + "\n") || qc.contains(":" + oid + " "), oid + " in\n" + qc);
        }
        assertTrue(qc.contains("https://ca.example.fr/pds/en.pdf") && qc.contains(":en"), qc);

        BigInteger serial = leaf.getSerialNumber();
        assertTrue(serial.signum() > 0 && serial.bitLength() <= 127 && serial.bitLength() > 64);
        assertTrue(leaf.getNotAfter().getTime() - leaf.getNotBefore().getTime() > Duration.ofDays(3 * 365 - 1)
                .toMillis());
    }

    /** The qcStatements extension of leaf.pem, decoded by openssl asn1parse. */
    private String qcStatements() throws Exception {
        String all = Pki.openssl(dir, "asn1parse", "-in", "leaf.pem").out();
        Matcher m = Pattern.compile("(?m)qcStatements\\s*\\n\\s*(\\d+):.*OCTET STRING").matcher(all);
        if (!m.find()) {
            m = Pattern.compile("(?m)1\\.3\\.6\\.1\\.5\\.5\\.7\\.1\\.3\\s*\\n\\s*(\\d+):.*OCTET STRING").matcher(all);
            assertTrue(m.find(), all);
        }
        Pki.Result r = Pki.openssl(dir, "asn1parse", "-in", "leaf.pem", "-strparse", m.group(1));
        ok(r);
        return r.out();
    }

    @Test
    void cloudSealHasQcpLAndNoSscd() throws Exception {
        writeCa();
        X509Certificate leaf = issuer.issue(request(csrPem(Pki.ec("secp384r1")), "cloud"));
        Pki.write(dir, "leaf.pem", leaf);
        ok(Pki.openssl(dir, "verify", "-CAfile", "root.pem", "-untrusted", "issuing.pem", "leaf.pem"));
        String text = Pki.openssl(dir, "x509", "-in", "leaf.pem", "-noout", "-text").out();
        assertTrue(text.contains("Policy: 0.4.0.194112.1.1") && !text.contains("0.4.0.194112.1.3"), text);
        String qc = qcStatements();
        assertTrue(qc.contains("0.4.0.1862.1.1") && qc.contains("0.4.0.1862.1.6.2"), qc);
        assertFalse(qc.contains("0.4.0.1862.1.4"), qc);
    }

    /** The key usage is a setting of each profile: both usages (type B) when a provider asks for it. */
    @Test
    void keyUsageIsASettingOfEachProfile() throws Exception {
        writeCa();
        SealIssuer mixed = new SealIssuer(ca, new IssuerSettings("http://ca.example.fr", "https://ca.example.fr/pds",
                "en", "1.3.6.1.4.1.99999.1.1", Duration.ofDays(1), Duration.ofHours(1), KeyUsage.nonRepudiation,
                KeyUsage.nonRepudiation | KeyUsage.digitalSignature), new InMemoryCertificateRepository(),
                Clock.systemUTC());
        Pki.write(dir, "qscd.pem", mixed.issue(request(csrPem(Pki.ec("secp256r1")), "qscd")));
        Pki.write(dir, "cloud.pem", mixed.issue(request(csrPem(Pki.ec("secp256r1")), "cloud")));
        String qscd = Pki.openssl(dir, "x509", "-in", "qscd.pem", "-noout", "-text").out();
        assertTrue(qscd.contains("X509v3 Key Usage: critical\n                Non Repudiation\n"), qscd);
        String cloud = Pki.openssl(dir, "x509", "-in", "cloud.pem", "-noout", "-text").out();
        assertTrue(cloud.contains("X509v3 Key Usage: critical\n                Digital Signature, Non Repudiation\n"),
                cloud);
        // the defaults: nonRepudiation alone for both profiles
        Pki.write(dir, "default-cloud.pem", issuer.issue(request(csrPem(Pki.ec("secp256r1")), "cloud")));
        String byDefault = Pki.openssl(dir, "x509", "-in", "default-cloud.pem", "-noout", "-text").out();
        assertTrue(byDefault.contains("X509v3 Key Usage: critical\n                Non Repudiation\n"), byDefault);
        ok(Pki.openssl(dir, "verify", "-CAfile", "root.pem", "-untrusted", "issuing.pem", "qscd.pem", "cloud.pem",
                "default-cloud.pem"));
    }

    @Test
    void validityIsClampedToTheIssuingCa() throws Exception {
        SealRequest r = new SealRequest(csrPem(Pki.ec("secp256r1")), "qscd", "Long", "ACME SAS", ORG_ID, "FR", 50);
        X509Certificate leaf = issuer.issue(r);
        assertEquals(ca.issuing().getNotAfter(), leaf.getNotAfter());
    }

    @Test
    void badRequestsAreRefusedWithClearMessages() throws Exception {
        String good = csrPem(Pki.ec("secp256r1"));
        assertMessage("malformed", () -> issuer.issue(request(
                "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n", "qscd")));
        assertMessage("not a PEM PKCS#10", () -> issuer.issue(request("hello", "qscd")));
        assertMessage("empty", () -> issuer.issue(request("", "qscd")));

        PKCS10CertificationRequest csr = Pki.csr(Pki.ec("secp256r1"));
        byte[] der = csr.getEncoded();
        byte[] broken = Arrays.copyOf(der, der.length);
        broken[broken.length - 5] ^= 0x01; // inside the ECDSA signature value
        String brokenPem = Pki.pem(new PKCS10CertificationRequest(broken));
        CaException e = assertThrows(CaException.class, () -> issuer.issue(request(brokenPem, "qscd")));
        assertTrue(e.getMessage().contains("CSR signature"), e.getMessage());

        assertMessage("1024 bits refused", () -> issuer.issue(request(csrPem(Pki.rsa(1024)), "qscd")));
        assertMessage("only P-256 and P-384", () -> issuer.issue(request(csrPem(Pki.ec("secp521r1")), "qscd")));
        assertMessage("only P-256 and P-384", () -> issuer.issue(request(csrPem(Pki.ec("secp256k1")), "qscd")));
        assertMessage("unknown profile 'gold'", () -> issuer.issue(request(good, "gold")));
        assertMessage("unknown profile", () -> issuer.issue(request(good, null)));
        for (String bad : new String[] { "123456789", "NTR-123", "ntrfr-1", "NTRFR-", "NTRFR123" }) {
            assertMessage("'organisation.identifier' must follow ETSI EN 319 412-1",
                    () -> issuer.issue(new SealRequest(good, "qscd", "X", "ACME", bad, "FR", 1)));
        }
        assertMessage("'organisation.country'",
                () -> issuer.issue(new SealRequest(good, "qscd", "X", "ACME", ORG_ID, "FRA", 1)));
        assertMessage("at least one year",
                () -> issuer.issue(new SealRequest(good, "qscd", "X", "ACME", ORG_ID, "FR", 0)));
    }

    /**
     * Names are plain text written as DirectoryString values: a leading '#' is not hex DER, RFC 4514 special
     * characters are kept as they are, and every value round-trips as a UTF8String (PrintableString for C).
     */
    @Test
    void namesArePlainTextDirectoryStrings() throws Exception {
        String csr = csrPem(Pki.ec("secp256r1"));
        String[][] names = { { "#020101", "#zz", "VATBE-0123456789", "BE" },
                { "ACME, \\\"seal\" +1=2; <x>", "Société Générale ünïcödé 漢字", "LEIXG-5493001KJTIIGC8Y1R12", "DE" },
                { "x".repeat(64), "o".repeat(64), "NTRFR-" + "1".repeat(58), "FR" },
                { "Seal", "ACME", "xy:FR-1234/ab.c", "FR" }, { "Seal", "ACME", "PSDBE-NBB-0123.456.789", "BE" } };
        for (String[] n : names) {
            X509Certificate leaf = issuer.issue(new SealRequest(csr, "qscd", n[0], n[1], n[2], n[3], 1));
            org.bouncycastle.asn1.x500.X500Name subject = org.bouncycastle.asn1.x500.X500Name.getInstance(
                    leaf.getSubjectX500Principal().getEncoded());
            assertValue(subject, org.bouncycastle.asn1.x500.style.BCStyle.CN, n[0], org.bouncycastle.asn1.DERUTF8String.class);
            assertValue(subject, org.bouncycastle.asn1.x500.style.BCStyle.O, n[1], org.bouncycastle.asn1.DERUTF8String.class);
            assertValue(subject, org.bouncycastle.asn1.x500.style.BCStyle.ORGANIZATION_IDENTIFIER, n[2],
                    org.bouncycastle.asn1.DERUTF8String.class);
            assertValue(subject, org.bouncycastle.asn1.x500.style.BCStyle.C, n[3],
                    org.bouncycastle.asn1.DERPrintableString.class);
            assertTrue(leaf.getEncoded().length < 1500, "certificate of " + leaf.getEncoded().length + " bytes");
        }
        X509Certificate hash = issuer.issue(new SealRequest(csr, "qscd", "#020101", "#zz", ORG_ID, "FR", 1));
        Pki.write(dir, "hash.pem", hash);
        String shown = Pki.openssl(dir, "x509", "-in", "hash.pem", "-noout", "-subject", "-nameopt",
                "multiline,show_type").out();
        assertTrue(shown.contains("commonName                = UTF8STRING:#020101")
                && shown.contains("organizationName          = UTF8STRING:#zz"), shown);
    }

    private static void assertValue(org.bouncycastle.asn1.x500.X500Name name,
            org.bouncycastle.asn1.ASN1ObjectIdentifier type, String expected, Class<?> stringType) {
        org.bouncycastle.asn1.x500.RDN[] rdns = name.getRDNs(type);
        assertEquals(1, rdns.length, type + " in " + name);
        org.bouncycastle.asn1.ASN1Encodable value = rdns[0].getFirst().getValue();
        assertEquals(stringType, value.getClass(), type + " in " + name);
        assertEquals(expected, ((org.bouncycastle.asn1.ASN1String) value).getString());
    }

    /** Control, formatting and bidi characters, over-long values and malformed identifiers: each names its field. */
    @Test
    void badNamesAreRefusedNamingTheField() throws Exception {
        String csr = csrPem(Pki.ec("secp256r1"));
        String[] hostile = { "", "A\u0000B", "line\nbreak", "line\rbreak", "tab\there", "\u001B[31mred", "abc\u202Efdp.exe",
                "\u202Ax", "x\u202B", "x\u202Cy", "x\u202Dy", "x\u2066y", "x\u2067y", "x\u2068y", "x\u2069y",
                "x\u200Ey", "x\u200Fy", "zero\u200Bwidth", "bom\uFEFF", "x\u2028y", "x\u0085y", "x\uD800y",
                "priv\uE000", " leading", "trailing ", "x".repeat(65) };
        for (String bad : hostile) {
            String shown = bad.codePoints().limit(20).collect(StringBuilder::new,
                    (b, c) -> b.append(String.format("U+%04X ", c)), StringBuilder::append).toString();
            assertRefused("'commonName'", shown, new SealRequest(csr, "qscd", bad, "ACME", ORG_ID, "FR", 1));
            assertRefused("'organisation.name'", shown, new SealRequest(csr, "qscd", "Seal", bad, ORG_ID, "FR", 1));
            assertRefused("'organisation.identifier'", shown,
                    new SealRequest(csr, "qscd", "Seal", "ACME", "NTRFR-" + bad, "FR", 1));
        }
        for (String bad : new String[] { "NTRFR-" + "1".repeat(30_000), "NTRFR-" + "1".repeat(59), "XYZFR-1",
                "NTRfr-1", "NTRFR-12 34", "NTRFRA-1", "x:FR-1", "xyz:FR-1", "NTRFR-\u00e9" }) {
            assertRefused("'organisation.identifier'", bad.length() > 40 ? bad.length() + " chars" : bad,
                    new SealRequest(csr, "qscd", "Seal", "ACME", bad, "FR", 1));
        }
        for (String bad : new String[] { "", "F", "fr", "FRA", "F\u0000", "1A", "ÉF" }) {
            assertRefused("'organisation.country'", bad, new SealRequest(csr, "qscd", "Seal", "ACME", ORG_ID, bad, 1));
        }
        CaException e = assertThrows(CaException.class, () -> issuer.issue(new SealRequest(csr, "qscd", "Seal",
                "ACME", "NTRFR-" + "1".repeat(30_000), "FR", 1)));
        assertTrue(e.getMessage().length() < 200, e.getMessage());
    }

    private static void assertRefused(String field, String what, SealRequest request) {
        CaException e = assertThrows(CaException.class, () -> issuer.issue(request), field + " " + what);
        assertEquals(io.cachet.api.ca.CertificateAuthorityException.Kind.INVALID_REQUEST, e.kind());
        assertTrue(e.getMessage().contains(field), field + " " + what + ": " + e.getMessage());
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        CaException e = assertThrows(CaException.class, call);
        assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
    }

    @Test
    void revocationAndCrlVerifyWithOpenssl() throws Exception {
        writeCa();
        X509Certificate leaf = issuer.issue(request(csrPem(Pki.ec("secp256r1")), "cloud"));
        X509Certificate other = issuer.issue(request(csrPem(Pki.ec("secp256r1")), "cloud"));
        java.time.Instant before = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        issuer.revoke(leaf.getSerialNumber(), CRLReason.keyCompromise);
        java.time.Instant after = java.time.Instant.now();
        assertMessage("already revoked", () -> issuer.revoke(leaf.getSerialNumber(), CRLReason.superseded));
        assertMessage("not issued by this CA", () -> issuer.revoke(BigInteger.valueOf(42), CRLReason.superseded));
        assertMessage("unknown CRL reason", () -> issuer.revoke(other.getSerialNumber(), 7));

        X509CRL crl = issuer.crl();
        X509CRL next = issuer.crl();
        Pki.write(dir, "crl.pem", crl);
        Pki.Result r = Pki.openssl(dir, "crl", "-in", "crl.pem", "-CAfile", "chain.pem", "-verify", "-noout",
                "-text");
        ok(r);
        assertTrue(r.out().contains("verify OK"), r.out());
        String hex = leaf.getSerialNumber().toString(16).toUpperCase();
        assertTrue(r.out().replace(":", "").toUpperCase().contains(hex), r.out());
        assertFalse(r.out().replace(":", "").toUpperCase().contains(other.getSerialNumber().toString(16)
                .toUpperCase()), r.out());
        assertTrue(r.out().contains("Key Compromise") && r.out().contains("X509v3 CRL Number")
                && r.out().contains("Authority Key Identifier") && r.out().contains("Next Update"), r.out());
        assertTrue(r.out().contains("Version 2"), r.out());
        // the entry's revocation date is the revocation's time, in whole seconds
        java.time.Instant listed = crl.getRevokedCertificate(leaf).getRevocationDate().toInstant();
        assertFalse(listed.isBefore(before) || listed.isAfter(after), before + " <= " + listed + " <= " + after);
        assertEquals(0, listed.getNano());
        assertEquals(1, crl.getRevokedCertificates().size());
        assertNotNull(next.getExtensionValue("2.5.29.20"));
        assertFalse(Arrays.equals(crl.getExtensionValue("2.5.29.20"), next.getExtensionValue("2.5.29.20")));
    }

    /**
     * Signatures at levels LT and LTA must carry the revocation status of the TSA that time-stamped them: the TSA
     * certificate points at the CA's CRL and OCSP responder, and the CA's register says it is good (the OCSP
     * responder of io.cachet.ca.status answers with that register).
     */
    @Test
    void theTsaCertificateHasItsRevocationStatusPublished() throws Exception {
        CaHierarchy published = CaHierarchy.create(new JcaTestToken(), CaSettings.defaults("Cachet Test", ORG_ID,
                "FR"), settings());
        Pki.write(dir, "tsa.pem", published.tsa());
        String text = Pki.openssl(dir, "x509", "-in", "tsa.pem", "-noout", "-text").out();
        assertTrue(text.contains("URI:http://ca.example.fr/pki/crl"), text);
        assertTrue(text.contains("OCSP - URI:http://ca.example.fr/ocsp"), text);
        assertTrue(text.contains("CA Issuers - URI:http://ca.example.fr/pki/issuing-ca.cer"), text);
        assertTrue(text.contains("Time Stamping"), text);

        BigInteger tsa = published.tsa().getSerialNumber();
        io.cachet.api.ca.CertificateStatus status = TrustServices.status(published,
                new InMemoryCertificateRepository(), tsa).orElseThrow();
        assertEquals(tsa, status.serial());
        assertFalse(status.revoked());

        // a hierarchy made without its public URLs (as before) keeps a TSA certificate without them
        Pki.write(dir, "bare-tsa.pem", ca.tsa());
        assertFalse(Pki.openssl(dir, "x509", "-in", "bare-tsa.pem", "-noout", "-text").out().contains("OCSP - URI"));
    }

    /**
     * The register an OCSP responder answers with: good while issued and not revoked, then revoked with its time
     * and reason; nothing for a serial this CA never issued, nor for another CA's TSA certificate.
     */
    @Test
    void theStatusOfACertificateFollowsItsRevocation() throws Exception {
        X509Certificate leaf = issuer.issue(request(csrPem(Pki.ec("secp256r1")), "qscd"));
        io.cachet.api.ca.CertificateStatus good = TrustServices.status(ca, issuer.repository(),
                leaf.getSerialNumber()).orElseThrow();
        assertFalse(good.revoked());
        java.time.Instant before = java.time.Instant.now().minusSeconds(1);
        issuer.revoke(leaf.getSerialNumber(), CRLReason.cessationOfOperation);
        io.cachet.api.ca.CertificateStatus revoked = TrustServices.status(ca, issuer.repository(),
                leaf.getSerialNumber()).orElseThrow();
        assertTrue(revoked.revoked());
        assertEquals(io.cachet.api.ca.RevocationReason.CESSATION_OF_OPERATION, revoked.revocation().get().reason());
        assertFalse(revoked.revocation().get().time().isBefore(before));
        assertTrue(TrustServices.status(ca, issuer.repository(), BigInteger.valueOf(0x1234)).isEmpty());
        CaHierarchy other = CaHierarchy.create(new JcaTestToken(), CaSettings.defaults("Cachet Test", ORG_ID, "FR"));
        assertTrue(TrustServices.status(ca, issuer.repository(), other.tsa().getSerialNumber()).isEmpty());
    }

    /**
     * The delegated OCSP signer's key the CA hands to the OCSP responder (bundle io.cachet.ca.status): the signer's
     * and the issuing CA's certificates, the validity of answers, and signatures made on the token that verify with
     * the OCSP signer's certificate. A validity that is not positive is refused.
     */
    @Test
    void theOcspKeySignsWithTheOcspSignerKeyOnTheToken() throws Exception {
        io.cachet.api.ca.OcspKey key = ca.ocspKey(Duration.ofMinutes(90));
        assertEquals(ca.ocsp(), key.certificate());
        assertEquals(ca.issuing(), key.issuer());
        assertEquals(Duration.ofMinutes(90), key.validity());
        assertEquals(io.cachet.api.token.SignatureAlgorithm.ECDSA_SHA256, key.algorithm());
        byte[] data = "to be signed".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.security.Signature check = java.security.Signature.getInstance(key.algorithm().jcaName());
        check.initVerify(key.certificate().getPublicKey());
        check.update(data);
        assertTrue(check.verify(key.sign(data)));
        check.initVerify(ca.tsa().getPublicKey());
        check.update(data);
        assertFalse(check.verify(key.sign(data)), "signed with the OCSP key, not another CA key");
        assertThrows(CaException.class, () -> ca.ocspKey(Duration.ZERO));
        assertThrows(CaException.class, () -> ca.ocspKey(Duration.ofMinutes(-1)));
    }

    /**
     * The time-stamping unit's key the CA hands to the TSA (bundle io.cachet.tsa): its certificate and chain, the
     * configured policy, and signatures made on the token that verify with the TSA certificate.
     */
    @Test
    void theTimeStampKeySignsWithTheTsaKeyOnTheToken() throws Exception {
        io.cachet.api.ca.TimeStampKey key = ca.timeStampKey("1.3.6.1.4.1.99999.1.2");
        assertEquals(ca.tsa(), key.certificate());
        assertEquals(java.util.List.of(ca.issuing(), ca.root()), key.chain());
        assertEquals("1.3.6.1.4.1.99999.1.2", key.policyOid());
        assertEquals(io.cachet.api.token.SignatureAlgorithm.ECDSA_SHA256, key.algorithm());
        byte[] data = "to be signed".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.security.Signature check = java.security.Signature.getInstance(key.algorithm().jcaName());
        check.initVerify(key.certificate().getPublicKey());
        check.update(data);
        assertTrue(check.verify(key.sign(data)));
        check.initVerify(key.certificate().getPublicKey());
        check.update("other".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertFalse(check.verify(key.sign(data)));
    }
}
