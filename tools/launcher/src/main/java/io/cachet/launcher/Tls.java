package io.cachet.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns the TLS options into what the HTTP runtime (Felix HTTP Jetty) reads. The key and chain are read and
 * checked here, before anything starts, so that a wrong password, a keystore without a key or a key that does
 * not match its certificate ends with one line and exit code 2. They are then copied into
 * {@code DATA/tls/server.p12} (600) under a password drawn at each start: the runtime only takes a keystore
 * file and its password as framework properties, and this way the operator's own password (or an unencrypted
 * PEM key) never becomes one.
 */
public final class Tls {

    /** Environment variable holding the password of {@code --tls-keystore}. */
    public static final String PASSWORD_ENV = "CACHET_TLS_PASSWORD";
    static final String ALIAS = "cachet";

    /** The key and chain the server will present, and what the operator should hear about them. */
    record Material(PrivateKey key, X509Certificate[] chain, List<String> warnings) {
    }

    private Tls() {
    }

    /**
     * Checks the TLS options, writes the runtime keystore and returns the framework properties that turn HTTPS
     * on (and plain HTTP off) on {@code options.port()}. No properties when TLS is not configured.
     */
    public static Map<String, String> frameworkProperties(LaunchOptions options, Function<String, String> env,
            List<String> warnings) throws LaunchOptions.BadOption {
        if (options.tls() == null) {
            return Map.of();
        }
        Material material = load(options.tls(), env);
        warnings.addAll(material.warnings());
        char[] password = randomPassword();
        Path store = options.dataDir().resolve("tls").resolve("server.p12");
        try {
            write(store, material, password);
            Map<String, String> p = new LinkedHashMap<>();
            p.put("org.apache.felix.http.enable", "false");
            p.put("org.apache.felix.https.enable", "true");
            p.put("org.osgi.service.http.port.secure", Integer.toString(options.port()));
            p.put("org.apache.felix.https.keystore", store.toString());
            p.put("org.apache.felix.https.keystore.type", "PKCS12");
            p.put("org.apache.felix.https.keystore.password", new String(password));
            p.put("org.apache.felix.https.keystore.key.password", new String(password));
            p.put("org.apache.felix.https.jetty.protocols.included", "TLSv1.3,TLSv1.2");
            p.put("org.apache.felix.https.jetty.session.cookie.secure", "true");
            return p;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    static Material load(LaunchOptions.TlsSource source, Function<String, String> env) throws LaunchOptions.BadOption {
        Material m = source.keystore() != null ? fromKeystore(source, env) : fromPem(source);
        if (m.chain().length == 0) {
            throw new LaunchOptions.BadOption("The TLS key has no certificate; give its certificate chain");
        }
        matches(m.key(), m.chain()[0]);
        List<String> warnings = new ArrayList<>(m.warnings());
        X509Certificate leaf = m.chain()[0];
        Date now = new Date();
        if (now.after(leaf.getNotAfter())) {
            warnings.add("the TLS certificate " + leaf.getSubjectX500Principal().getName() + " expired on "
                    + leaf.getNotAfter().toInstant() + "; clients will refuse it until it is renewed");
        } else if (now.before(leaf.getNotBefore())) {
            warnings.add("the TLS certificate " + leaf.getSubjectX500Principal().getName() + " is valid only from "
                    + leaf.getNotBefore().toInstant());
        }
        return new Material(m.key(), m.chain(), warnings);
    }

    private static Material fromKeystore(LaunchOptions.TlsSource source, Function<String, String> env)
            throws LaunchOptions.BadOption {
        Path file = source.keystore();
        if (!Files.isRegularFile(file)) {
            throw unreadable("--tls-keystore", file, new NoSuchFileException(file.toString()));
        }
        char[] password = password(source, env);
        try {
            KeyStore ks;
            try {
                ks = KeyStore.getInstance(file.toFile(), password);
            } catch (IOException e) {
                if (e.getCause() instanceof java.security.UnrecoverableKeyException
                        || e.getMessage() != null && e.getMessage().contains("password")) {
                    throw new LaunchOptions.BadOption("--tls-keystore " + file + ": wrong password (check "
                            + (source.passwordFile() != null ? source.passwordFile() : "$" + PASSWORD_ENV) + ")");
                }
                throw unreadable("--tls-keystore", file, e);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new LaunchOptions.BadOption("--tls-keystore " + file + " is not a PKCS#12 or JKS keystore");
            }
            List<String> keys = new ArrayList<>();
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    keys.add(alias);
                }
            }
            if (keys.size() != 1) {
                throw new LaunchOptions.BadOption("--tls-keystore " + file + " holds " + keys.size()
                        + " private keys " + keys + "; it must hold exactly one, with its certificate chain");
            }
            Key key = ks.getKey(keys.get(0), password);
            if (!(key instanceof PrivateKey privateKey)) {
                throw new LaunchOptions.BadOption("--tls-keystore " + file + ": the entry " + keys.get(0)
                        + " is not a private key");
            }
            Certificate[] chain = ks.getCertificateChain(keys.get(0));
            return new Material(privateKey, x509(chain == null ? new Certificate[0] : chain), List.of());
        } catch (java.security.UnrecoverableKeyException e) {
            throw new LaunchOptions.BadOption("--tls-keystore " + file + ": the key's password differs from the "
                    + "keystore's; give the key the keystore's password");
        } catch (GeneralSecurityException e) {
            throw new LaunchOptions.BadOption("--tls-keystore " + file + " cannot be read (" + e.getMessage() + ")");
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static char[] password(LaunchOptions.TlsSource source, Function<String, String> env)
            throws LaunchOptions.BadOption {
        if (source.passwordFile() != null) {
            try {
                byte[] bytes = Files.readAllBytes(source.passwordFile());
                try {
                    String text = new String(bytes, StandardCharsets.UTF_8);
                    int end = text.indexOf('\n');
                    String line = (end < 0 ? text : text.substring(0, end)).replace("\r", "");
                    return line.toCharArray();
                } finally {
                    Arrays.fill(bytes, (byte) 0);
                }
            } catch (IOException e) {
                throw unreadable("--tls-password-file", source.passwordFile(), e);
            }
        }
        String fromEnv = env.apply(PASSWORD_ENV);
        if (fromEnv == null) {
            throw new LaunchOptions.BadOption("--tls-keystore needs its password: put it in the environment "
                    + "variable " + PASSWORD_ENV + " or in a file named by --tls-password-file FILE");
        }
        return fromEnv.toCharArray();
    }

    private static Material fromPem(LaunchOptions.TlsSource source) throws LaunchOptions.BadOption {
        X509Certificate[] chain;
        try (InputStream in = Files.newInputStream(source.certificatePem())) {
            chain = x509(CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(Certificate[]::new));
        } catch (IOException e) {
            throw unreadable("--tls-cert", source.certificatePem(), e);
        } catch (CertificateException e) {
            throw new LaunchOptions.BadOption("--tls-cert " + source.certificatePem()
                    + " holds no readable PEM certificate (" + e.getMessage() + ")");
        }
        if (chain.length == 0) {
            throw new LaunchOptions.BadOption("--tls-cert " + source.certificatePem() + " holds no certificate");
        }
        byte[] der = null;
        try {
            String pem = Files.readString(source.keyPem(), StandardCharsets.US_ASCII);
            if (pem.contains("ENCRYPTED PRIVATE KEY")) {
                throw new LaunchOptions.BadOption("--tls-key " + source.keyPem() + " is encrypted; give it "
                        + "unencrypted (openssl pkcs8 -topk8 -nocrypt) and protect it with file permissions, or use "
                        + "--tls-keystore");
            }
            int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
            int end = pem.indexOf("-----END PRIVATE KEY-----");
            if (begin < 0 || end < begin) {
                throw new LaunchOptions.BadOption("--tls-key " + source.keyPem() + " is not a PKCS#8 PEM key "
                        + "(BEGIN PRIVATE KEY); convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY8");
            }
            der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
            return new Material(privateKey(der, source.keyPem()), chain, List.of());
        } catch (IOException e) {
            throw unreadable("--tls-key", source.keyPem(), e);
        } catch (IllegalArgumentException e) {
            throw new LaunchOptions.BadOption("--tls-key " + source.keyPem() + " is not valid PEM (bad base64)");
        } finally {
            if (der != null) {
                Arrays.fill(der, (byte) 0);
            }
        }
    }

    private static PrivateKey privateKey(byte[] pkcs8, Path file) throws LaunchOptions.BadOption {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException notThisOne) {
                // try the next algorithm
            }
        }
        throw new LaunchOptions.BadOption("--tls-key " + file + " holds no RSA, EC or EdDSA private key");
    }

