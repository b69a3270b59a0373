package io.cachet.testing.pki;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate hierarchy built from its description, with fresh keys (in software) each time.
 *
 * <p>The description is a properties text, one group of keys per entity, {@code <entity>.<attribute>}:
 * <table>
 * <caption>attributes</caption>
 * <tr><td>{@code subject}</td><td>X.500 name, BouncyCastle style ({@code CN=..., O=..., organizationIdentifier=...,
 * C=FR}); required</td></tr>
 * <tr><td>{@code issuer}</td><td>the issuing entity's name; absent: self-signed</td></tr>
 * <tr><td>{@code key}</td><td>{@code EC P-256} (default), {@code EC P-384}, {@code EC P-521}, {@code EC secp256k1},
 * {@code RSA 2048} or any RSA size</td></tr>
 * <tr><td>{@code validity}</td><td>two ISO-8601 durations from now, start and end: {@code -P1D P365D} (default);
 * {@code -P730D -P365D} is a certificate that expired a year ago</td></tr>
 * <tr><td>{@code ca}</td><td>{@code true} for a CA (basicConstraints cA, keyCertSign and cRLSign)</td></tr>
 * <tr><td>{@code pathLength}</td><td>the CA's path length constraint</td></tr>
 * <tr><td>{@code keyUsage}</td><td>comma-separated: digitalSignature, nonRepudiation, keyEncipherment, keyAgreement,
 * keyCertSign, cRLSign (default for an end entity: digitalSignature)</td></tr>
 * <tr><td>{@code extendedKeyUsage}</td><td>comma-separated: serverAuth, clientAuth, timeStamping, OCSPSigning,
 * codeSigning, emailProtection</td></tr>
 * <tr><td>{@code subjectAltName}</td><td>comma-separated {@code dns:NAME}, {@code ip:ADDRESS}</td></tr>
 * </table>
 * Issuers sign with SHA-256 (SHA-384 for a P-384 key, SHA-512 for P-521): ECDSA or RSA PKCS#1 v1.5. Every certificate
 * has a random 16-byte serial and subject/authority key identifiers.
 */
public final class TestPki {

    private static final Provider BC = new BouncyCastleProvider();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<String> ATTRIBUTES = Set.of("subject", "issuer", "key", "validity", "ca", "pathLength",
            "keyUsage", "extendedKeyUsage", "subjectAltName");

    private final Map<String, Entity> entities;

    private TestPki(Map<String, Entity> entities) {
        this.entities = Collections.unmodifiableMap(entities);
    }

    /**
     * The PKI described by the resource {@code io/cachet/testing/pki/<name>.properties} of this module, e.g.
     * {@code seal-hierarchy} or {@code tls-localhost}.
     */
    public static TestPki load(String name) {
        String resource = name + ".properties";
        try (InputStream in = TestPki.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test PKI description " + resource + " next to "
                        + TestPki.class.getName());
            }
            return describe(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** The PKI of a description given as text (see the class's documentation). */
    public static TestPki describe(String description) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(description));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Map<String, String>> specs = new LinkedHashMap<>();
        for (String key : new java.util.TreeSet<>(p.stringPropertyNames())) {
            int dot = key.lastIndexOf('.');
            String attribute = dot < 0 ? "" : key.substring(dot + 1);
            if (dot <= 0 || !ATTRIBUTES.contains(attribute)) {
                throw new IllegalArgumentException("not <entity>.<attribute> with an attribute of " + ATTRIBUTES
                        + ": " + key);
            }
            specs.computeIfAbsent(key.substring(0, dot), k -> new LinkedHashMap<>()).put(attribute,
                    p.getProperty(key).trim());
        }
        Map<String, Entity> built = new LinkedHashMap<>();
        for (String name : specs.keySet()) {
            build(name, specs, built, new LinkedHashSet<>());
        }
        return new TestPki(built);
    }

