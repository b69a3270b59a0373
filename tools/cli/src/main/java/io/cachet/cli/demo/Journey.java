package io.cachet.cli.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cachet.cli.demo.Http.Answer;
import io.cachet.cli.demo.SampleData.Person;

/**
 * One order driven through every step over Cachet's public HTTP endpoints only, playing each person (links and
 * codes read from the outbox, the phone flow's uploads and zone, the organisation's documents, the acceptance) and
 * the operator (reviews and decisions through the API). The order's own state and checks say what is awaited, so
 * the journey acts on what the installed modules ask for and waits for the rest; it stops when the order is
 * delivered (cloud), waits for provisioning (tokens), ends otherwise, or nothing moves for {@code stall}.
 */
public final class Journey {

    /**
     * What the command line gives.
     *
     * @param pkcs11Module the PKCS#11 module of the blank token to provision for a token medium; null: the journey
     *        stops when the order waits for its token's provisioning
     * @param signer signs and checks a PDF with the provisioned token (the {@code sign} and {@code verify} commands)
     */
    public record Options(String medium, String language, Path out, String secondReviewerKey, Duration stall,
            Duration poll, String pkcs11Module, TokenSigner signer) {

        public Options(String medium, String language, Path out, String secondReviewerKey, Duration stall,
                Duration poll) {
            this(medium, language, out, secondReviewerKey, stall, poll, null, null);
        }
    }

    /** Signs {@code in} into {@code out} with the key on the token and checks the result; a problem, or null. */
    @FunctionalInterface
    public interface TokenSigner {
        String signAndCheck(Path in, Path out, String tokenUri, String module, char[] pin, Path trust);
    }

    static final Set<String> MEDIA = Set.of("cloud", "usb-a", "usb-c");
    static final String PASSPORT = "passport";
    /** What a download accepts: the file, or the problem saying why not. */
    static final String PDF = "application/pdf, application/problem+json, application/json";

    private final Http http;
    private final Outbox outbox;
    private final Options options;
    private final PrintWriter out;
    private final SampleData data;
    private final Summary summary = new Summary();
    private final Set<String> done = new HashSet<>();
    /** The date the sample extract is up to date at: ten days ago. */
    private final LocalDate extractIssued = LocalDate.now(ZoneOffset.UTC).minusDays(10);
    private final SecureRandom random;
    /** The certificate manager's status link (path), once read from the order e-mail. */
    private String statusLink;
    private int step;

    public Journey(Http http, Options options, PrintWriter out, SecureRandom random) {
        this(http, options, out, SampleData.fresh(random), random);
    }

    Journey(Http http, Options options, PrintWriter out, SampleData data) {
        this(http, options, out, data, new SecureRandom());
    }

    Journey(Http http, Options options, PrintWriter out, SampleData data, SecureRandom random) {
        if (!MEDIA.contains(options.medium())) {
            throw new DemoException("--medium must be cloud, usb-a or usb-c", true);
        }
        this.http = http;
        this.outbox = new Outbox(http);
        this.options = options;
        this.out = out;
        this.data = data;
        this.random = random;
        summary.medium = options.medium();
    }

    public Summary summary() {
        return summary;
    }

    Http http() {
        return http;
    }

    Outbox outbox() {
        return outbox;
    }

    Options options() {
        return options;
    }

    SampleData data() {
        return data;
    }

    SecureRandom random() {
        return random;
    }

    /** Runs the journey; summary.json is written whatever happens. */
    public Summary run() {
        try {
            drive();
        } catch (DemoException e) {
            summary.message = e.getMessage();
            throw e;
        } finally {
            summary.write(options.out());
        }
        return summary;
    }

    void progress(String name, String detail) {
        step++;
        summary.steps.add(new Summary.Step(name, detail));
        out.printf("[%2d] %-12s %s%n", step, name, detail);
        out.flush();
    }

    // ------------------------------------------------------------------ the loop

