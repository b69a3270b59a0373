package io.cachet.ca.internal;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import io.cachet.api.testing.Processes;

/** Test helpers: CSRs, PEM files and running openssl. */
final class Pki {
    static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private Pki() {
    }

    static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA", BC);
        g.initialize(bits);
        return g.generateKeyPair();
    }

    static PKCS10CertificationRequest csr(KeyPair kp) throws Exception {
        String alg = kp.getPublic().getAlgorithm().startsWith("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=ignored"), kp.getPublic())
                .build(new JcaContentSignerBuilder(alg).setProvider(BC).build(kp.getPrivate()));
    }

    static String pem(Object o) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        }
        return w.toString();
    }

    static Path write(Path dir, String name, Object... objects) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (Object o : objects) {
            sb.append(pem(o));
        }
        Path f = dir.resolve(name);
        Files.writeString(f, sb.toString());
        return f;
    }

    record Result(int exit, String out) {
    }

    /** {@code openssl args...} in {@code dir}, through the tests' one process runner (2 minutes at most). */
    static Result openssl(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Processes.Result r = Processes.run(dir, Duration.ofSeconds(120), cmd);
        return new Result(r.exit(), r.out());
    }
}