    public Entity entity(String name) {
        Entity e = entities.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no entity " + name + " in this test PKI (it has " + entities.keySet()
                    + ")");
        }
        return e;
    }

    public X509Certificate certificate(String name) {
        return entity(name).certificate();
    }

    /** The entity names, in the order of the description's keys. */
    public List<String> names() {
        return List.copyOf(entities.keySet());
    }

    /** A PKCS#12 file with the entity's key, its certificate and its issuers, under the alias {@code name}. */
    public Path writePkcs12(Path file, String name, char[] password) {
        Entity e = entity(name);
        return Pkcs12Files.write(file, name, e.keys().getPrivate(), e.chain(), password);
    }

    /** The certificates of {@code names}, PEM, in that order. */
    public String pem(String... names) {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
            for (String name : names) {
                pem.writeObject(certificate(name));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** A random positive 16-byte certificate serial. */
    static BigInteger serial() {
        byte[] serial = new byte[16];
        RANDOM.nextBytes(serial);
        serial[0] = (byte) ((serial[0] & 0x7f) | 0x40);
        return new BigInteger(serial);
    }

    private static Entity build(String name, Map<String, Map<String, String>> specs, Map<String, Entity> built,
            Set<String> path) {
        Entity done = built.get(name);
        if (done != null) {
            return done;
        }
        if (!path.add(name)) {
            throw new IllegalArgumentException("the issuers go round in a circle: " + path);
        }
        Map<String, String> spec = specs.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("no entity " + name + " in the description (issuer of "
                    + path + ")");
        }
        String subject = spec.get("subject");
        if (subject == null) {
            throw new IllegalArgumentException(name + ".subject is missing");
        }
        KeyPair keys = keyPair(spec.getOrDefault("key", "EC P-256"), name);
        String issuerName = spec.get("issuer");
        Entity issuer = issuerName == null ? null : build(issuerName, specs, built, path);
        Entity entity = issue(name, spec, new X500Name(BCStyle.INSTANCE, subject), keys, issuer);
        built.put(name, entity);
        path.remove(name);
        return entity;
    }

    private static Entity issue(String name, Map<String, String> spec, X500Name subject, KeyPair keys, Entity issuer) {
        String[] validity = spec.getOrDefault("validity", "-P1D P365D").split("\\s+");
        if (validity.length != 2) {
            throw new IllegalArgumentException(name + ".validity is two durations from now, start and end: "
                    + spec.get("validity"));
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Date notBefore = Date.from(now.plus(Duration.parse(validity[0])));
        Date notAfter = Date.from(now.plus(Duration.parse(validity[1])));
        KeyPair signing = issuer == null ? keys : issuer.keys();
        X500Name issuerName = issuer == null ? subject
                : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
        boolean ca = Boolean.parseBoolean(spec.getOrDefault("ca", "false"));
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, serial(), notBefore, notAfter,
                    subject, keys.getPublic());
            b.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    utils.createAuthorityKeyIdentifier(signing.getPublic()));
            String pathLength = spec.get("pathLength");
            b.addExtension(Extension.basicConstraints, true, !ca ? new BasicConstraints(false)
                    : pathLength == null ? new BasicConstraints(true)
                    : new BasicConstraints(Integer.parseInt(pathLength)));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage(name,
                    spec.getOrDefault("keyUsage", ca ? "keyCertSign,cRLSign" : "digitalSignature"))));
            if (spec.containsKey("extendedKeyUsage")) {
                b.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(purposes(name, spec.get("extendedKeyUsage"))));
            }
            if (spec.containsKey("subjectAltName")) {
                b.addExtension(Extension.subjectAlternativeName, false, altNames(name, spec.get("subjectAltName")));
            }
            X509Certificate certificate = new JcaX509CertificateConverter().setProvider(BC).getCertificate(
                    b.build(new JcaContentSignerBuilder(signatureAlgorithm(signing)).setProvider(BC)
                            .build(signing.getPrivate())));
            List<X509Certificate> issuers = new ArrayList<>();
            if (issuer != null) {
                issuers.addAll(issuer.chain());
            }
            return new Entity(name, keys, certificate, issuers);
        } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot build the certificate of " + name + ": " + e, e);
        }
    }

    private static KeyPair keyPair(String key, String name) {
        String[] parts = key.split("\\s+");
        try {
            if (parts.length == 2 && parts[0].equals("EC")) {
                String curve = switch (parts[1]) {
                    case "P-256" -> "secp256r1";
                    case "P-384" -> "secp384r1";
                    case "P-521" -> "secp521r1";
                    default -> parts[1];
                };
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
                g.initialize(new ECGenParameterSpec(curve), RANDOM);
                return g.generateKeyPair();
            }
            if (parts.length == 2 && parts[0].equals("RSA")) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA", BC);
                g.initialize(Integer.parseInt(parts[1]), RANDOM);
                return g.generateKeyPair();
            }
        } catch (GeneralSecurityException | NumberFormatException e) {
            throw new IllegalArgumentException(name + ".key: cannot generate " + key + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException(name + ".key is 'EC <curve>' or 'RSA <bits>', not " + key);
    }

    private static String signatureAlgorithm(KeyPair signing) {
        if (signing.getPublic().getAlgorithm().startsWith("RSA")) {
            return "SHA256withRSA";
        }
        int bits = ((java.security.interfaces.ECPublicKey) signing.getPublic()).getParams().getCurve().getField()
                .getFieldSize();
        return bits > 384 ? "SHA512withECDSA" : bits > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
    }

    private static int keyUsage(String name, String list) {
        int bits = 0;
        for (String usage : list.split(",")) {
            bits |= switch (usage.trim()) {
                case "digitalSignature" -> KeyUsage.digitalSignature;
                case "nonRepudiation", "contentCommitment" -> KeyUsage.nonRepudiation;
                case "keyEncipherment" -> KeyUsage.keyEncipherment;
                case "keyAgreement" -> KeyUsage.keyAgreement;
                case "keyCertSign" -> KeyUsage.keyCertSign;
                case "cRLSign" -> KeyUsage.cRLSign;
                default -> throw new IllegalArgumentException(name + ".keyUsage: unknown " + usage.trim());
            };
        }
        return bits;
    }

    private static KeyPurposeId[] purposes(String name, String list) {
        List<KeyPurposeId> ids = new ArrayList<>();
        for (String purpose : list.split(",")) {
            ids.add(switch (purpose.trim()) {
                case "serverAuth" -> KeyPurposeId.id_kp_serverAuth;
                case "clientAuth" -> KeyPurposeId.id_kp_clientAuth;
                case "timeStamping" -> KeyPurposeId.id_kp_timeStamping;
                case "OCSPSigning" -> KeyPurposeId.id_kp_OCSPSigning;
                case "codeSigning" -> KeyPurposeId.id_kp_codeSigning;
                case "emailProtection" -> KeyPurposeId.id_kp_emailProtection;
                default -> throw new IllegalArgumentException(name + ".extendedKeyUsage: unknown " + purpose.trim());
            });
        }
        return ids.toArray(KeyPurposeId[]::new);
    }

    private static GeneralNames altNames(String name, String list) {
        List<GeneralName> names = new ArrayList<>();
        for (String entry : list.split(",")) {
            String e = entry.trim();
            String lower = e.toLowerCase(Locale.ROOT);
            if (lower.startsWith("dns:")) {
                names.add(new GeneralName(GeneralName.dNSName, e.substring(4)));
            } else if (lower.startsWith("ip:")) {
                names.add(new GeneralName(GeneralName.iPAddress, e.substring(3)));
            } else {
                throw new IllegalArgumentException(name + ".subjectAltName: dns:NAME or ip:ADDRESS, not " + e);
            }
        }
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }
}
