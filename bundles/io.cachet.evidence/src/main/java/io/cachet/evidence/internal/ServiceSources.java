package io.cachet.evidence.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.cachet.api.acceptance.AcceptanceRecord;
import io.cachet.api.acceptance.Acceptances;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.identity.Attempt;
import io.cachet.api.identity.Evidence;
import io.cachet.api.identity.IdentityCase;
import io.cachet.api.identity.IdentityCases;
import io.cachet.api.issuance.OrderCertificates;
import io.cachet.api.order.Order;
import io.cachet.api.order.Orders;
import io.cachet.api.organisation.OrganisationCase;
import io.cachet.api.organisation.OrganisationChecks;
import io.cachet.api.organisation.OrganisationDocument;
import io.cachet.api.security.Digests;

/**
 * The sections of an evidence file, from the modules that hold them (each optional but the order and its
 * certificate): the order as submitted, each identity case's record (its images included or referenced by their
 * SHA-256, per configuration), the organisation case and its documents, the acceptance record and the signed form,
 * the certificate, the audit records about the order and its cases, and last a manifest of everything (with what is
 * missing and why). Reading evidence through the modules is audited by them, with actor {@value #ACTOR}.
 */
final class ServiceSources implements Sources {

    static final String ACTOR = "system:evidence";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    private final Supplier<Orders> orders;
    private final Supplier<OrderCertificates> certificates;
    private final Supplier<IdentityCases> identity;
    private final Supplier<OrganisationChecks> organisation;
    private final Supplier<Acceptances> acceptances;
    private final AuditLog audit;
    private final Supplier<Boolean> includeImages;

    ServiceSources(Supplier<Orders> orders, Supplier<OrderCertificates> certificates, Supplier<IdentityCases> identity,
            Supplier<OrganisationChecks> organisation, Supplier<Acceptances> acceptances, AuditLog audit,
            Supplier<Boolean> includeImages) {
        this.orders = orders;
        this.certificates = certificates;
        this.identity = identity;
        this.organisation = organisation;
        this.acceptances = acceptances;
        this.audit = audit;
        this.includeImages = includeImages;
    }

