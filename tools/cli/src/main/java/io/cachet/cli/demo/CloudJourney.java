package io.cachet.cli.demo;

import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.io.ByteArrayInputStream;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cachet.api.security.Digests;
import io.cachet.cli.demo.Http.Answer;

/**
 * A cloud order from DELIVERY to use, as its Certificate Manager lives it: the customer space is opened (by the
 * server on its own, or by the operator here), the manager sets their password through the e-mail link (read from
 * the outbox), the order becomes ACTIVE; the manager logs in, seals a PDF through Click&amp;Cert's HTTP endpoints
 * with re-authentication and downloads it; then signs one hash through the CSC API v2 ({@code auth/login},
 * {@code credentials/list}, {@code credentials/info}, {@code credentials/authorize}, {@code signatures/signHash})
 * and checks the signature with the certificate's public key.
 */
final class CloudJourney {

    static final String SHA256_OID = "2.16.840.1.101.3.4.2.1";

    private final Journey journey;
    private final String orderId;
    private final Http http;
    private final Summary summary;

    CloudJourney(Journey journey, String orderId) {
        this.journey = journey;
        this.orderId = orderId;
        this.http = journey.http();
        this.summary = journey.summary();
    }

    /** Whether this server has the customer space (the cloud delivery module). */
    static boolean available(Http http, String orderId) {
        return http.api("GET", "/api/v1/orders/" + orderId + "/cloud-space", null).status() != 404;
    }

    void run() {
        String email = journey.data().manager().email();
        JsonNode space = http.expect(http.api("GET", "/api/v1/orders/" + orderId + "/cloud-space", null),
                "reading the order's customer space", 200);
        if ("NOT_OPENED".equals(space.path("state").asText())) {
            space = http.expect(http.api("POST", "/api/v1/orders/" + orderId + "/cloud-space", null),
                    "opening the customer space", 200, 201);
            journey.progress("space", "the operator opened the customer space of " + email);
        } else {
            journey.progress("space", "the customer space of " + email + " is " + space.path("state").asText());
        }
        String password = password();
        summary.holderPassword = password;
        summary.holderEmail = email;
        if (!"ACTIVE".equals(space.path("state").asText())) {
            String link = journey.await("the password e-mail to " + email, () -> new Outbox(http)
                    .newest("email", email, m -> m.body().contains("/space/password/"))
                    .flatMap(m -> Outbox.path(m.body(), "/space/password/")));
            String token = link.substring(link.lastIndexOf('/') + 1);
            Http.Browser browser = http.browser();
            Answer set = browser.postBytes("/space/api/password", "application/json", json(Map.of("token", token,
                    "password", password)), Map.of("Accept", "application/json"));
            if (set.status() != 204 && set.status() != 200) {
                throw new DemoException("setting the password through the e-mail link: the server answered "
                        + set.status() + ": " + set.problem());
            }
            journey.progress("space", "the manager set their password through the e-mail link");
        }
        awaitState("ACTIVE");

        // Click&Cert, as the customer space's page does it
        Http.Browser browser = http.browser();
        Answer login = browser.postBytes("/space/api/session", "application/json", json(Map.of("email", email,
                "password", password)), Map.of("Accept", "application/json"));
        JsonNode session = expect(login, "logging in to the customer space", 200);
        Map<String, String> csrf = Map.of("X-CSRF-Token", session.path("csrf").asText(), "Accept",
                "application/json");
        journey.progress("space", "logged in as " + email);
        JsonNode seals = expect(browser.get("/space/api/seals"), "listing the holder's seals", 200);
        boolean listed = false;
        for (JsonNode s : seals.isArray() ? seals : seals.path("seals")) {
            listed |= orderId.equals(s.path("orderId").asText());
        }
        if (!listed) {
            throw new DemoException("the customer space does not list the order's seal: " + seals);
        }
        byte[] document = journey.data().extractPdf(LocalDate.now(ZoneOffset.UTC));
        journey.write("document.pdf", document);
        Map<String, String> upload = new LinkedHashMap<>(csrf);
        upload.put("X-Filename", "document.pdf");
        JsonNode uploaded = expect(browser.postBytes("/space/api/documents", "application/pdf", document, upload),
                "uploading document.pdf to Click&Cert", 201, 200);
        String documentId = uploaded.path("id").asText();
        String shown = uploaded.path("sha256").asText();
        if (!shown.equalsIgnoreCase(Digests.sha256Hex(document))) {
            throw new DemoException("Click&Cert shows the hash " + shown + " for document.pdf, which is not its"
                    + " SHA-256");
        }
        JsonNode signed = expect(browser.postBytes("/space/api/documents/" + documentId + "/sign",
                "application/json", json(Map.of("orderId", orderId, "password", password)), csrf),
                "sealing document.pdf with re-authentication", 200);
        Answer pdf = browser.get(signed.path("download").asText("/space/api/documents/" + documentId + "/signed"));
        if (pdf.status() != 200 || !new String(pdf.body(), 0, Math.min(5, pdf.body().length),
                StandardCharsets.US_ASCII).equals("%PDF-")) {
            throw new DemoException("downloading the sealed PDF: the server answered " + pdf.status());
        }
        journey.write("signed-document.pdf", pdf.body());
        summary.signedDocument = "signed-document.pdf";
        journey.progress("sign", "Click&Cert sealed document.pdf (SHA-256 " + shown.substring(0, 16) + "…) at "
                + signed.path("level").asText("?") + " after re-authentication: signed-document.pdf");

        csc(email, password);
        journey.finish(orderId, "the order reached ACTIVE: the customer space is open, Click&Cert sealed a PDF and"
                + " the CSC API signed a hash with the cloud key");
    }

