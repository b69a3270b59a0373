package io.cachet.api.signature;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

import io.cachet.api.token.SignatureAlgorithm;

/**
 * What to make: format, packaging, level and what they need. Immutable; start from {@link #pades}, {@link #xades}
 * or {@link #cades} and add with the {@code with...} methods. {@link Signer#sign} checks that the options fit
 * together ({@link #check()}).
 *
 * @param format PAdES, XAdES or CAdES
 * @param packaging enveloped (PAdES, XAdES), enveloping (XAdES, CAdES attached) or detached (XAdES, CAdES)
 * @param level B, T, LT or LTA
 * @param tsaUrl the RFC 3161 time-stamp authority; required from level T on
 * @param visibleSignature PAdES only: the visible appearance, {@code null} for an invisible signature
 * @param pdfPassword PAdES only: the password of an encrypted PDF, {@code null} when it is not encrypted
 * @param algorithm the signature algorithm; {@code null} chooses from the key (ECDSA with SHA-256 for P-256,
 *        SHA-384 for P-384, RSA PKCS#1 v1.5 with SHA-256)
 * @param trustAnchors certificates trusted when LT and LTA collect revocation data (e.g. Cachet's root and
 *        issuing CA and its TSA certificate): revocation data is gathered for every certificate below them (signer,
 *        TSA) and must be found, else signing stops; empty: the issuer certificates of the {@link SigningKey}
 * @param checkRevocation whether the signing certificate's revocation status is checked (OCSP, else CRL) before
 *        signing; a revoked certificate, or one whose status cannot be obtained, is then refused
 * @param certify PAdES only: a certifying signature (DocMDP, P=2): afterwards only form filling and further
 *        signatures are permitted, and viewers show the document as certified; it must be the document's first
 *        signature
 */