    static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public Collected collect(String orderId) {
        Orders o = orders.get();
        OrderCertificates c = certificates.get();
        if (o == null || c == null) {
            throw new IllegalStateException("the order or issuance service is not available now");
        }
        Order order = o.find(orderId).orElseThrow(() -> new IllegalStateException("no order " + orderId));
        IssuedCertificate certificate = c.find(orderId).orElseThrow(
                () -> new IllegalStateException("order " + orderId + " has no certificate yet"));
        List<Section> sections = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Set<String> subjects = new LinkedHashSet<>(List.of("order:" + orderId,
                "certificate:" + certificate.serialHex()));

        sections.add(new Section("order.json", "The order as submitted, its state and checks", "application/json",
                json(order)));

        IdentityCases ids = identity.get();
        if (ids == null) {
            missing.add("identity: the identity proofing module is not running; its cases could not be read");
        } else {
            List<IdentityCase> cases = ids.forOrder(orderId);
            if (cases.isEmpty()) {
                missing.add("identity: no identity case for this order");
            }
            for (IdentityCase k : cases) {
                String role = k.role().name().toLowerCase(Locale.ROOT).replace('_', '-');
                subjects.add("identity-case:" + k.id());
                sections.add(new Section("identity-" + role + ".json", "Identity case of the " + role.replace('-', ' ')
                        + ": checks, decisions, operators, times; images by SHA-256", "application/json", json(k)));
                if (Boolean.TRUE.equals(includeImages.get())) {
                    images(ids, k, role, sections, missing);
                }
            }
        }

        OrganisationChecks org = organisation.get();
        if (org == null) {
            missing.add("organisation: the organisation check module is not running; its case could not be read");
        } else {
            Optional<OrganisationCase> k = org.forOrder(orderId);
            if (k.isEmpty()) {
                missing.add("organisation: no organisation case for this order");
            } else {
                subjects.add("organisation-case:" + k.get().id());
                sections.add(new Section("organisation.json", "Organisation check: documents, automatic checks, the"
                        + " operator's decision", "application/json", json(k.get())));
                int n = 1;
                for (OrganisationDocument d : k.get().documents()) {
                    try (InputStream in = org.openDocument(k.get().id(), d.id(), ACTOR)) {
                        sections.add(new Section("organisation-" + n++ + "-" + d.kind().toLowerCase(Locale.ROOT)
                                + extension(d.mediaType()), d.kind() + " uploaded " + d.uploadedAt() + " ("
                                + d.fileName() + ")", d.mediaType(), in.readAllBytes()));
                    } catch (IOException | RuntimeException e) {
                        missing.add("organisation document " + d.id() + ": could not be read (" + e.getMessage() + ")");
                    }
                }
            }
        }

        Acceptances acc = acceptances.get();
        if (acc == null) {
            missing.add("acceptance: the acceptance module is not running; the signed form could not be read");
        } else {
            Optional<AcceptanceRecord> record = acc.forOrder(orderId);
            if (record.isEmpty()) {
                missing.add("acceptance: no acceptance recorded for this order");
            } else {
                sections.add(new Section("acceptance.json", "Acceptance by each person (SMS code, time)",
                        "application/json", json(record.get())));
                Optional<InputStream> form = acc.signedForm(orderId);
                if (form.isEmpty()) {
                    missing.add("acceptance form: not available");
                } else {
                    try (InputStream in = form.get()) {
                        sections.add(new Section("acceptance-form.pdf", "The acceptance form as signed by each person"
                                + " (PAdES, sealed by the platform)", "application/pdf", in.readAllBytes()));
                    } catch (IOException e) {
                        missing.add("acceptance form: could not be read (" + e.getMessage() + ")");
                    }
                }
            }
        }

        sections.add(new Section("certificate.pem", "The issued certificate, serial " + certificate.serialHex(),
                "application/x-pem-file", pem(certificate)));

        List<AuditRecord> records = audit.about(subjects, 1, 10_000);
        sections.add(new Section("audit.json", "The audit records about the order, its cases and its certificate"
                + " (hash-chained; verify with cachet-cli audit verify)", "application/json", json(Map.of(
                        "subjects", subjects, "records", records))));

        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("orderId", orderId);
        List<Map<String, Object>> listed = new ArrayList<>();
        for (Section s : sections) {
            listed.add(Map.of("name", s.name(), "mediaType", s.mediaType(), "size", s.content().length, "sha256",
                    Digests.sha256Hex(s.content())));
        }
        manifest.put("sections", listed);
        manifest.put("missing", missing);
        sections.add(new Section("manifest.json", "What this file holds (SHA-256 of each section) and what is missing",
                "application/json", json(manifest)));

        var r = order.request();
        List<String> title = List.of("Order " + orderId + " (" + r.medium().id() + ", " + r.validityYears()
                + " year(s)), " + order.state(), "Organisation: " + r.organisation().name() + " ("
                + r.organisation().country() + ", " + r.organisation().identifier() + ")",
                "Certificate: serial " + certificate.serialHex() + ", "
                        + certificate.certificate().getSubjectX500Principal().getName());
        return new Collected(title, sections, missing);
    }

    private void images(IdentityCases ids, IdentityCase k, String role, List<Section> sections, List<String> missing) {
        for (Attempt a : k.attempts()) {
            for (Evidence e : a.evidence()) {
                String name = "identity-" + role + "-" + a.number() + "-" + e.kind().name().toLowerCase(Locale.ROOT)
                        .replace('_', '-') + extension(e.contentType());
                try {
                    sections.add(new Section(name, e.kind() + " of attempt " + a.number(), e.contentType(),
                            ids.image(k.id(), a.number(), e.kind(), ACTOR)));
                } catch (RuntimeException x) {
                    missing.add(name + ": could not be read (" + x.getMessage() + ")");
                }
            }
        }
    }

    private static String extension(String mediaType) {
        return switch (mediaType == null ? "" : mediaType) {
        case "application/pdf" -> ".pdf";
        case "image/jpeg" -> ".jpg";
        case "image/png" -> ".png";
        default -> ".bin";
        };
    }

    private static byte[] pem(IssuedCertificate c) {
        try {
            return ("-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' })
                    .encodeToString(c.certificate().getEncoded()) + "\n-----END CERTIFICATE-----\n")
                    .getBytes(StandardCharsets.US_ASCII);
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("the certificate cannot be encoded", e);
        }
    }
}