    /** One hash signed through the CSC API v2, as an integrator's software does it. */
    private void csc(String email, String password) {
        String basic = Base64.getEncoder().encodeToString((email + ":" + password).getBytes(StandardCharsets.UTF_8));
        JsonNode login = expect(http.call("POST", "/csc/v2/auth/login", Http.JSON.createObjectNode(),
                Map.of("Authorization", "Basic " + basic)), "CSC auth/login", 200);
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + login.path("access_token").asText());
        JsonNode list = expect(http.call("POST", "/csc/v2/credentials/list", Http.JSON.createObjectNode(), bearer),
                "CSC credentials/list", 200);
        String credential = null;
        for (JsonNode id : list.path("credentialIDs")) {
            if (id.asText().equals(orderId) || credential == null) {
                credential = id.asText();
            }
        }
        if (credential == null) {
            throw new DemoException("CSC credentials/list names no credential for " + email);
        }
        ObjectNode infoRequest = Http.JSON.createObjectNode().put("credentialID", credential)
                .put("certificates", "single");
        JsonNode info = expect(http.call("POST", "/csc/v2/credentials/info", infoRequest, bearer),
                "CSC credentials/info", 200);
        X509Certificate certificate = certificate(info.path("cert").path("certificates").path(0).asText());
        byte[] data = ("cachet-cli demo " + journey.data().run()).getBytes(StandardCharsets.UTF_8);
        String hash = Base64.getEncoder().encodeToString(Digests.sha256(data));
        ObjectNode authorize = Http.JSON.createObjectNode().put("credentialID", credential).put("numSignatures", 1)
                .put("hashAlgorithmOID", SHA256_OID);
        authorize.putArray("hashes").add(hash);
        authorize.putArray("authData").addObject().put("id", "PIN").put("value", password);
        JsonNode sad = expect(http.call("POST", "/csc/v2/credentials/authorize", authorize, bearer),
                "CSC credentials/authorize", 200);
        boolean ec = certificate.getPublicKey().getAlgorithm().startsWith("EC");
        String signAlgo = ec ? "1.2.840.10045.4.3.2" : "1.2.840.113549.1.1.11";
        ObjectNode signHash = Http.JSON.createObjectNode().put("credentialID", credential)
                .put("SAD", sad.path("SAD").asText()).put("hashAlgorithmOID", SHA256_OID).put("signAlgo", signAlgo);
        signHash.putArray("hashes").add(hash);
        JsonNode signatures = expect(http.call("POST", "/csc/v2/signatures/signHash", signHash, bearer),
                "CSC signatures/signHash", 200);
        byte[] signature = Base64.getDecoder().decode(signatures.path("signatures").path(0).asText());
        try {
            Signature verify = Signature.getInstance(ec ? "SHA256withECDSA" : "SHA256withRSA");
            verify.initVerify(certificate.getPublicKey());
            verify.update(data);
            if (!verify.verify(signature)) {
                throw new DemoException("the CSC signature does not verify with the credential's certificate");
            }
        } catch (java.security.GeneralSecurityException e) {
            throw new DemoException("checking the CSC signature: " + e.getMessage());
        }
        ObjectNode record = Http.JSON.createObjectNode().put("credentialID", credential)
                .put("data", new String(data, StandardCharsets.UTF_8)).put("hash", hash)
                .put("hashAlgorithmOID", SHA256_OID).put("signAlgo", signAlgo)
                .put("signature", Base64.getEncoder().encodeToString(signature))
                .put("certificate", info.path("cert").path("certificates").path(0).asText());
        journey.write("csc-signature.json", record.toPrettyString().getBytes(StandardCharsets.UTF_8));
        summary.cscSignature = "csc-signature.json";
        journey.progress("csc", "signHash signed the SHA-256 of a text with credential " + credential
                + "; verified with its certificate: csc-signature.json");
    }

    private JsonNode expect(Answer a, String what, int... expected) {
        for (int e : expected) {
            if (a.status() == e) {
                return a.body().length == 0 ? Http.JSON.createObjectNode() : a.json();
            }
        }
        throw new DemoException(what + ": the server answered " + a.status() + ": " + a.problem());
    }

    private void awaitState(String wanted) {
        journey.await("the order to reach " + wanted, () -> {
            JsonNode order = http.expect(http.api("GET", "/api/v1/orders/" + orderId, null), "reading the order", 200);
            String state = order.path("state").asText();
            summary.state = state;
            if (Set.of("CANCELLED", "REJECTED", "EXPIRED").contains(state)) {
                throw new DemoException("the order ended " + state);
            }
            return state.equals(wanted) ? Optional.of(state) : Optional.<String>empty();
        });
        journey.progress("order", orderId + " is " + wanted);
    }

    /** A password the space's policy accepts: 20 random characters of four kinds. */
    private String password() {
        String[] kinds = { "ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789", "-_.!?" };
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            String k = kinds[i % kinds.length];
            p.append(k.charAt(journey.random().nextInt(k.length())));
        }
        return p.toString();
    }

    private static byte[] json(Map<String, String> fields) {
        ObjectNode o = Http.JSON.createObjectNode();
        fields.forEach(o::put);
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }


    private static X509Certificate certificate(String base64) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
        } catch (java.security.cert.CertificateException | IllegalArgumentException e) {
            throw new DemoException("CSC credentials/info gave no readable certificate: " + e.getMessage());
        }
    }
}
