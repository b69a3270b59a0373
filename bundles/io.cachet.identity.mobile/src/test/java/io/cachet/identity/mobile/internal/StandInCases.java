package io.cachet.identity.mobile.internal;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.imageio.ImageIO;

import io.cachet.api.identity.Attempt;
import io.cachet.api.identity.CaseStatus;
import io.cachet.api.identity.DocumentType;
import io.cachet.api.identity.Evidence;
import io.cachet.api.identity.EvidenceKind;
import io.cachet.api.identity.IdentityCase;
import io.cachet.api.identity.IdentityCases;
import io.cachet.api.identity.IdentityException;
import io.cachet.api.identity.IdentityException.Reason;
import io.cachet.api.identity.MrzData;
import io.cachet.api.identity.ProviderResult;
import io.cachet.api.order.OrderRole;

/**
 * A hand-written in-memory stand-in for the identity service, for the page logic only: the real one (and its
 * checks) is exercised by the browser test against cachet.jar. It keeps the contract's shape: refusals change
 * nothing, the flow token stops working once the case is submitted.
 */
final class StandInCases implements IdentityCases {

    static final String GOOD_MRZ = "GOOD";
    static final DocumentType PASSPORT = new DocumentType("passport", "TD3", Set.of("P"), Set.of(), false,
            Map.of("fr", "Passeport", "en", "Passport"));
    static final DocumentType CARD = new DocumentType("eu-id-card", "TD1", Set.of("I"), Set.of(), true,
            Map.of("fr", "Carte d'identité européenne", "en", "European identity card"));

    final Map<String, String> flows = new HashMap<>();
    final Map<String, IdentityCase> cases = new HashMap<>();
    final Map<EvidenceKind, Evidence> evidence = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    MrzData mrz;
    String documentType;

    String open(String caseId, String flowToken) {
        IdentityCase c = new IdentityCase(caseId, "ord_1", OrderRole.CERTIFICATE_MANAGER, "ERIKSSON", "ANNA MARIA",
                LocalDate.of(1974, 8, 12), "anna@example.org", CaseStatus.IN_PROGRESS, "mobile",
                List.of(attempt()), 3, List.of(), "0.4.0.19461.1.1", Instant.now(), Instant.now(), null);
        cases.put(caseId, c);
        flows.put(flowToken, caseId);
        return flowToken;
    }

    private Attempt attempt() {
        return new Attempt(1, "mobile", null, documentType, new ArrayList<>(evidence.values()), mrz, List.of(),
                Instant.now(), null);
    }

    private IdentityCase refresh(String caseId) {
        IdentityCase c = cases.get(caseId);
        IdentityCase n = new IdentityCase(c.id(), c.orderId(), c.role(), c.surname(), c.givenNames(), c.birthDate(),
                c.email(), c.status(), c.provider(), List.of(attempt()), c.maxAttempts(), c.decisions(), c.level(),
                c.createdAt(), Instant.now(), null);
        cases.put(caseId, n);
        return n;
    }

    private IdentityCase open(String caseId) {
        IdentityCase c = cases.get(caseId);
        if (c == null || c.status() != CaseStatus.IN_PROGRESS) {
            throw new IdentityException(Reason.CONFLICT, "case.not-open", "no attempt is open");
        }
        return c;
    }

    @Override
    public Optional<IdentityCase> find(String caseId) {
        return Optional.ofNullable(cases.get(caseId));
    }

    @Override
    public List<IdentityCase> forOrder(String orderId) {
        return List.copyOf(cases.values());
    }

    @Override
    public Optional<IdentityCase> byFlowToken(String flowToken) {
        String id = flows.get(flowToken);
        return id == null || cases.get(id).status() != CaseStatus.IN_PROGRESS ? Optional.empty()
                : Optional.of(cases.get(id));
    }

    @Override
    public Optional<IdentityCase> byReference(String provider, String reference) {
        return Optional.empty();
    }

