package io.cachet.signature.internal;

import java.util.List;

import eu.europa.esig.dss.cades.validation.CMSDocumentAnalyzer;
import eu.europa.esig.dss.enumerations.SignatureLevel;
import eu.europa.esig.dss.model.DSSDocument;
import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.pades.PAdESSignatureParameters;
import eu.europa.esig.dss.pades.signature.PAdESSignatureRequirementsChecker;
import eu.europa.esig.dss.pades.validation.PdfValidationDataContainer;
import eu.europa.esig.dss.pdf.pdfbox.PdfBoxNativeObjectFactory;
import eu.europa.esig.dss.spi.signature.AdvancedSignature;
import eu.europa.esig.dss.spi.validation.CertificateVerifier;
import eu.europa.esig.dss.spi.validation.ValidationData;
import eu.europa.esig.dss.spi.validation.ValidationDataContainer;
import eu.europa.esig.dss.spi.validation.executor.CompleteValidationContextExecutor;
import eu.europa.esig.dss.spi.x509.tsp.TimestampToken;

/**
 * PAdES-BASELINE-LT for a signature {@link PadesFast} has just written into a PDF that held no signature and no DSS
 * dictionary before: DSS gathers the validation data (certificates, OCSP responses, CRLs of the signer's chain and of
 * the signature time-stamp's) and writes the PDF's DSS dictionary, as its own LT augmentation does, but from the CMS
 * alone.
 *
 * <p>Why not DSS's augmentation: to list a PDF's signatures DSS first splits the file into its revisions
 * ({@code PAdESUtils.extractRevisions}), reading every byte through a synchronized {@code BufferedInputStream.read()} —
 * three quarters of an LT augmentation's time on a 1 MB PDF (BENCHMARKS.md). For a signature Cachet has just made
 * nothing needs finding: it is the CMS in hand, so DSS's CMS analyzer gives the same signature (certificates,
 * time-stamp) without reading the PDF, and DSS's own {@code addDssDictionary} writes the data in one incremental save.
 * DSS's checks for LT stay: the chain must be valid for LT ({@code assertCertificateChainValidForLTLevel}, the
 * revocation data must be there) and the complete validation context is executed as in its augmentation; its
 * check that the signature is intact is the one {@link SignatureValueCheck} made when the value came off the token.
 * A PDF that was signed before, or has a DSS dictionary, takes DSS's augmentation, which merges with what is there.
 */
final class PadesLongTerm {

    private PadesLongTerm() {
    }

    /**
     * {@code signed} (the PDF {@link PadesFast} wrote, with {@code cms} in it) with a DSS dictionary holding what
     * validates {@code cms} in the long term.
     */
    static DSSDocument addValidationData(DSSDocument signed, byte[] cms, CertificateVerifier verifier,
            char[] pdfPassword) {
        CMSDocumentAnalyzer analyzer = new CMSDocumentAnalyzer(new InMemoryDocument(cms));
        analyzer.setCertificateVerifier(verifier);
        analyzer.setValidationContextExecutor(CompleteValidationContextExecutor.INSTANCE);
        List<AdvancedSignature> signatures = analyzer.getSignatures();

        PAdESSignatureParameters parameters = new PAdESSignatureParameters();
        parameters.setSignatureLevel(SignatureLevel.PAdES_BASELINE_LT);
        new PAdESSignatureRequirementsChecker(verifier, parameters).assertCertificateChainValidForLTLevel(signatures);

        ValidationDataContainer gathered = analyzer.getValidationData(signatures);
        // DSS's writer adds to the DSS dictionary what its container holds for document time-stamps, and for signatures
        // only what it holds for the PAdES signatures it read from the PDF (it asks them their VRI key). Here the data
        // of the signature and of its own time-stamp is filed under that time-stamp: the same tokens, written once
        // each; no VRI dictionary, which DSS does not write by default either. No earlier DSS revision to refer to:
        // the caller made sure the PDF has none.
        PdfValidationDataContainer data = new PdfValidationDataContainer(List.of());
        for (AdvancedSignature signature : signatures) {
            List<TimestampToken> timestamps = signature.getAllTimestamps();
            if (timestamps.isEmpty()) {
                throw new IllegalStateException("an LT signature without its signature time-stamp");
            }
            ValidationData signatureData = new ValidationData();
            signatureData.addValidationData(gathered.getValidationData(signature));
            signatureData.addValidationData(gathered.getValidationData(timestamps.get(0)));
            data.addValidationData(timestamps.get(0), signatureData);
            for (TimestampToken other : timestamps.subList(1, timestamps.size())) {
                data.addValidationData(other, gathered.getValidationData(other));
            }
        }
        return new PdfBoxNativeObjectFactory().newPAdESSignatureService().addDssDictionary(signed, data, pdfPassword,
                parameters.isIncludeVRIDictionary());
    }
}