public record SignOptions(SignatureFormat format, Packaging packaging, Level level, URI tsaUrl,
        VisibleSignature visibleSignature, char[] pdfPassword, SignatureAlgorithm algorithm,
        List<X509Certificate> trustAnchors, boolean checkRevocation, boolean certify) {

    public SignOptions {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(packaging, "packaging");
        Objects.requireNonNull(level, "level");
        trustAnchors = trustAnchors == null ? List.of() : List.copyOf(trustAnchors);
    }

    /** Options of an approval (not certifying) signature (the 1.0 form). */
    public SignOptions(SignatureFormat format, Packaging packaging, Level level, URI tsaUrl,
            VisibleSignature visibleSignature, char[] pdfPassword, SignatureAlgorithm algorithm,
            List<X509Certificate> trustAnchors, boolean checkRevocation) {
        this(format, packaging, level, tsaUrl, visibleSignature, pdfPassword, algorithm, trustAnchors,
                checkRevocation, false);
    }

    /** PAdES (enveloped) at {@code level}, invisible, revocation checked. */
    public static SignOptions pades(Level level) {
        return new SignOptions(SignatureFormat.PADES, Packaging.ENVELOPED, level, null, null, null, null, List.of(),
                true);
    }

    /** XAdES at {@code level}. */
    public static SignOptions xades(Packaging packaging, Level level) {
        return new SignOptions(SignatureFormat.XADES, packaging, level, null, null, null, null, List.of(), true);
    }

    /** CAdES at {@code level}: {@link Packaging#ENVELOPING} (attached, .p7m) or {@link Packaging#DETACHED} (.p7s). */
    public static SignOptions cades(Packaging packaging, Level level) {
        return new SignOptions(SignatureFormat.CADES, packaging, level, null, null, null, null, List.of(), true);
    }

    public SignOptions withLevel(Level level) {
        return new SignOptions(format, packaging, level, tsaUrl, visibleSignature, pdfPassword, algorithm,
                trustAnchors, checkRevocation, certify);
    }

    public SignOptions withTsa(URI tsaUrl) {
        return new SignOptions(format, packaging, level, tsaUrl, visibleSignature, pdfPassword, algorithm,
                trustAnchors, checkRevocation, certify);
    }

    public SignOptions withVisibleSignature(VisibleSignature visibleSignature) {
        return new SignOptions(format, packaging, level, tsaUrl, visibleSignature, pdfPassword, algorithm,
                trustAnchors, checkRevocation, certify);
    }

    /** The password of an encrypted PDF; the array is kept, not copied: wipe it after signing. */
    public SignOptions withPdfPassword(char[] pdfPassword) {
        return new SignOptions(format, packaging, level, tsaUrl, visibleSignature, pdfPassword, algorithm,
                trustAnchors, checkRevocation, certify);
    }

    public SignOptions withAlgorithm(SignatureAlgorithm algorithm) {
        return new SignOptions(format, packaging, level, tsaUrl, visibleSignature, pdfPassword, algorithm,
                trustAnchors, checkRevocation, certify);
    }

    public SignOptions withTrustAnchors(List<X509Certificate> trustAnchors) {
        return new SignOptions(format, packaging, level, tsaUrl, visibleSignature, pdfPassword, algorithm,
                trustAnchors, checkRevocation, certify);
    }

    public SignOptions withRevocationCheck(boolean checkRevocation) {
        return new SignOptions(format, packaging, level, tsaUrl, visibleSignature, pdfPassword, algorithm,
                trustAnchors, checkRevocation, certify);
    }

    /** A certifying PAdES signature (DocMDP P=2: form filling and further signatures permitted) or not. */
    public SignOptions withCertification(boolean certify) {
        return new SignOptions(format, packaging, level, tsaUrl, visibleSignature, pdfPassword, algorithm,
                trustAnchors, checkRevocation, certify);
    }

    /**
     * Checks that the options fit together.
     *
     * @throws SignatureException {@code INVALID_OPTIONS} naming the conflict
     */
    public void check() {
        switch (format) {
        case PADES -> {
            if (packaging != Packaging.ENVELOPED) {
                throw invalid("PAdES signatures are always enveloped in the PDF, not " + name(packaging));
            }
        }
        case CADES -> {
            if (packaging == Packaging.ENVELOPED) {
                throw invalid("CAdES signatures are attached (enveloping) or detached, not enveloped");
            }
        }
        case XADES -> {
            // every packaging
        }
        }
        if (format != SignatureFormat.PADES && visibleSignature != null) {
            throw invalid("a visible signature needs PAdES (a PDF), not " + format);
        }
        if (format != SignatureFormat.PADES && certify) {
            throw invalid("a certifying signature needs PAdES (a PDF), not " + format);
        }
        if (format != SignatureFormat.PADES && pdfPassword != null) {
            throw invalid("a PDF password only applies to PAdES");
        }
        if (level.needsTimestamp() && tsaUrl == null) {
            throw invalid("level " + level + " needs a time-stamp authority: give its URL (RFC 3161)");
        }
        if (tsaUrl != null && !"http".equalsIgnoreCase(tsaUrl.getScheme())
                && !"https".equalsIgnoreCase(tsaUrl.getScheme())) {
            throw invalid("the time-stamp authority URL must be http or https: " + tsaUrl);
        }
        if (visibleSignature != null) {
            VisibleSignature v = visibleSignature;
            if (v.page() == 0 || v.page() < -1) {
                throw invalid("visible signature page must be 1 or more (or -1 for the last page), not " + v.page());
            }
            if (v.width() <= 0 || v.height() <= 0 || v.x() < 0 || v.y() < 0) {
                throw invalid("visible signature box must have a positive size and a position inside the page");
            }
        }
    }

    private static String name(Packaging p) {
        return p.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static SignatureException invalid(String message) {
        return new SignatureException(SignatureException.Reason.INVALID_OPTIONS, message);
    }

    @Override
    public String toString() {
        return "SignOptions[" + format + ", " + packaging + ", " + level + ", tsa=" + tsaUrl + ", visible="
                + visibleSignature + ", pdfPassword=" + (pdfPassword == null ? "none" : "given") + ", algorithm="
                + algorithm + ", trustAnchors=" + trustAnchors.size() + ", checkRevocation=" + checkRevocation
                + ", certify=" + certify + "]";
    }
}