    /** Proves the key belongs to the certificate: a signature made with one verifies with the other. */
    private static void matches(PrivateKey key, X509Certificate certificate) throws LaunchOptions.BadOption {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // reported below
        }
        throw new LaunchOptions.BadOption("The TLS private key does not belong to the certificate "
                + certificate.getSubjectX500Principal().getName() + " (the first certificate must be the server's)");
    }

    private static X509Certificate[] x509(Certificate[] chain) throws LaunchOptions.BadOption {
        X509Certificate[] out = new X509Certificate[chain.length];
        for (int i = 0; i < chain.length; i++) {
            if (!(chain[i] instanceof X509Certificate x)) {
                throw new LaunchOptions.BadOption("The TLS certificate chain holds a certificate that is not X.509");
            }
            out[i] = x;
        }
        return out;
    }

    private static void write(Path store, Material material, char[] password) throws LaunchOptions.BadOption {
        try {
            Path dir = store.getParent();
            Files.createDirectories(dir);
            setPermissions(dir, "rwx------");
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, material.key(), password, material.chain());
            Path temp = Files.createTempFile(dir, ".server", ".p12");
            setPermissions(temp, "rw-------");
            try (OutputStream out = Files.newOutputStream(temp)) {
                ks.store(out, password);
            }
            Files.move(temp, store, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | GeneralSecurityException e) {
            throw new LaunchOptions.BadOption("Cannot write " + store + " (" + e.getMessage()
                    + "). Check the permissions of the data directory.");
        }
    }

    private static void setPermissions(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the data directory's ACL applies
        }
    }

    private static char[] randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        char[] chars = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
        Arrays.fill(bytes, (byte) 0);
        return chars;
    }

    private static LaunchOptions.BadOption unreadable(String option, Path file, IOException e) {
        String why = e instanceof NoSuchFileException ? "no such file"
                : e instanceof AccessDeniedException ? "permission denied"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new LaunchOptions.BadOption(option + " " + file + " cannot be read (" + why + ")");
    }
}
