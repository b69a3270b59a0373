package io.cachet.identity.console.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.cachet.api.identity.Attempt;
import io.cachet.api.identity.CaseStatus;
import io.cachet.api.identity.Decision;
import io.cachet.api.identity.DocumentType;
import io.cachet.api.identity.Evidence;
import io.cachet.api.identity.EvidenceKind;
import io.cachet.api.identity.IdentityCase;
import io.cachet.api.identity.IdentityCases;
import io.cachet.api.identity.IdentityException;
import io.cachet.api.identity.IdentityException.Reason;
import io.cachet.api.identity.MrzData;
import io.cachet.api.identity.ProviderResult;

/**
 * A stand-in for the identity service, with the contract's rules on decisions (review only, a second approval from
 * another operator when required, reasons from the list, retry while attempts are left); it records every view and
 * image fetch as the real one audits them. The providers' side is not needed by the console.
 */
final class InMemoryCases implements IdentityCases {

    static final List<String> REASONS = List.of("document-unreadable", "selfie-mismatch", "copy-not-original");

    final Map<String, IdentityCase> cases = new LinkedHashMap<>();
    final Map<String, byte[]> images = new HashMap<>();
    /** What the audit log would say: {@code review <case> <operator>}, {@code image <case> <n> <kind> <operator>}. */
    final List<String> audit = new ArrayList<>();
    boolean secondApproval;
    /** How many times the cases of an order were asked for. */
    int forOrderCalls;
    RuntimeException failure;

    void put(IdentityCase c) {
        cases.put(c.id(), c);
    }

    private IdentityCase get(String id) {
        if (failure != null) {
            throw failure;
        }
        IdentityCase c = cases.get(id);
        if (c == null) {
            throw new IdentityException(Reason.NOT_FOUND, "case.not-found", "No such case");
        }
        return c;
    }

    @Override
    public Optional<IdentityCase> find(String caseId) {
        return Optional.ofNullable(cases.get(caseId));
    }

    @Override
    public List<IdentityCase> forOrder(String orderId) {
        forOrderCalls++;
        if (failure != null) {
            throw failure;
        }
        return cases.values().stream().filter(c -> c.orderId().equals(orderId)).toList();
    }

    @Override
    public Optional<IdentityCase> byFlowToken(String flowToken) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<IdentityCase> byReference(String provider, String reference) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<DocumentType> acceptedDocuments() {
        return List.of(new DocumentType("passport", "TD3", java.util.Set.of("P"), java.util.Set.of(), false,
                Map.of("fr", "Passeport", "en", "Passport")));
    }

    @Override
    public Evidence addImage(String caseId, EvidenceKind kind, byte[] image, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public MrzData submitDocument(String caseId, String documentType, String mrz, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public IdentityCase submit(String caseId, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public IdentityCase providerResult(String caseId, ProviderResult result, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<IdentityCase> queue(int limit) {
        if (failure != null) {
            throw failure;
        }
        return cases.values().stream().filter(c -> c.status() == CaseStatus.REVIEW)
                .sorted(Comparator.comparing(c -> c.currentAttempt().submittedAt())).limit(limit).toList();
    }

    @Override
    public IdentityCase review(String caseId, String operator) {
        IdentityCase c = get(caseId);
        audit.add("review " + caseId + " " + operator);
        return c;
    }

    @Override
    public byte[] image(String caseId, int attempt, EvidenceKind kind, String operator) {
        get(caseId);
        byte[] b = images.get(caseId + "/" + attempt + "/" + kind.id());
        if (b == null) {
            throw new IdentityException(Reason.NOT_FOUND, "image.not-found", "No such image");
        }
        audit.add("image " + caseId + " " + attempt + " " + kind.id() + " " + operator);
        return b.clone();
    }

    @Override
    public List<String> rejectionReasons() {
        return REASONS;
    }

    @Override
    public IdentityCase decide(String caseId, boolean approve, String reason, String comment, boolean allowRetry,
            String operator) {
        IdentityCase c = get(caseId);
        if (c.status() != CaseStatus.REVIEW) {
            throw new IdentityException(Reason.CONFLICT, "case.not-in-review", "The case is not under review");
        }
        int attempt = c.currentAttempt().number();
        List<Decision> decisions = new ArrayList<>(c.decisions());
        CaseStatus status;
        if (approve) {
            long approvals = decisions.stream().filter(d -> d.approved() && d.attempt() == attempt).count();
            if (decisions.stream().anyMatch(d -> d.approved() && d.attempt() == attempt && d.operator().equals(operator))) {
                throw new IdentityException(Reason.CONFLICT, "case.already-approved", "Already approved by " + operator);
            }
            decisions.add(new Decision(operator, true, null, comment, attempt, Instant.now()));
            status = secondApproval && approvals == 0 ? CaseStatus.REVIEW : CaseStatus.APPROVED;
        } else {
            if (!REASONS.contains(reason)) {
                throw new IdentityException(Reason.INVALID, "reason.unknown", "Unknown reason " + reason);
            }
            decisions.add(new Decision(operator, false, reason, comment, attempt, Instant.now()));
            status = allowRetry && c.attempts().size() < c.maxAttempts() ? CaseStatus.OPEN : CaseStatus.REJECTED;
        }
        IdentityCase after = new IdentityCase(c.id(), c.orderId(), c.role(), c.surname(), c.givenNames(), c.birthDate(),
                c.email(), status, c.provider(), c.attempts(), c.maxAttempts(), decisions, c.level(), c.createdAt(),
                Instant.now(), c.purgedAt());
        put(after);
        return after;
    }
}
