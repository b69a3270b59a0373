package io.cachet.signature.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import eu.europa.esig.dss.diagnostic.DiagnosticData;
import eu.europa.esig.dss.diagnostic.SignatureWrapper;
import eu.europa.esig.dss.enumerations.Indication;
import eu.europa.esig.dss.enumerations.SignatureLevel;
import eu.europa.esig.dss.enumerations.SubIndication;
import eu.europa.esig.dss.jaxb.object.Message;
import eu.europa.esig.dss.model.DSSDocument;
import eu.europa.esig.dss.model.FileDocument;
import eu.europa.esig.dss.model.x509.CertificateToken;
import eu.europa.esig.dss.pades.validation.PDFDocumentValidator;
import eu.europa.esig.dss.simplereport.SimpleReport;
import eu.europa.esig.dss.spi.exception.IllegalInputException;
import eu.europa.esig.dss.spi.validation.CommonCertificateVerifier;
import eu.europa.esig.dss.spi.x509.CommonTrustedCertificateSource;
import eu.europa.esig.dss.validation.SignedDocumentValidator;
import eu.europa.esig.dss.validation.reports.Reports;
import io.cachet.api.signature.SignatureException;
import io.cachet.api.signature.SignatureException.Reason;
import io.cachet.api.signature.SignatureReport;
import io.cachet.api.signature.ValidationOptions;
import io.cachet.api.signature.ValidationResult;
import io.cachet.api.signature.Validator;
import io.cachet.api.signature.Verdict;

/** {@link Validator} on EU DSS with its default validation policy. */
public final class DssValidator implements Validator {
    private final Network network;

    public DssValidator(Network network) {
        this.network = Objects.requireNonNull(network);
    }

    @Override
    public ValidationResult validate(Path signedFile, List<Path> detachedContents, ValidationOptions options) {
        Objects.requireNonNull(signedFile, "signedFile");
        Objects.requireNonNull(options, "options");
        List<Path> detached = detachedContents == null ? List.of() : List.copyOf(detachedContents);
        Inputs.requireReadableFile(signedFile);
        detached.forEach(Inputs::requireReadableFile);
        if (Inputs.looksLikePdf(signedFile)) {
            Inputs.checkPdf(signedFile, options.pdfPassword());
        } else if (Inputs.looksLikeXml(signedFile)) {
            Inputs.checkXml(signedFile);
        }
        try {
            return Dss.call(() -> run(signedFile, detached, options));
        } catch (RuntimeException e) {
            throw Failures.map(e, signedFile.toString());
        }
    }

    private ValidationResult run(Path signedFile, List<Path> detached, ValidationOptions options) {
        DSSDocument document = new FileDocument(signedFile.toFile());
        SignedDocumentValidator validator;
        try {
            validator = SignedDocumentValidator.fromDocument(document);
        } catch (IllegalInputException | UnsupportedOperationException e) {
            throw new SignatureException(Reason.MALFORMED_INPUT, signedFile
                    + " is not a signed document of a known kind (PDF, XML with XAdES, CMS/CAdES)", e);
        }
        CommonCertificateVerifier verifier = new CommonCertificateVerifier();
        CommonTrustedCertificateSource trusted = new CommonTrustedCertificateSource();
        for (X509Certificate anchor : options.trustAnchors()) {
            trusted.addCertificate(new CertificateToken(anchor));
        }
        verifier.setTrustedCertSources(trusted);
        if (options.trustedLists() instanceof DssTrustedLists lists) {
            verifier.addTrustedCertSources(lists.source());
        } else if (options.trustedLists() != null) {
            throw new SignatureException(Reason.INVALID_OPTIONS, "trusted lists must come from Signatures.trustedLists");
        }
        if (options.online()) {
            verifier.setAIASource(network.aia());
            verifier.setOcspSource(network.ocsp());
            verifier.setCrlSource(network.crl());
        } else {
            verifier.setAIASource(null);
            verifier.setOcspSource(null);
            verifier.setCrlSource(null);
        }
        validator.setCertificateVerifier(verifier);
        if (!detached.isEmpty()) {
            List<DSSDocument> contents = new ArrayList<>();
            for (Path p : detached) {
                contents.add(new FileDocument(p.toFile()));
            }
            validator.setDetachedContents(contents);
        }
        if (options.pdfPassword() != null && validator instanceof PDFDocumentValidator pdf) {
            pdf.setPasswordProtection(options.pdfPassword());
        }
        Reports reports = validator.validateDocument();
        Map<Long, ModificationCheck.Findings> changes = Map.of();
        if (validator instanceof PDFDocumentValidator) {
            try {
                changes = ModificationCheck.check(signedFile, options.pdfPassword());
            } catch (IOException e) {
                throw new SignatureException(Reason.MALFORMED_INPUT, signedFile + " cannot be read to find what was"
                        + " changed after its signatures: " + Failures.rootMessage(e), e);
            }
        }
        return result(reports, changes);
    }

