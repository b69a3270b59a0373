package io.cachet.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS and listening options, with keystores made by the JDK's keytool and PEM files made by openssl. */
class TlsTest {

    @TempDir
    Path temp;

    static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("tool.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
        }
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("tool.log")));
    }

    static String keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    }

    /** A PKCS#12 keystore with one EC key and its self-signed certificate for localhost. */
    Path keystore(String name, String password) throws Exception {
        run(temp, keytool(), "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", name, "-storepass", password);
        return temp.resolve(name);
    }

    Path passwordFile(String password) throws IOException {
        return Files.writeString(temp.resolve("tls.pass"), password + "\n");
    }

    Map<String, String> properties(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--data", temp.resolve("data").toString()));
        all.addAll(List.of(args));
        return Tls.frameworkProperties(LaunchOptions.parse(all.toArray(String[]::new)), name -> null, new ArrayList<>());
    }

    @Test
    void listensOnThisMachineOnlyUnlessToldOtherwise() throws Exception {
        assertEquals("127.0.0.1", LaunchOptions.parse().host());
        assertEquals("127.0.0.1", Main.frameworkProperties(LaunchOptions.parse(), 1L).get("org.apache.felix.http.host"));
        assertEquals("0.0.0.0", Main.frameworkProperties(LaunchOptions.parse("--host", "0.0.0.0"), 1L)
                .get("org.apache.felix.http.host"));
        assertEquals("::1", LaunchOptions.parse("--host=[::1]").host());
        var bad = assertThrows(LaunchOptions.BadOption.class, () -> LaunchOptions.parse("--host", "a b"));
        assertTrue(bad.getMessage().startsWith("--host must be"), bad.getMessage());
        assertTrue(properties().isEmpty(), "plain HTTP without TLS options");
    }

    @Test
    void aKeystoreTurnsHttpsOnAndHttpOffOnThePort() throws Exception {
        Path ks = keystore("server.p12", "store-secret-1");
        Map<String, String> p = properties("--port", "8443", "--tls-keystore", ks.toString(), "--tls-password-file",
                passwordFile("store-secret-1").toString());
        assertEquals("true", p.get("org.apache.felix.https.enable"));
        assertEquals("false", p.get("org.apache.felix.http.enable"));
        assertEquals("8443", p.get("org.osgi.service.http.port.secure"));
        assertTrue(!p.containsValue("store-secret-1"), "the operator's password is no framework property");

        Path runtime = Path.of(p.get("org.apache.felix.https.keystore"));
        assertEquals(temp.resolve("data/tls/server.p12"), runtime);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(runtime)));
        KeyStore copy = KeyStore.getInstance(runtime.toFile(),
                p.get("org.apache.felix.https.keystore.password").toCharArray());
        KeyStore original = KeyStore.getInstance(ks.toFile(), "store-secret-1".toCharArray());
        assertEquals(original.getCertificate("server"), copy.getCertificate(Tls.ALIAS));
        assertTrue(copy.isKeyEntry(Tls.ALIAS));
    }

    @Test
    void thePasswordMayComeFromTheEnvironment() throws Exception {
        Path ks = keystore("env.p12", "from-env-secret");
        LaunchOptions o = LaunchOptions.parse("--data", temp.resolve("data").toString(), "--tls-keystore", ks.toString());
        Map<String, String> p = Tls.frameworkProperties(o,
                name -> Tls.PASSWORD_ENV.equals(name) ? "from-env-secret" : null, new ArrayList<>());
        assertEquals("true", p.get("org.apache.felix.https.enable"));
        var missing = assertThrows(LaunchOptions.BadOption.class,
                () -> Tls.frameworkProperties(o, name -> null, new ArrayList<>()));
        assertTrue(missing.getMessage().contains(Tls.PASSWORD_ENV), missing.getMessage());
    }

    @Test
    void badKeystoresAreRefusedWithOneLineSayingWhy() throws Exception {
        Path ks = keystore("server.p12", "right-password");
        var wrong = assertThrows(LaunchOptions.BadOption.class, () -> properties("--tls-keystore", ks.toString(),
                "--tls-password-file", passwordFile("wrong-password").toString()));
        assertTrue(wrong.getMessage().contains("wrong password"), wrong.getMessage());

        var absent = assertThrows(LaunchOptions.BadOption.class, () -> properties("--tls-keystore",
                temp.resolve("absent.p12").toString(), "--tls-password-file", passwordFile("x").toString()));
        assertTrue(absent.getMessage().contains("no such file"), absent.getMessage());

        Path garbage = Files.writeString(temp.resolve("garbage.p12"), "not a keystore");
        var notKs = assertThrows(LaunchOptions.BadOption.class, () -> properties("--tls-keystore",
                garbage.toString(), "--tls-password-file", passwordFile("x").toString()));
        assertTrue(notKs.getMessage().contains(garbage.toString()), notKs.getMessage());

        var both = assertThrows(LaunchOptions.BadOption.class, () -> LaunchOptions.parse("--tls-keystore", "a.p12",
                "--tls-cert", "c.pem", "--tls-key", "k.pem"));
        assertTrue(both.getMessage().contains("not both"), both.getMessage());
        var half = assertThrows(LaunchOptions.BadOption.class, () -> LaunchOptions.parse("--tls-cert", "c.pem"));
        assertTrue(half.getMessage().contains("--tls-key"), half.getMessage());
        for (Throwable e : List.of(wrong, absent, notKs, both, half)) {
            assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        }
    }

    @Test
    void pemKeyAndChainAreCheckedAndConverted() throws Exception {
        run(temp, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "key.pem", "-out", "cert.pem", "-subj", "/CN=localhost", "-days", "2");
        run(temp, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other-key.pem", "-out",
                "other-cert.pem", "-subj", "/CN=other", "-days", "2");
        Map<String, String> p = properties("--tls-cert", temp.resolve("cert.pem").toString(), "--tls-key",
                temp.resolve("key.pem").toString());
        KeyStore copy = KeyStore.getInstance(Path.of(p.get("org.apache.felix.https.keystore")).toFile(),
                p.get("org.apache.felix.https.keystore.password").toCharArray());
        assertEquals("CN=localhost",
                ((X509Certificate) copy.getCertificate(Tls.ALIAS)).getSubjectX500Principal().getName());

        var mismatch = assertThrows(LaunchOptions.BadOption.class, () -> properties("--tls-cert",
                temp.resolve("cert.pem").toString(), "--tls-key", temp.resolve("other-key.pem").toString()));
        assertTrue(mismatch.getMessage().contains("does not belong"), mismatch.getMessage());

        run(temp, "openssl", "pkcs8", "-topk8", "-in", "key.pem", "-out", "encrypted.pem", "-passout", "pass:x-secret");
        var encrypted = assertThrows(LaunchOptions.BadOption.class, () -> properties("--tls-cert",
                temp.resolve("cert.pem").toString(), "--tls-key", temp.resolve("encrypted.pem").toString()));
        assertTrue(encrypted.getMessage().contains("encrypted"), encrypted.getMessage());
    }

    @Test
    void theLauncherEndsABadTlsOptionWithOneLineAndExitCode2() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--data", temp.resolve("data").toString(), "--port", Integer.toString(port),
                "--tls-keystore", temp.resolve("absent.p12").toString(), "--tls-password-file",
                passwordFile("x").toString()).redirectOutput(temp.resolve("out.txt").toFile())
                .redirectError(temp.resolve("err.txt").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the launcher did not end");
        }
        String err = Files.readString(temp.resolve("err.txt"), StandardCharsets.UTF_8);
        assertEquals(2, p.exitValue(), err);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("cachet: --tls-keystore ") && err.contains("no such file"), err);
    }
}