    @Override
    public List<DocumentType> acceptedDocuments() {
        return List.of(PASSPORT, CARD);
    }

    @Override
    public Evidence addImage(String caseId, EvidenceKind kind, byte[] image, String actor) {
        open(caseId);
        calls.add("addImage " + kind.id() + " " + image.length + " " + actor);
        boolean jpeg = image.length > 3 && (image[0] & 0xff) == 0xff && (image[1] & 0xff) == 0xd8;
        boolean png = image.length > 8 && image[0] == (byte) 0x89 && image[1] == 'P' && image[2] == 'N';
        if (!jpeg && !png) {
            throw new IdentityException(Reason.INVALID, "image.not-an-image", "not a JPEG or PNG");
        }
        BufferedImage read;
        try {
            read = ImageIO.read(new ByteArrayInputStream(image));
        } catch (IOException e) {
            read = null;
        }
        if (read == null) {
            throw new IdentityException(Reason.INVALID, "image.unreadable", "cannot decode");
        }
        int w = read.getWidth();
        int h = read.getHeight();
        if (Math.min(w, h) < 1080 || Math.max(w, h) < 1920) {
            throw new IdentityException(Reason.INVALID, "image.too-small", "too small", String.valueOf(w),
                    String.valueOf(h));
        }
        Evidence e = new Evidence(kind, png ? "image/png" : "image/jpeg", w, h, image.length, "00", Instant.now());
        evidence.put(kind, e);
        refresh(caseId);
        return e;
    }

    @Override
    public MrzData submitDocument(String caseId, String type, String zone, String actor) {
        open(caseId);
        calls.add("submitDocument " + type + " " + actor);
        if (!GOOD_MRZ.equals(zone.strip())) {
            throw new IdentityException(Reason.INVALID, "mrz.check-digit", "check digit", "birth-date");
        }
        documentType = type;
        mrz = new MrzData("TD3", "P", "UTO", "L898902C3", "ERIKSSON", List.of("ANNA", "MARIA"), "UTO",
                LocalDate.of(1974, 8, 12), "F", LocalDate.now().plusYears(5), null);
        refresh(caseId);
        return mrz;
    }

    @Override
    public IdentityCase submit(String caseId, String actor) {
        IdentityCase c = open(caseId);
        calls.add("submit " + actor);
        List<String> missing = new ArrayList<>();
        for (EvidenceKind k : EvidenceKind.values()) {
            boolean needed = k != EvidenceKind.DOCUMENT_BACK || CARD.id().equals(documentType);
            if (needed && !evidence.containsKey(k)) {
                missing.add(k.id());
            }
        }
        if (mrz == null) {
            missing.add("mrz");
        }
        if (!missing.isEmpty()) {
            throw new IdentityException(Reason.INVALID, "evidence.incomplete", "incomplete",
                    missing.toArray(String[]::new));
        }
        IdentityCase done = new IdentityCase(c.id(), c.orderId(), c.role(), c.surname(), c.givenNames(),
                c.birthDate(), c.email(), CaseStatus.REVIEW, c.provider(), c.attempts(), c.maxAttempts(),
                c.decisions(), c.level(), c.createdAt(), Instant.now(), null);
        cases.put(caseId, done);
        return done;
    }

    @Override
    public IdentityCase providerResult(String caseId, ProviderResult result, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<IdentityCase> queue(int limit) {
        return List.of();
    }

    @Override
    public IdentityCase review(String caseId, String operator) {
        throw new UnsupportedOperationException();
    }

    @Override
    public byte[] image(String caseId, int attempt, EvidenceKind kind, String operator) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<String> rejectionReasons() {
        return List.of();
    }

    @Override
    public IdentityCase decide(String caseId, boolean approve, String reason, String comment, boolean allowRetry,
            String operator) {
        throw new UnsupportedOperationException();
    }
}