    /**
     * The verdict of each signature and of the file. DSS's default policy only warns about changes made to a PDF after
     * a signature (visual differences, annotation overlaps, undefined object modifications), so a forged document
     * would pass as valid: {@link ModificationCheck} and DSS's own visual and page comparisons turn such changes
     * into {@link Verdict#MODIFIED_AFTER_SIGNING}.
     */
    private static ValidationResult result(Reports reports, Map<Long, ModificationCheck.Findings> pdfChanges) {
        SimpleReport simple = reports.getSimpleReport();
        DiagnosticData diagnostic = reports.getDiagnosticData();
        List<SignatureReport> signatures = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (String id : simple.getSignatureIdList()) {
            Indication indication = simple.getIndication(id);
            SubIndication sub = simple.getSubIndication(id);
            Verdict verdict = verdict(indication);
            List<String> errors = messages(simple.getAdESValidationErrors(id));
            Set<String> warnings = new LinkedHashSet<>(messages(simple.getAdESValidationWarnings(id)));
            warnings.addAll(messages(simple.getQualificationWarnings(id)));
            SignatureLevel level = simple.getSignatureFormat(id);
            String signedBy = simple.getSignedBy(id);
            List<String> changed = changesAfter(diagnostic.getSignatureById(id), pdfChanges);
            if (verdict != Verdict.INVALID && !changed.isEmpty()) {
                verdict = Verdict.MODIFIED_AFTER_SIGNING;
            }
            signatures.add(new SignatureReport(id, signedBy, level == null ? "unknown" : level.name().replace('_', '-'),
                    verdict, String.valueOf(indication), sub == null ? null : sub.name(),
                    instant(simple.getSigningTime(id)), instant(simple.getBestSignatureTime(id)), errors,
                    List.copyOf(warnings), changed));
            String who = "signature " + id + (signedBy == null ? "" : " by " + signedBy);
            if (verdict == Verdict.MODIFIED_AFTER_SIGNING) {
                reasons.add(who + " is intact (" + indication + (sub == null ? "" : ", " + sub) + ") but the document"
                        + " was changed after it: " + String.join("; ", changed));
            } else if (verdict != Verdict.VALID) {
                reasons.add(who + " is " + indication + (sub == null ? "" : " (" + sub + ")")
                        + (errors.isEmpty() ? "" : ": " + String.join(" ", errors)));
            }
        }
        Verdict overall;
        if (signatures.isEmpty()) {
            overall = Verdict.INVALID;
            reasons.add("no signature found");
        } else if (signatures.stream().anyMatch(s -> s.verdict() == Verdict.INVALID)) {
            overall = Verdict.INVALID;
        } else if (signatures.stream().anyMatch(s -> s.verdict() == Verdict.MODIFIED_AFTER_SIGNING)) {
            overall = Verdict.MODIFIED_AFTER_SIGNING;
        } else if (signatures.stream().anyMatch(s -> s.verdict() == Verdict.INDETERMINATE)) {
            overall = Verdict.INDETERMINATE;
        } else {
            overall = Verdict.VALID;
        }
        return new ValidationResult(overall, reasons, signatures, reports.getXmlSimpleReport(),
                reports.getXmlDetailedReport(), reports.getXmlDiagnosticData());
    }

    /** What was changed after a PDF signature: Cachet's own comparison, and the pages DSS saw differ. */
    private static List<String> changesAfter(SignatureWrapper signature, Map<Long, ModificationCheck.Findings> pdf) {
        List<String> changed = new ArrayList<>();
        if (signature == null) {
            return changed;
        }
        List<BigInteger> range = signature.getSignatureByteRange();
        ModificationCheck.Findings findings = null;
        if (range != null && range.size() == 4) {
            long end = range.get(2).add(range.get(3)).longValueExact();
            findings = pdf.get(end);
            if (findings != null) {
                changed.addAll(findings.changes());
            }
        }
        if (signature.getPDFRevision() != null) {
            List<BigInteger> visual = signature.getPdfVisualDifferenceConcernedPages();
            // DSS renders pages without the annotations added later but with the changed ones: under a certification
            // that permits form filling, a filled field differs visually and that is allowed (ModificationCheck
            // tells form filling from other changes)
            boolean formFillPermitted = findings != null && findings.permission() >= 2;
            if (visual != null && !visual.isEmpty() && !formFillPermitted) {
                changed.add("DSS sees a visual difference with the signed revision on page(s) " + pages(visual));
            }
            List<BigInteger> missing = signature.getPdfPageDifferenceConcernedPages();
            if (missing != null && !missing.isEmpty()) {
                changed.add("DSS sees pages added or removed after signing: " + pages(missing));
            }
        }
        return changed;
    }

    private static String pages(List<BigInteger> pages) {
        return String.join(", ", pages.stream().map(BigInteger::toString).toList());
    }

    private static Verdict verdict(Indication indication) {
        if (indication == Indication.TOTAL_PASSED || indication == Indication.PASSED) {
            return Verdict.VALID;
        }
        if (indication == Indication.TOTAL_FAILED || indication == Indication.FAILED) {
            return Verdict.INVALID;
        }
        return Verdict.INDETERMINATE;
    }

    private static List<String> messages(List<Message> messages) {
        List<String> result = new ArrayList<>();
        if (messages != null) {
            for (Message m : messages) {
                result.add(m.getValue());
            }
        }
        return result;
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
