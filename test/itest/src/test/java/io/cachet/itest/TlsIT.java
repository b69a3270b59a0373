package io.cachet.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

import javax.inject.Inject;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

import io.cachet.launcher.LaunchOptions;
import io.cachet.launcher.Main;
import io.cachet.launcher.Tls;
import io.cachet.testing.pki.TestPki;

/**
 * The distribution started as {@code cachet.jar --tls-keystore FILE} would start it, with a PKCS#12 keystore of the
 * test PKI's {@code tls-localhost} server certificate: it answers over HTTPS only, on its one port, and sends HSTS.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TlsIT {

    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() throws Exception {
        Path data = Files.createTempDirectory("cachet-it-tls-");
        Path dir = Files.createTempDirectory("cachet-it-tls-keys-");
        // the server's key and self-signed certificate for localhost, from the test PKI (tls-localhost)
        TestPki.load("tls-localhost").writePkcs12(dir.resolve("server.p12"), "server",
                "itest-store-pass".toCharArray());
        Files.writeString(dir.resolve("pass"), "itest-store-pass\n");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        LaunchOptions options = LaunchOptions.parse("--data", data.toString(), "--port", Integer.toString(port),
                "--tls-keystore", dir.resolve("server.p12").toString(), "--tls-password-file",
                dir.resolve("pass").toString());
        Map<String, String> extra = new HashMap<>(Main.frameworkProperties(options, System.currentTimeMillis()));
        extra.putAll(Tls.frameworkProperties(options, name -> null, new ArrayList<>()));
        return CachetRuntime.options(data, extra);
    }

    /** Trusts exactly the server's certificate, read from the keystore the launcher wrote. */
    private HttpClient client() throws Exception {
        KeyStore trust = KeyStore.getInstance(Path.of(context.getProperty("org.apache.felix.https.keystore")).toFile(),
                context.getProperty("org.apache.felix.https.keystore.password").toCharArray());
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        anchors.load(null, null);
        anchors.setCertificateEntry("server", trust.getCertificate("cachet"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(anchors);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    public void answersOverHttpsWithHstsAndNotInClear() throws Exception {
        String port = context.getProperty("org.osgi.service.http.port");
        HttpClient https = client();
        HttpResponse<String>[] last = new HttpResponse[1];
        Probe.await("GET https://127.0.0.1:" + port + "/health answers 200", () -> {
            try {
                last[0] = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/health"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                return last[0].statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        assertEquals("{\"status\":\"UP\"}", last[0].body().replaceAll("\\s", ""));
        String hsts = last[0].headers().firstValue("Strict-Transport-Security").orElse("");
        assertTrue(hsts, hsts.startsWith("max-age=") && Long.parseLong(hsts.substring(8).split(";")[0]) >= 31536000L);

        boolean clearAnswered;
        try {
            HttpResponse<String> clear = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            clearAnswered = clear.statusCode() == 200;
        } catch (IOException refused) {
            clearAnswered = false;
        }
        assertTrue("plain HTTP gets no answer on the TLS port", !clearAnswered);
    }
}
