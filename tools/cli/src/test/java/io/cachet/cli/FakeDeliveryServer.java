package io.cachet.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.cachet.api.ca.SealCertificateRequest;
import io.cachet.signature.testing.TestPki;

/**
 * A stand-in for the server's token delivery REST interface (steps 1 to 8 and 10 of issue 13's contract), over real
 * HTTP on a free localhost port, with real cryptography: the PIN is decrypted with the server's RSA-OAEP-256 key, the
 * CSR's signature and key are checked, the certificate is issued by the signature tests' CA. It exists to test the
 * command line's <em>sequencing</em> (what it sends in which order, how it resumes and reports failures); it is not
 * the server (io.cachet.delivery.token), whose behaviour the lead's integration tests check with the real CLI.
 */
public final class FakeDeliveryServer implements AutoCloseable {

    public static final String API_KEY = "test-operator-key";
    static final OAEPParameterSpec OAEP = new OAEPParameterSpec("SHA-256", "MGF1",
            java.security.spec.MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();
    private static final Pattern SHIPMENT = Pattern.compile("/api/v1/shipments/([^/]+)/state");
    private static final Pattern ORDER_ITSELF = Pattern.compile("/api/v1/orders/([^/]+)");
    private static final Pattern ORDER = Pattern.compile("/api/v1/orders/([^/]+)/token(/.*)?");

    /** One order's delivery as the fake keeps it. */
    public static final class Order {
        public final String id;
        public final String label;
        public volatile String stage = "WAITING";
        public volatile int attempt = 1;
        public volatile String serial;
        public volatile String pinCiphertext;
        public volatile String publicKeyPem;
        public volatile String csr;
        public volatile X509Certificate certificate;
        public volatile String lastError;
        public volatile int failCsr;
        public volatile String statusLink;
        public volatile boolean activated;
        /** The demo's certificate manager, to whom the status link and the SMS code go. */
        public volatile String managerEmail;
        public volatile String managerMobile;
        public volatile String shipmentState;
        public volatile String smsCode;
        public final List<String> shipmentStates = new CopyOnWriteArrayList<>();
        public final List<String> calls = new CopyOnWriteArrayList<>();
        public final List<String> discarded = new CopyOnWriteArrayList<>();
        public volatile JsonNode lastStartAnswer;

        Order(String id, String label) {
            this.id = id;
            this.label = label;
        }

        public long count(String call) {
            return calls.stream().filter(c -> c.equals(call)).count();
        }
    }

    final KeyPair pinKey;
    final String keyId;
    final TestPki pki;
    final Map<String, Order> orders = new ConcurrentHashMap<>();
    private final HttpServer server;
    public final String baseUrl;

    public FakeDeliveryServer(TestPki pki) throws Exception {
        this.pki = pki;
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(3072);
        pinKey = g.generateKeyPair();
        byte[] spki = pinKey.getPublic().getEncoded();
        keyId = java.util.HexFormat.of().formatHex(java.util.Arrays.copyOf(
                java.security.MessageDigest.getInstance("SHA-256").digest(spki), 16));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "fake-delivery-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/api/v1/", this::handle);
        server.createContext("/order/status/", this::pages);
        server.createContext("/token-pin/", this::pages);
        server.createContext("/pki/chain.pem", x -> {
            byte[] b = TestPki.pem(pki.ca.issuing(), pki.ca.root()).getBytes(StandardCharsets.US_ASCII);
            x.getResponseHeaders().set("Content-Type", "application/x-pem-file");
            x.sendResponseHeaders(200, b.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(b);
            }
        });
        server.start();
        baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public Order order(String id, String label) {
        Order o = new Order(id, label);
        orders.put(id, o);
        return o;
    }

    /** The initialisation PIN the server holds for the order, decrypted with its PIN key. */
    public String heldPin(Order o) {
        return o.pinCiphertext == null ? null : decrypt(o.pinCiphertext);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange x) throws IOException {
        try {
            String path = x.getRequestURI().getPath();
            String method = x.getRequestMethod();
            JsonNode body = body(x);
            if (path.equals("/api/v1/token-delivery/activation") && method.equals("POST")) {
                activation(x, body);
                return;
            }
            if (!("Bearer " + API_KEY).equals(x.getRequestHeaders().getFirst("Authorization"))) {
                problem(x, 401, "a valid API key is needed");
                return;
            }
            if (path.equals("/api/v1/token-delivery/pin-key") && method.equals("GET")) {
                send(x, 200, JSON.createObjectNode().put("keyId", keyId).put("algorithm", "RSA-OAEP-256")
                        .put("publicKey", io.cachet.cli.token.PinCipher.pem(pinKey.getPublic())));
                return;
            }
            if (path.equals("/api/v1/outbox")) {
                outbox(x);
                return;
            }
            Matcher sh = SHIPMENT.matcher(path);
            if (sh.matches() && method.equals("POST")) {
                for (Order o : orders.values()) {
                    if (sh.group(1).equals("shp-" + o.id)) {
                        o.shipmentState = body.path("state").asText();
                        o.shipmentStates.add(o.shipmentState + " " + body.path("trackingNumber").asText(""));
                        send(x, 200, JSON.createObjectNode().put("id", sh.group(1)).put("state", o.shipmentState));
                        return;
                    }
                }
            }
            Matcher oo = ORDER_ITSELF.matcher(path);
            if (oo.matches() && orders.containsKey(oo.group(1))) {
                Order o = orders.get(oo.group(1));
                String state = o.activated ? "ACTIVE" : o.stage.equals("PROVISIONED") ? "DELIVERY" : "ISSUANCE";
                ObjectNode json = JSON.createObjectNode().put("id", o.id).put("state", state).put("version",
                        o.calls.size() + (o.activated ? 100 : 0));
                json.putArray("checks");
                send(x, 200, json);
                return;
            }
            Matcher m = ORDER.matcher(path);
            if (!m.matches()) {
                problem(x, 404, "no such resource " + path);
                return;
            }
            Order o = orders.get(m.group(1));
            if (o == null) {
                problem(x, 404, "no order " + m.group(1) + " waits for a token (unknown, or not in ISSUANCE)");
                return;
            }
            String rest = m.group(2) == null ? "" : m.group(2);
            synchronized (o) {
                o.calls.add(method + " " + (rest.isEmpty() ? "/token" : rest));
                switch (method + " " + rest) {
                    case "GET " -> send(x, 200, delivery(o));
                    case "POST /provisioning" -> start(x, o, body);
                    case "POST /provisioning/initialised" -> initialised(x, o, body);
                    case "POST /provisioning/key" -> key(x, o, body);
                    case "POST /provisioning/csr" -> csr(x, o, body);
                    case "POST /provisioning/written" -> written(x, o, body);
                    case "POST /provisioning/failure" -> {
                        o.lastError = body.path("step").asText() + ": " + body.path("error").asText();
                        send(x, 200, delivery(o));
                    }
                    default -> problem(x, 404, "no such resource " + path);
                }
            }
        } catch (RuntimeException e) {
            problem(x, 500, e.toString());
        }
    }

    private ObjectNode delivery(Order o) {
        ObjectNode d = JSON.createObjectNode().put("orderId", o.id).put("attempt", o.attempt).put("stage", o.stage)
                .put("tokenLabel", o.label).put("tokenSerial", o.serial)
                .put("certificateSerial", o.certificate == null ? null : o.certificate.getSerialNumber().toString(16))
                .put("pin", o.pinCiphertext == null ? "NONE" : "HELD").put("lastError", o.lastError);
        return d;
    }

    private boolean after(Order o, String stage) {
        List<String> order = List.of("WAITING", "INITIALISED", "KEY_GENERATED", "CERTIFIED", "PROVISIONED");
        return order.indexOf(o.stage) > order.indexOf(stage);
    }

    private void start(HttpExchange x, Order o, JsonNode b) throws IOException {
        String serial = b.path("tokenSerial").asText();
        if (serial.isBlank()) {
            problem(x, 400, "tokenSerial is missing");
            return;
        }
        if (o.stage.equals("PROVISIONED")) {
            problem(x, 409, "order " + o.id + " is already provisioned on token " + o.serial);
            return;
        }
        boolean resume = serial.equals(o.serial) && List.of("INITIALISED", "KEY_GENERATED", "CERTIFIED")
                .contains(o.stage);
        if (!resume && o.serial != null && !serial.equals(o.serial)) {
            o.discarded.add(o.serial);
            o.attempt++;
            o.stage = "WAITING";
            o.pinCiphertext = null;
            o.publicKeyPem = null;
            o.certificate = null;
        }
        o.serial = serial;
        ObjectNode a = JSON.createObjectNode().put("orderId", o.id).put("attempt", o.attempt).put("stage", o.stage)
                .put("resume", resume).put("tokenLabel", o.label).put("keyAlias", "seal").put("keyAlgorithm",
                        "EC_P256").put("maxUserPinTries", 5).put("pinDigits", 4);
        if (resume && o.pinCiphertext != null) {
            PublicKey resumeKey = io.cachet.cli.token.PinCipher.rsaPublicKey(b.path("resumeKey").asText());
            a.put("pin", encrypt(decrypt(o.pinCiphertext), resumeKey));
        }
        o.lastStartAnswer = a;
        send(x, 200, a);
    }

    private void initialised(HttpExchange x, Order o, JsonNode b) throws IOException {
        if (!b.path("tokenSerial").asText().equals(o.serial) || after(o, "INITIALISED")) {
            problem(x, 409, "token " + b.path("tokenSerial").asText() + " is past initialisation");
            return;
        }
        if (!keyId.equals(b.path("pin").path("keyId").asText())) {
            problem(x, 400, "the PIN is encrypted to another key");
            return;
        }
        String ciphertext = b.path("pin").path("ciphertext").asText();
        if (!decrypt(ciphertext).matches("[0-9]{4}")) {
            problem(x, 400, "the PIN is not 4 digits");
            return;
        }
        o.pinCiphertext = ciphertext;
        o.stage = "INITIALISED";
        send(x, 200, delivery(o));
    }

    private void key(HttpExchange x, Order o, JsonNode b) throws IOException {
        for (String attribute : List.of("sensitive", "alwaysSensitive", "neverExtractable")) {
            if (!b.path(attribute).asBoolean()) {
                problem(x, 400, "the key is not " + attribute);
                return;
            }
        }
        if (b.path("extractable").asBoolean()) {
            problem(x, 400, "the key is extractable");
            return;
        }
        String pem = b.path("publicKey").asText();
        if (o.publicKeyPem != null && !o.publicKeyPem.equals(pem) && after(o, "KEY_GENERATED")) {
            problem(x, 409, "another key after CERTIFIED");
            return;
        }
        o.publicKeyPem = pem;
        if (!after(o, "KEY_GENERATED")) {
            o.stage = "KEY_GENERATED";
        }
        send(x, 200, delivery(o));
    }

    private void csr(HttpExchange x, Order o, JsonNode b) throws IOException {
        if (o.failCsr > 0) {
            o.failCsr--;
            problem(x, 503, "the CA is unavailable; nothing changed");
            return;
        }
        String pem = b.path("csr").asText();
        PKCS10CertificationRequest csr;
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            csr = (PKCS10CertificationRequest) p.readObject();
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BC).build(
                    csr.getSubjectPublicKeyInfo()))) {
                problem(x, 400, "the request's signature does not verify");
                return;
            }
        } catch (Exception e) {
            problem(x, 400, "not a PKCS#10 request: " + e);
            return;
        }
        SubjectPublicKeyInfo recorded;
        try (PEMParser p = new PEMParser(new StringReader(o.publicKeyPem))) {
            recorded = (SubjectPublicKeyInfo) p.readObject();
        }
        if (!recorded.equals(csr.getSubjectPublicKeyInfo())) {
            problem(x, 400, "the request was not made with the token's key");
            return;
        }
        o.csr = pem;
        if (o.certificate == null) {
            o.certificate = pki.issuer.issue(new SealCertificateRequest(pem, SealCertificateRequest.Profile.QSCD,
                    "ACME e-seal", new SealCertificateRequest.Organisation("ACME SAS", TestPki.ORG_ID, "FR"), 1));
            o.stage = "CERTIFIED";
        }
        ObjectNode a = JSON.createObjectNode().put("certificateSerial", o.certificate.getSerialNumber().toString(16))
                .put("certificate", TestPki.pem(o.certificate));
        a.putArray("chain").add(TestPki.pem(pki.ca.issuing())).add(TestPki.pem(pki.ca.root()));
        send(x, 200, a);
    }

    private void written(HttpExchange x, Order o, JsonNode b) throws IOException {
        if (o.certificate == null || !b.path("tokenSerial").asText().equals(o.serial)) {
            problem(x, 409, "nothing certified for token " + b.path("tokenSerial").asText());
            return;
        }
        o.stage = "PROVISIONED";
        ObjectNode a = JSON.createObjectNode().put("stage", "PROVISIONED");
        a.putObject("shipment").put("id", "shp-" + o.id).put("state", "PREPARED").put("labelUrl",
                "/api/v1/shipments/shp-" + o.id + "/label");
        send(x, 200, a);
    }

    private void activation(HttpExchange x, JsonNode b) throws IOException {
        String link = b.path("link").asText();
        for (Order o : orders.values()) {
            if (o.statusLink != null && link.equals(o.statusLink)) {
                if (!b.path("tokenSerial").asText().equals(o.serial)) {
                    problem(x, 409, "token " + b.path("tokenSerial").asText() + " is not this order's token");
                    return;
                }
                o.activated = true;
                send(x, 200, JSON.createObjectNode().put("orderId", o.id).put("state", "ACTIVE"));
                return;
            }
        }
        problem(x, 404, "unknown link");
    }

    /** The outbox: the status link e-mailed to each order's manager, and the codes sent by SMS. */
    private void outbox(HttpExchange x) throws IOException {
        boolean sms = x.getRequestURI().getQuery().contains("channel=sms");
        ObjectNode a = JSON.createObjectNode();
        var messages = a.putArray("messages");
        for (Order o : orders.values()) {
            if (o.managerEmail == null) {
                continue;
            }
            if (sms && o.smsCode != null) {
                messages.addObject().put("id", "sms-" + o.id + "-" + o.smsCode).put("channel", "sms")
                        .put("to", o.managerMobile).put("body", "Cachet: your code is " + o.smsCode)
                        .put("template", "token.pin.code");
            } else if (!sms) {
                messages.addObject().put("id", "mail-" + o.id).put("channel", "email").put("to", o.managerEmail)
                        .put("subject", "Your order").put("body", "Follow your order at " + o.statusLink + " .")
                        .put("template", "order.submitted");
            }
        }
        send(x, 200, a);
    }

    /** The status page and the initialisation PIN page, as a person's browser sees them (forms with a CSRF field). */
    private void pages(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        String form = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        for (Order o : orders.values()) {
            if (o.statusLink == null) {
                continue;
            }
            String t = o.statusLink.substring(o.statusLink.lastIndexOf('/') + 1);
            if (path.equals("/order/status/" + t)) {
                html(x, 200, "<p>Order " + o.id + " is in delivery.</p><a href=\"/token-pin/" + t
                        + "\">Retrieve the initialisation PIN</a>");
                return;
            }
            String csrf = "<input type=\"hidden\" name=\"csrf\" value=\"c-" + t + "\">";
            if (path.equals("/token-pin/" + t)) {
                html(x, 200, !"DELIVERED".equals(o.shipmentState) ? "<p>The PIN is given once the letter is"
                        + " delivered.</p>" : "<form method=\"post\" action=\"/token-pin/" + t + "/code\">" + csrf
                        + "<button>Send me a code</button></form>");
                return;
            }
            if (!form.contains("csrf=c-" + t)) {
                html(x, 403, "<p role=\"alert\">Refused: the form's anti-forgery field is missing.</p>");
                return;
            }
            if (path.equals("/token-pin/" + t + "/code")) {
                o.smsCode = String.format("%06d", new java.security.SecureRandom().nextInt(1_000_000));
                html(x, 200, "<p>Code sent.</p><form method=\"post\" action=\"/token-pin/" + t + "/reveal\">" + csrf
                        + "<input name=\"code\" inputmode=\"numeric\"><button>Show the PIN</button></form>");
                return;
            }
            if (path.equals("/token-pin/" + t + "/reveal")) {
                if (!form.contains("code=" + o.smsCode)) {
                    html(x, 200, "<p role=\"alert\">Wrong code.</p>");
                    return;
                }
                html(x, 200, "<h1>Your initialisation PIN</h1><p class=\"token-pin\">" + heldPin(o) + "</p><p>Shown"
                        + " once, on 3 December 2026 at 1015.</p>");
                return;
            }
        }
        html(x, 404, "<p role=\"alert\">Unknown link.</p>");
    }

    private static void html(HttpExchange x, int status, String body) throws IOException {
        byte[] b = ("<!doctype html><html><body>" + body + "</body></html>").getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        x.sendResponseHeaders(status, b.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(b);
        }
    }

    String decrypt(String b64) {
        try {
            Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
            c.init(Cipher.DECRYPT_MODE, pinKey.getPrivate(), OAEP);
            return new String(c.doFinal(Base64.getDecoder().decode(b64)), StandardCharsets.US_ASCII);
        } catch (Exception e) {
            throw new IllegalStateException("cannot decrypt: " + e, e);
        }
    }

    static String encrypt(String pin, PublicKey to) {
        try {
            Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
            c.init(Cipher.ENCRYPT_MODE, to, OAEP);
            return Base64.getEncoder().encodeToString(c.doFinal(pin.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode body(HttpExchange x) throws IOException {
        try (InputStream in = x.getRequestBody()) {
            byte[] b = in.readAllBytes();
            return b.length == 0 ? JSON.createObjectNode() : JSON.readTree(b);
        }
    }

    private static void problem(HttpExchange x, int status, String detail) throws IOException {
        ObjectNode p = JSON.createObjectNode().put("type", "about:blank").put("title", "refused").put("status", status)
                .put("detail", detail);
        x.getResponseHeaders().set("Content-Type", "application/problem+json");
        byte[] b = JSON.writeValueAsBytes(p);
        x.sendResponseHeaders(status, b.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(b);
        }
    }

    private static void send(HttpExchange x, int status, JsonNode json) throws IOException {
        x.getResponseHeaders().set("Content-Type", "application/json");
        byte[] b = JSON.writeValueAsBytes(json);
        x.sendResponseHeaders(status, b.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(b);
        }
    }
}