    private void drive() {
        catalogue();
        JsonNode order = submit();
        String id = order.path("id").asText();
        long lastVersion = -1;
        long stalledSince = System.nanoTime();
        String lastState = "";
        while (true) {
            order = http.expect(http.api("GET", "/api/v1/orders/" + id, null), "reading the order", 200);
            String state = order.path("state").asText();
            summary.state = state;
            long version = order.path("version").asLong();
            if (version != lastVersion) {
                lastVersion = version;
                stalledSince = System.nanoTime();
            }
            if (!state.equals(lastState)) {
                progress("order", id + " is " + state + describe(order));
                lastState = state;
            }
            switch (state) {
                case "DELIVERY", "ACTIVE" -> {
                    if (options.medium().equals("cloud") && CloudJourney.available(http, id)) {
                        new CloudJourney(this, id).run();
                        return;
                    }
                    finish(id, "the order reached " + state);
                    return;
                }
                case "CANCELLED", "REJECTED", "EXPIRED" -> throw new DemoException("the order ended " + state
                        + (order.hasNonNull("reason") ? ": " + order.get("reason").asText() : ""));
                case "ISSUANCE" -> {
                    if (!options.medium().equals("cloud") && awaitingProvisioning(id)) {
                        if (options.pkcs11Module() != null) {
                            new TokenJourney(this, id).run();
                            return;
                        }
                        finish(id, "the order waits at ISSUANCE for the token's provisioning (the subject is"
                                + " frozen; the token-delivery step takes it from here)");
                        return;
                    }
                }
                default -> {
                    // acted on below
                }
            }
            boolean acted = false;
            for (String kind : pending(order, state)) {
                acted |= act(id, kind);
            }
            if (acted) {
                continue;
            }
            if (Duration.ofNanos(System.nanoTime() - stalledSince).compareTo(options.stall()) > 0) {
                List<String> waiting = pending(order, state);
                throw new DemoException("the order has not moved for " + options.stall().toSeconds() + " s at "
                        + state + (waiting.isEmpty() ? ": no module takes part in " + state + " on this server"
                                : ": waiting for " + String.join(", ", waiting)));
            }
            sleep();
        }
    }

    private static String describe(JsonNode order) {
        List<String> pending = pending(order, order.path("state").asText());
        return pending.isEmpty() ? "" : " (checks: " + String.join(", ", pending) + ")";
    }

    /** The kinds of the state's checks not passed yet. */
    static List<String> pending(JsonNode order, String state) {
        Set<String> kinds = new LinkedHashSet<>();
        for (JsonNode c : order.path("checks")) {
            if (c.path("state").asText().equals(state) && !c.path("status").asText().equals("PASSED")) {
                kinds.add(c.path("kind").asText());
            }
        }
        return List.copyOf(kinds);
    }

    /** Does what a check waits for, if the demo knows how; true when something was done. */
    private boolean act(String orderId, String kind) {
        if (kind.startsWith("identity.")) {
            Person p = person(kind.substring("identity.".length()));
            boolean acted = false;
            if (done.add("phone:" + p.email())) {
                phoneFlow(p);
                acted = true;
            }
            return review(orderId, kind) || acted;
        }
        if (kind.equals("organisation")) {
            return organisation(orderId);
        }
        if (kind.startsWith("acceptance.")) {
            Person p = person(kind.substring("acceptance.".length()));
            return accept(orderId, p);
        }
        return false; // e.g. issuance: Cachet's own work
    }

    private Person person(String role) {
        return switch (role) {
            case "certificate-manager" -> data.manager();
            case "legal-representative" -> data.legalRepresentative();
            default -> throw new DemoException("a check names a person the demo does not know: " + role);
        };
    }

