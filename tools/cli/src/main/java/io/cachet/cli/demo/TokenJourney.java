package io.cachet.cli.demo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.cachet.api.token.TokenInfo;
import io.cachet.cli.demo.Http.Answer;
import io.cachet.cli.demo.SampleData.Person;
import io.cachet.cli.token.Activation;
import io.cachet.cli.token.PinRules;
import io.cachet.cli.token.Provisioning;
import io.cachet.cli.token.ProvisioningApi;
import io.cachet.cli.token.TokenDrivers;
import io.cachet.token.pkcs11.spi.Pkcs11TokenDriver;

/**
 * A token order from ISSUANCE to ACTIVE: the operator provisions the blank token ({@code token provision}'s code),
 * ships it and marks it delivered; the certificate manager retrieves the initialisation PIN on the management
 * link's page with an SMS code; the holder activates the token with their own PIN ({@code token activate}'s code)
 * and reports it; then a PDF is signed with the token and checked.
 */
final class TokenJourney {

    private final Journey journey;
    private final String orderId;
    private final Http http;
    private final Summary summary;

    TokenJourney(Journey journey, String orderId) {
        this.journey = journey;
        this.orderId = orderId;
        this.http = journey.http();
        this.summary = journey.summary();
    }

    void run() {
        String module = journey.options().pkcs11Module();
        ProvisioningApi api = new ProvisioningApi(http);
        Provisioning.Result provisioned;
        char[] initPin = null;
        char[] holderPin = null;
        try (Pkcs11TokenDriver driver = TokenDrivers.open(module)) {
            try {
                provisioned = new Provisioning(api, driver, module, line -> journey.progress("provision", line),
                        journey.random()).run(orderId, null, null);
            } catch (Provisioning.Stopped | IllegalArgumentException | io.cachet.cli.token.ServerRefusal e) {
                throw new DemoException("provisioning the token: " + e.getMessage());
            }
            summary.tokenLabel = provisioned.tokenLabel();
            summary.tokenSerial = provisioned.tokenSerial();
            awaitState("DELIVERY");
            ship(provisioned.shipment().id());
            initPin = revealPin();
            summary.initPin = new String(initPin);
            holderPin = holderPin(initPin);
            summary.holderPin = new String(holderPin);
            TokenInfo info = driver.tokens().stream().filter(t -> t.serial().equals(provisioned.tokenSerial()))
                    .findFirst().orElseThrow(() -> new DemoException("the provisioned token "
                            + provisioned.tokenSerial() + " is no longer plugged in"));
            journey.progress("activate", Activation.describe(info));
            try {
                new PinRules(PinRules.DEFAULT_MIN, PinRules.DEFAULT_MAX).check(initPin, holderPin, holderPin);
                Activation.changePin(driver, info, initPin, holderPin);
            } catch (Activation.Refused | IllegalArgumentException e) {
                throw new DemoException("activating the token: " + e.getMessage());
            }
            journey.progress("activate", "the holder replaced the initialisation PIN with their own ("
                    + holderPin.length + " digits) on token " + info.serial());
        } finally {
            wipe(initPin);
        }
        String link = http.resolve(journey.statusLink()).toString();
        try {
            String state = api.activated(link, provisioned.tokenSerial());
            journey.progress("activate", "reported with the management link: the order is " + state);
        } catch (io.cachet.cli.token.ServerRefusal e) {
            throw new DemoException(e.getMessage());
        }
        awaitState("ACTIVE");
        try {
            sign(module, provisioned, holderPin);
        } finally {
            wipe(holderPin);
        }
        journey.finish(orderId, "the order reached ACTIVE: the token is provisioned, delivered, activated with the"
                + " holder's PIN and signs");
    }

