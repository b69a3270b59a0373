package io.cachet.signature.internal;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;

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
import io.cachet.signature.api.SignatureException;
import io.cachet.signature.api.SignatureException.Reason;
import io.cachet.signature.api.SignatureReport;
import io.cachet.signature.api.ValidationOptions;
import io.cachet.signature.api.ValidationResult;
import io.cachet.signature.api.Validator;
import io.cachet.signature.api.Verdict;

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
        return result(reports);
    }

    private static ValidationResult result(Reports reports) {
        SimpleReport simple = reports.getSimpleReport();
        List<SignatureReport> signatures = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (String id : simple.getSignatureIdList()) {
            Indication indication = simple.getIndication(id);
            SubIndication sub = simple.getSubIndication(id);
            Verdict verdict = verdict(indication);
            List<String> errors = messages(simple.getAdESValidationErrors(id));
            List<String> warnings = messages(simple.getAdESValidationWarnings(id));
            SignatureLevel level = simple.getSignatureFormat(id);
            String signedBy = simple.getSignedBy(id);
            signatures.add(new SignatureReport(id, signedBy, level == null ? "unknown" : level.name().replace('_', '-'),
                    verdict, String.valueOf(indication), sub == null ? null : sub.name(),
                    instant(simple.getSigningTime(id)), instant(simple.getBestSignatureTime(id)), errors, warnings));
            if (verdict != Verdict.VALID) {
                reasons.add("signature " + id + (signedBy == null ? "" : " by " + signedBy) + " is " + indication
                        + (sub == null ? "" : " (" + sub + ")")
                        + (errors.isEmpty() ? "" : ": " + String.join(" ", errors)));
            }
        }
        Verdict overall;
        if (signatures.isEmpty()) {
            overall = Verdict.INVALID;
            reasons.add("no signature found");
        } else if (signatures.stream().anyMatch(s -> s.verdict() == Verdict.INVALID)) {
            overall = Verdict.INVALID;
        } else if (signatures.stream().anyMatch(s -> s.verdict() == Verdict.INDETERMINATE)) {
            overall = Verdict.INDETERMINATE;
        } else {
            overall = Verdict.VALID;
        }
        return new ValidationResult(overall, reasons, signatures, reports.getXmlSimpleReport(),
                reports.getXmlDetailedReport(), reports.getXmlDiagnosticData());
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