    void sleep() {
        try {
            Thread.sleep(options.poll().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoException("interrupted");
        }
    }

    /** Waits (polling) for a value, within the stall time. */
    <T> T await(String what, java.util.function.Supplier<Optional<T>> probe) {
        long end = System.nanoTime() + options.stall().toNanos();
        while (true) {
            Optional<T> v = probe.get();
            if (v.isPresent()) {
                return v.get();
            }
            if (System.nanoTime() > end) {
                throw new DemoException("waited " + options.stall().toSeconds() + " s for " + what);
            }
            sleep();
        }
    }

    // ------------------------------------------------------------------ order

    private void catalogue() {
        JsonNode c = http.expect(http.api("GET", "/api/v1/catalogue", null), "reading the catalogue", 200);
        boolean offered = false;
        for (JsonNode p : c.path("products")) {
            if (p.path("id").asText().equals("enterprise-plus")) {
                for (JsonNode m : p.path("media")) {
                    offered |= m.asText().equals(options.medium());
                }
            }
        }
        if (!offered) {
            throw new DemoException("the catalogue does not offer enterprise-plus on " + options.medium(), true);
        }
    }

    private JsonNode submit() {
        ObjectNode body = data.order(options.medium(), options.language());
        Answer a = http.api("POST", "/api/v1/orders", body, null, Map.of("Idempotency-Key", "demo-" + data.run()));
        if (a.status() == 403) {
            throw new DemoException("submitting an order needs an API key of an operator (role operator or admin;"
                    + " the reviews need ra-officer too): " + a.problem(), true);
        }
        JsonNode order = http.expect(a, "submitting the order", 201, 200);
        summary.orderId = order.path("id").asText();
        summary.state = order.path("state").asText();
        write("order.json", body.toPrettyString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        progress("order", "submitted " + summary.orderId + ": " + data.organisation().name() + " (SIREN "
                + data.organisation().siren() + "), " + options.medium() + ", certificate manager "
                + data.manager().name() + ", legal representative " + data.legalRepresentative().name());
        return order;
    }

    // ------------------------------------------------------------------ identity

    /** The person's phone: their identity link, the phone flow's captures, the zone, done. */
    private void phoneFlow(Person p) {
        Outbox.Message mail = await("the identity e-mail to " + p.email(), () -> outbox.newest("email", p.email(),
                m -> m.template().equals("identity.start")));
        String link = Outbox.path(mail.body(), "/identity/start/").orElseThrow(() -> new DemoException(
                "the identity e-mail to " + p.email() + " carries no /identity/start/ link"));
        Http.Browser phone = http.browser();
        Answer start = phone.get(link);
        if (start.status() != 303) {
            throw new DemoException("opening " + p.name() + "'s identity link answered " + start.status() + ": "
                    + Http.abbreviate(text(start)));
        }
        String location = http.resolve(start.header("Location").orElse("")).getPath();
        if (!location.startsWith("/identity/mobile/")) {
            throw new DemoException("the identity provider of this order is not Cachet's phone flow (it sends the"
                    + " person to " + location + "): the demo only plays the phone flow");
        }
        String flow = location.substring("/identity/mobile/".length()).split("[/?]")[0];
        String base = "/identity/mobile/" + flow;
        Answer capture = phone.get(base + "/capture?type=" + PASSPORT);
        expectPage(capture, "the capture page");
        String token = Forms.data(capture.text(), "token").orElseThrow(() -> new DemoException(
                "the capture page carries no anti-forgery token"));
        String header = Forms.data(capture.text(), "token-header").orElse("X-Cachet-Form");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Map<String, byte[]> images = new LinkedHashMap<>();
        images.put("document-front", data.documentImage(p, today));
        images.put("selfie", data.selfieImage(p));
        for (Map.Entry<String, byte[]> i : images.entrySet()) {
            Answer up = phone.postBytes(base + "/image/" + i.getKey(), "image/jpeg", i.getValue(),
                    Map.of(header, token));
            if (up.status() != 200) {
                throw new DemoException("the " + i.getKey() + " photo was refused (" + up.status() + "): "
                        + up.json().path("message").asText(up.text()));
            }
        }
        String zone = data.mrz(p, today);
        Answer mrz = phone.postForm(base + "/mrz", Map.of("csrf", token, "type", PASSPORT, "mrz", zone));
        if (mrz.status() != 303) {
            throw new DemoException("the zone was refused (" + mrz.status() + "): " + pageError(mrz));
        }
        Answer submitted = phone.postForm(base + "/submit", Map.of("csrf", token, "type", PASSPORT));
        expectPage(submitted, "submitting the identity evidence");
        write("identity-" + slug(p) + "-document-front.jpg", images.get("document-front"));
        write("identity-" + slug(p) + "-selfie.jpg", images.get("selfie"));
        write("identity-" + slug(p) + "-mrz.txt", (zone + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        progress("identity", p.name() + ": phone flow done (passport photo, selfie, zone "
                + zone.substring(zone.indexOf('\n') + 1, zone.indexOf('\n') + 10) + "…); with the operators");
    }

    /** The operator's side: approves the role's case once it waits for a decision. */
    private boolean review(String orderId, String kind) {
        String role = kind.substring("identity.".length()).toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        JsonNode cases = http.expect(http.api("GET", "/api/v1/identity/cases?order=" + orderId, null),
                "reading the identity cases", 200);
        for (JsonNode c : cases.path("cases")) {
            if (!c.path("role").asText().equals(role)) {
                continue;
            }
            String status = c.path("status").asText();
            if (status.equals("REJECTED") || status.equals("CANCELLED")) {
                throw new DemoException("the identity case of " + role + " is " + status);
            }
            if (!status.equals("REVIEW")) {
                return false;
            }
            String id = c.path("id").asText();
            String key = c.path("approvals").asInt() == 0 ? null : options.secondReviewerKey();
            if (c.path("approvals").asInt() > 0 && key == null) {
                throw new DemoException("this server wants a second approval of each identity from another"
                        + " registration officer: give --second-reviewer-key");
            }
            ObjectNode body = Http.JSON.createObjectNode().put("decision", "approve");
            Answer a = key == null ? http.api("POST", "/api/v1/identity/cases/" + id + "/decision", body)
                    : http.api("POST", "/api/v1/identity/cases/" + id + "/decision", body, key, Map.of());
            if (a.status() == 403) {
                throw new DemoException("deciding on identities needs the role ra-officer for the "
                        + (key == null ? "--api-key" : "--second-reviewer-key") + "'s operator: " + a.problem(), true);
            }
            JsonNode after = http.expect(a, "approving the identity case " + id, 200);
            progress("identity", "operator approved " + role.toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + "'s identity (case " + id + ", " + after.path("status").asText() + ")");
            return true;
        }
        return false;
    }

    // ------------------------------------------------------------------ organisation

    /**
     * The customer's side (the register's extract uploaded from the order's status page, as the manager would), then
     * the operator's (approval through the API once the case is in review).
     */
    private boolean organisation(String orderId) {
        boolean acted = false;
        if (done.add("organisation:upload")) {
            uploadExtract();
            acted = true;
        }
        Answer a = http.api("GET", "/api/v1/organisation/cases?order=" + orderId, null);
        if (a.status() == 404 && !acted) {
            return false; // no case yet
        }
        JsonNode json = http.expect(a, "reading the organisation case", 200, 404);
        JsonNode c = json.has("cases") ? json.path("cases").path(0) : json;
        String status = c.path("status").asText();
        if (status.equals("REJECTED")) {
            throw new DemoException("the organisation check was rejected: " + c.path("reason").asText());
        }
        if (!status.equals("IN_REVIEW") || !done.add("organisation:decision")) {
            return acted;
        }
        String id = c.path("id").asText();
        if (c.path("extractIssued").isNull() || c.path("extractIssued").asText().isEmpty()) {
            // the date could not be read from the extract's text: the operator types it from the document
            http.expect(http.api("POST", "/api/v1/organisation/cases/" + id + "/extract-date", Http.JSON
                    .createObjectNode().put("issued", extractIssued.toString())), "recording the extract's date", 200);
        }
        ObjectNode body = Http.JSON.createObjectNode().put("approve", true).put("legalRepresentativeBasis", "EXTRACT");
        Answer d = http.api("POST", "/api/v1/organisation/cases/" + id + "/decision", body);
        if (d.status() == 403) {
            throw new DemoException("deciding on the organisation needs the role ra-officer: " + d.problem(), true);
        }
        JsonNode after = http.expect(d, "approving the organisation case " + id, 200);
        progress("organisation", "operator approved the organisation (case " + id + ", "
                + after.path("status").asText() + "; legal representative named in the extract)");
        return true;
    }

    /** The certificate manager's status link (its path), from the order e-mail. */
    String statusLink() {
        if (statusLink == null) {
            Person p = data.manager();
            Outbox.Message mail = await("the status link e-mailed to " + p.email(), () -> outbox.newest("email",
                    p.email(), m -> Outbox.path(m.body(), "/order/status/").isPresent()));
            statusLink = Outbox.path(mail.body(), "/order/status/").orElseThrow();
        }
        return statusLink;
    }

    /** The manager's status link (e-mailed at submission), its upload action, the extract sent. */
    private void uploadExtract() {
        Person p = data.manager();
        String status = statusLink();
        Http.Browser browser = http.browser();
        Answer page = browser.get(status);
        expectPage(page, "the order's status page");
        String upload = Forms.link(page.text(), "/organisation/upload/").orElseThrow(() -> new DemoException(
                "the order's status page offers no upload of the organisation's documents"));
        Answer form = browser.get(upload);
        expectPage(form, "the upload page");
        Forms.Form f = Forms.of(form.text()).stream().filter(x -> x.firstOfType("file").isPresent()).findFirst()
                .orElseThrow(() -> new DemoException("the upload page has no upload form"));
        LocalDate issued = extractIssued;
        byte[] extract = data.extractPdf(issued);
        Map<String, String> fields = new LinkedHashMap<>(f.hidden());
        fields.put("kind", "EXTRACT");
        Answer sent = browser.postMultipart(f.action().isEmpty() ? upload : f.action(), fields, List.of(new Http.Part(
                f.firstOfType("file").get().name(), "extrait-kbis.pdf", "application/pdf", extract)));
        if (sent.status() != 303) {
            throw new DemoException("the extract was refused (" + sent.status() + "): " + pageError(sent));
        }
        write("organisation-extract.pdf", extract);
        progress("organisation", p.name() + " uploaded the register's extract (up to date at " + issued
                + ") from the order's status page");
    }

    // ------------------------------------------------------------------ acceptance

    /** The person's acceptance: their e-mailed link, "send me a code", the SMS code typed, accepted. */
    private boolean accept(String orderId, Person p) {
        if (!done.add("acceptance:" + p.email())) {
            return false;
        }
        Outbox.Message mail = await("the acceptance e-mail to " + p.email(), () -> outbox.newest("email", p.email(),
                m -> Outbox.path(m.body(), "/acceptance/").isPresent()));
        String link = Outbox.path(mail.body(), "/acceptance/").orElseThrow();
        Http.Browser browser = http.browser();
        Answer page = browser.get(link);
        expectPage(page, p.name() + "'s acceptance page");
        Forms.Form codeForm = form(page, "/code", p.name() + "'s acceptance page has no \"send me a code\" form");
        long before = System.currentTimeMillis();
        Set<String> earlier = new HashSet<>();
        outbox.list("sms").stream().filter(m -> m.to().equals(p.mobile())).forEach(m -> earlier.add(m.id()));
        Answer asked = browser.postForm(codeForm.action(), codeForm.hidden());
        expectPage(asked, "asking for " + p.name() + "'s code");
        Outbox.Message sms = await("the code sent by SMS to " + p.mobile(), () -> outbox.newest("sms", p.mobile(),
                m -> !earlier.contains(m.id()) && Outbox.code(m.body(), 6).isPresent()));
        String code = Outbox.code(sms.body(), 6).orElseThrow();
        Forms.Form acceptForm = form(asked, "/accept", "the page shows no field for the code after it was sent");
        Map<String, String> fields = new LinkedHashMap<>(acceptForm.hidden());
        fields.put("code", code);
        Answer accepted = browser.postForm(acceptForm.action(), fields);
        expectPage(accepted, p.name() + "'s acceptance");
        progress("acceptance", p.name() + " accepted with the SMS code sent to " + p.mobile() + " ("
                + (System.currentTimeMillis() - before) + " ms)");
        return true;
    }

    static Forms.Form form(Answer page, String actionSuffix, String missing) {
        return Forms.of(page.text()).stream().filter(f -> f.method().equals("post")
                && f.action().split("\\?")[0].endsWith(actionSuffix)).findFirst()
                .orElseThrow(() -> new DemoException(missing));
    }

    // ------------------------------------------------------------------ issuance and the files

    /**
     * A token order at ISSUANCE: its certificate waits for the token's key (the provisioning), the subject frozen
     * ({@code GET /api/v1/orders/{id}/certificate}: {@code AWAITING_REQUEST}, or {@code PENDING}).
     */
    private boolean awaitingProvisioning(String orderId) {
        Answer a = http.api("GET", "/api/v1/orders/" + orderId + "/certificate", null);
        if (a.status() != 200 || !isJson(a)) {
            return false;
        }
        JsonNode c = a.json();
        String status = c.path("status").asText().toUpperCase(java.util.Locale.ROOT);
        if (!status.startsWith("AWAITING") && !status.equals("PENDING")) {
            return false;
        }
        progress("issuance", "the certificate waits for the token's key (" + status + "; subject "
                + c.path("organisation").path("identifier").asText(c.path("commonName").asText()) + " frozen)");
        return true;
    }

    void finish(String orderId, String why) {
        downloads(orderId);
        summary.complete = true;
        summary.message = why;
        progress("done", why);
    }

    /** The certificate (when issued), the signed acceptance form and the evidence file, as an operator reads them. */
    private void downloads(String orderId) {
        Answer cert = http.api("GET", "/api/v1/orders/" + orderId + "/certificate", null, null,
                Map.of("Accept", "application/pem-certificate-chain, application/x-pem-file, application/json"));
        String pem = cert.status() == 200 ? pem(cert) : null;
        if (pem != null) {
            write("certificate.pem", pem.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            summary.certificate = "certificate.pem";
            progress("certificate", "downloaded certificate.pem");
        } else if (options.medium().equals("cloud")) {
            summary.missing.add("certificate (GET /api/v1/orders/{id}/certificate answered " + cert.status() + ")");
        }
        Answer form = http.api("GET", "/api/v1/acceptance/" + orderId + "/form", null, null,
                Map.of("Accept", PDF));
        if (form.status() == 200 && pdf(form.body())) {
            write("acceptance-form.pdf", form.body());
            summary.acceptance.add("acceptance-form.pdf");
            progress("acceptance", "downloaded acceptance-form.pdf (the form with both persons' signatures)");
        } else {
            summary.missing.add("acceptance form (GET /api/v1/acceptance/{id}/form answered " + form.status() + ")");
        }
        boolean issued = options.medium().equals("cloud");
        Answer evidence = issued ? awaitEvidence(orderId) : http.api("GET", "/api/v1/orders/" + orderId
                + "/evidence", null, null, Map.of("Accept", PDF));
        if (evidence.status() == 200 && pdf(evidence.body())) {
            write("evidence.pdf", evidence.body());
            summary.evidence = "evidence.pdf";
            progress("evidence", "downloaded evidence.pdf (the sealed evidence file)");
        } else if (issued) {
            summary.missing.add("evidence file (GET /api/v1/orders/{id}/evidence answered " + evidence.status() + ")");
        }
    }

    /** The evidence file is made when issuance completes, by a background job: waited for a while. */
    private Answer awaitEvidence(String orderId) {
        long end = System.nanoTime() + Math.min(options.stall().toNanos(), Duration.ofSeconds(60).toNanos());
        while (true) {
            Answer a = http.api("GET", "/api/v1/orders/" + orderId + "/evidence", null, null,
                    Map.of("Accept", PDF));
            // 404 until the background job has made it (after issuance)
            boolean notYet = a.status() == 404 || a.status() == 409 || a.status() == 503;
            if (!notYet || System.nanoTime() > end) {
                return a;
            }
            sleep();
        }
    }

    static boolean pdf(byte[] b) {
        return b.length > 5 && new String(b, 0, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("%PDF-");
    }

    private static boolean isJson(Answer a) {
        return a.header("Content-Type").orElse("").contains("json");
    }

    /** The PEM of an answer: the body itself, or a JSON answer's {@code pem}/{@code certificate} field. */
    static String pem(Answer a) {
        String text = a.text();
        if (text.contains("-----BEGIN CERTIFICATE-----") && !text.strip().startsWith("{")) {
            return text;
        }
        if (isJson(a)) {
            JsonNode j = a.json();
            for (String f : List.of("pem", "certificate", "certificatePem", "chain")) {
                if (j.path(f).isTextual() && j.path(f).asText().contains("-----BEGIN CERTIFICATE-----")) {
                    return j.path(f).asText();
                }
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ helpers

    void expectPage(Answer a, String what) {
        if (a.status() != 200) {
            throw new DemoException(what + " answered " + a.status() + ": " + pageError(a));
        }
    }

    /** The error a page shows (its role="alert" element), else the start of the page. */
    static String pageError(Answer a) {
        String html = text(a);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("role=\"alert\"[^>]*>(.*?)</",
                java.util.regex.Pattern.DOTALL).matcher(html);
        return m.find() ? Forms.unescape(m.group(1).replaceAll("<[^>]+>", "").strip()) : Http.abbreviate(
                html.replaceAll("<[^>]+>", " "));
    }

    private static String text(Answer a) {
        return a.text();
    }

    static String slug(Person p) {
        return (p.givenNames() + "-" + p.surname()).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    void write(String name, byte[] content) {
        try {
            Files.createDirectories(options.out());
            Files.write(options.out().resolve(name), content);
        } catch (IOException e) {
            throw new DemoException("cannot write " + options.out().resolve(name) + ": " + e.getMessage(), true);
        }
    }
}