    /** The operator marks the shipment SENT (a demo tracking number) then DELIVERED. */
    private void ship(String shipmentId) {
        String tracking = "DEMO" + journey.data().run().toUpperCase(java.util.Locale.ROOT)
                .replaceAll("[^A-Z0-9]", "");
        for (String state : List.of("SENT", "DELIVERED")) {
            var body = Http.JSON.createObjectNode().put("state", state).put("note", "cachet-cli demo");
            if (state.equals("SENT")) {
                body.put("trackingNumber", tracking);
            }
            JsonNode s = http.expect(http.api("POST", "/api/v1/shipments/" + shipmentId + "/state", body),
                    "marking the shipment " + state, 200);
            journey.progress("shipment", shipmentId + " " + s.path("state").asText(state)
                    + (state.equals("SENT") ? " (tracking " + tracking + ")" : ""));
        }
    }

    /** The certificate manager's page: "send me a code", the SMS code, the PIN shown once. */
    private char[] revealPin() {
        Person manager = journey.data().manager();
        String statusLink = journey.statusLink();
        String token = statusLink.substring(statusLink.lastIndexOf('/') + 1);
        Http.Browser browser = http.browser();
        Answer status = browser.get(statusLink);
        journey.expectPage(status, "the order's status page");
        String pinPage = Forms.link(status.text(), "/token-pin/").orElse("/token-pin/" + token);
        Answer page = browser.get(pinPage);
        journey.expectPage(page, "the initialisation PIN page");
        Forms.Form codeForm = Journey.form(page, "/code", "the initialisation PIN page offers no \"send me a code\""
                + " (is the shipment marked delivered?): " + Journey.pageError(page));
        Set<String> earlier = new HashSet<>();
        journey.outbox().list("sms").stream().filter(m -> m.to().equals(manager.mobile()))
                .forEach(m -> earlier.add(m.id()));
        Answer asked = browser.postForm(codeForm.action(), codeForm.hidden());
        Answer withForm = asked.status() == 303 ? browser.get(asked.header("Location").orElse(pinPage)) : asked;
        journey.expectPage(withForm, "asking for the code");
        Outbox.Message sms = journey.await("the code sent by SMS to " + manager.mobile(), () -> journey.outbox()
                .newest("sms", manager.mobile(), m -> !earlier.contains(m.id()) && Outbox.code(m.body(), 6)
                        .isPresent()));
        String code = Outbox.code(sms.body(), 6).orElseThrow();
        Forms.Form reveal = Journey.form(withForm, "/reveal", "the page shows no field for the code after it was"
                + " sent");
        Map<String, String> fields = new LinkedHashMap<>(reveal.hidden());
        fields.put("code", code);
        Answer posted = browser.postForm(reveal.action(), fields);
        Answer revealed = posted.status() == 303 ? browser.get(posted.header("Location").orElse(pinPage)) : posted;
        journey.expectPage(revealed, "revealing the initialisation PIN");
        char[] pin = revealedPin(revealed.text(), 4).orElseThrow(() -> new DemoException("the page shows no"
                + " 4-digit initialisation PIN after the code: " + Journey.pageError(revealed)));
        journey.progress("pin", manager.name() + " retrieved the initialisation PIN on the management link's page"
                + " with the SMS code sent to " + manager.mobile() + " (shown once)");
        return pin;
    }

