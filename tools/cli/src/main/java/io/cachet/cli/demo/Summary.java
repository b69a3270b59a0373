package io.cachet.cli.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code DIR/summary.json}: where the run ended and the files it downloaded (names relative to DIR).
 *
 * <pre>
 * {"orderId", "medium", "state", "complete", "message",
 *  "certificate": "certificate.pem" | null, "acceptance": ["acceptance-form.pdf"], "evidence": "evidence.pdf" | null,
 *  token media with a PKCS#11 module: "signedDocument", "tokenLabel", "tokenSerial", "initPin", "holderPin",
 *  cloud with the customer space: "signedDocument" (sealed by Click&amp;Cert), "cscSignature" (one hash signed through
 *  the CSC API, with its certificate), "holderEmail", "holderPassword" (the space's login, to try it after),
 *  "steps": [{"step", "detail"}], "missing": ["what the server did not offer"]}
 * </pre>
 */
public final class Summary {

    /** One progress line. */
    public record Step(String step, String detail) {
    }

    String orderId;
    String medium;
    String state;
    boolean complete;
    String message;
    String certificate;
    final List<String> acceptance = new ArrayList<>();
    String evidence;
    String signedDocument;
    String tokenLabel;
    String tokenSerial;
    String initPin;
    String holderPin;
    String holderPassword;
    String holderEmail;
    String cscSignature;
    final List<Step> steps = new ArrayList<>();
    final List<String> missing = new ArrayList<>();

    public String orderId() {
        return orderId;
    }

    public String state() {
        return state;
    }

    public boolean complete() {
        return complete;
    }

    public String message() {
        return message;
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    public ObjectNode json() {
        ObjectNode o = Http.JSON.createObjectNode();
        o.put("orderId", orderId).put("medium", medium).put("state", state).put("complete", complete)
                .put("message", message).put("certificate", certificate);
        ArrayNode a = o.putArray("acceptance");
        acceptance.forEach(a::add);
        o.put("evidence", evidence);
        if (tokenSerial != null) {
            // the token media's journey; the PINs are the demo's own values, shown so the token can be used after
            o.put("signedDocument", signedDocument).put("tokenLabel", tokenLabel).put("tokenSerial", tokenSerial)
                    .put("initPin", initPin).put("holderPin", holderPin);
        }
        if (cscSignature != null || holderPassword != null) {
            o.put("signedDocument", signedDocument).put("cscSignature", cscSignature).put("holderEmail", holderEmail)
                    .put("holderPassword", holderPassword);
        }
        ArrayNode s = o.putArray("steps");
        steps.forEach(st -> s.addObject().put("step", st.step()).put("detail", st.detail()));
        ArrayNode m = o.putArray("missing");
        missing.forEach(m::add);
        return o;
    }

    /** Writes {@code dir/summary.json} whole or not at all (a temporary file moved into place). */
    public Path write(Path dir) {
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "summary", ".tmp");
            Files.write(tmp, Http.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(json()));
            Path target = dir.resolve("summary.json");
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