    /**
     * The PIN a page shows: an element marked as the PIN (class, id or data attribute naming "pin") holding the
     * digits (possibly inside one inline element such as {@code <strong>}), else a {@code <code>}, {@code <kbd>}, {@code <output>} or {@code <strong>} holding just them, else the
     * only group of that many digits in the page's text.
     */
    static Optional<char[]> revealedPin(String html, int digits) {
        String group = "((?:[0-9]\\s?){" + digits + "})";
        List<Pattern> patterns = List.of(
                Pattern.compile("<(\\w+)[^>]*(?:class|id|data-[\\w-]+)=\"[^\"]*\\bpin\\b[^\"]*\"[^>]*>\\s*"
                        + "(?:<(?:strong|b|span|code|kbd|output|samp)\\b[^>]*>\\s*)?" + group
                        + "\\s*(?:</(?:strong|b|span|code|kbd|output|samp)>\\s*)?</\\1>", Pattern.CASE_INSENSITIVE),
                Pattern.compile("<(code|kbd|output|strong|samp)\\b[^>]*>\\s*" + group + "\\s*</\\1>",
                        Pattern.CASE_INSENSITIVE));
        for (Pattern p : patterns) {
            Matcher m = p.matcher(html);
            if (m.find()) {
                return Optional.of(m.group(2).replaceAll("\\s", "").toCharArray());
            }
        }
        String text = html.replaceAll("(?s)<(script|style)\\b.*?</\\1>", " ").replaceAll("<[^>]+>", " ");
        Matcher m = Pattern.compile("(?<![0-9])([0-9]{" + digits + "})(?![0-9])").matcher(text);
        String found = null;
        while (m.find()) {
            if (found != null && !found.equals(m.group(1))) {
                return Optional.empty();
            }
            found = m.group(1);
        }
        return Optional.ofNullable(found).map(String::toCharArray);
    }

    /** The holder's own PIN: 6 random digits that pass the rules. */
    private char[] holderPin(char[] initPin) {
        PinRules rules = new PinRules(PinRules.DEFAULT_MIN, PinRules.DEFAULT_MAX);
        while (true) {
            char[] pin = new char[6];
            for (int i = 0; i < pin.length; i++) {
                pin[i] = (char) ('0' + journey.random().nextInt(10));
            }
            try {
                rules.check(initPin, pin, pin);
                return pin;
            } catch (IllegalArgumentException trivial) {
                wipe(pin);
            }
        }
    }

    private void awaitState(String wanted) {
        journey.await("the order to reach " + wanted, () -> {
            JsonNode order = http.expect(http.api("GET", "/api/v1/orders/" + orderId, null), "reading the order", 200);
            String state = order.path("state").asText();
            summary.state = state;
            if (Set.of("CANCELLED", "REJECTED", "EXPIRED").contains(state)) {
                throw new DemoException("the order ended " + state);
            }
            return state.equals(wanted) ? Optional.of(state) : Optional.empty();
        });
        journey.progress("order", orderId + " is " + wanted);
    }

    /** A PDF signed with the token's key and the holder's PIN, then verified against the server's CA chain. */
    private void sign(String module, Provisioning.Result provisioned, char[] holderPin) {
        if (journey.options().signer() == null) {
            summary.missing.add("signing with the token (no signer given)");
            return;
        }
        byte[] document = journey.data().extractPdf(LocalDate.now(ZoneOffset.UTC));
        journey.write("document.pdf", document);
        Answer chain = http.api("GET", "/pki/chain.pem", null, null, Map.of("Accept", "application/x-pem-file, */*"));
        Path trust = null;
        if (chain.status() == 200 && chain.text().contains("BEGIN CERTIFICATE")) {
            journey.write("chain.pem", chain.text().getBytes(StandardCharsets.US_ASCII));
            trust = journey.options().out().resolve("chain.pem");
        } else {
            summary.missing.add("the CA chain (GET /pki/chain.pem answered " + chain.status() + ")");
        }
        String uri = "pkcs11:token=" + java.net.URLEncoder.encode(provisioned.tokenLabel(), StandardCharsets.UTF_8)
                .replace("+", "%20") + ";serial=" + provisioned.tokenSerial() + ";object=seal";
        Path in = journey.options().out().resolve("document.pdf");
        Path out = journey.options().out().resolve("signed-document.pdf");
        String problem = journey.options().signer().signAndCheck(in, out, uri, module, holderPin, trust);
        if (problem != null) {
            throw new DemoException("signing with the token: " + problem);
        }
        summary.signedDocument = "signed-document.pdf";
        journey.progress("sign", "signed-document.pdf signed with the key on token '" + provisioned.tokenLabel()
                + "' and the holder's PIN" + (trust == null ? "" : "; verified VALID against the CA's chain"));
    }

    private static void wipe(char[] secret) {
        if (secret != null) {
            Arrays.fill(secret, '\0');
        }
    }
}
