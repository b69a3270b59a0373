package io.cachet.signature.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;

import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;

import eu.europa.esig.dss.cades.CAdESSignatureParameters;
import eu.europa.esig.dss.cades.signature.CAdESService;
import eu.europa.esig.dss.enumerations.CertificationPermission;
import eu.europa.esig.dss.enumerations.SignatureLevel;
import eu.europa.esig.dss.enumerations.VisualSignatureRotation;
import eu.europa.esig.dss.enumerations.SignaturePackaging;
import eu.europa.esig.dss.enumerations.SignerTextPosition;
import eu.europa.esig.dss.enumerations.TextWrapping;
import eu.europa.esig.dss.enumerations.DigestAlgorithm;
import eu.europa.esig.dss.enumerations.MimeType;
import eu.europa.esig.dss.model.DSSDocument;
import eu.europa.esig.dss.model.DigestDocument;
import eu.europa.esig.dss.model.FileDocument;
import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.model.SignatureValue;
import eu.europa.esig.dss.model.ToBeSigned;
import eu.europa.esig.dss.model.x509.CertificateToken;
import eu.europa.esig.dss.pades.PAdESSignatureParameters;
import eu.europa.esig.dss.pades.SignatureFieldParameters;
import eu.europa.esig.dss.pades.SignatureImageParameters;
import eu.europa.esig.dss.pades.SignatureImageTextParameters;
import eu.europa.esig.dss.pades.signature.PAdESService;
import eu.europa.esig.dss.pdf.pdfbox.PdfBoxNativeObjectFactory;
import eu.europa.esig.dss.signature.AbstractSignatureParameters;
import eu.europa.esig.dss.signature.DocumentSignatureService;
import eu.europa.esig.dss.spi.validation.CommonCertificateVerifier;
import eu.europa.esig.dss.spi.x509.CommonCertificateSource;
import eu.europa.esig.dss.spi.x509.CommonTrustedCertificateSource;
import eu.europa.esig.dss.xades.XAdESSignatureParameters;
import eu.europa.esig.dss.xades.signature.XAdESService;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.signature.Level;
import io.cachet.api.signature.Packaging;
import io.cachet.api.signature.SignOptions;
import io.cachet.api.signature.SignResult;
import io.cachet.api.signature.SignatureException;
import io.cachet.api.signature.SignatureException.Reason;
import io.cachet.api.signature.SignatureFormat;
import io.cachet.api.signature.Signer;
import io.cachet.api.signature.SigningKey;
import io.cachet.api.signature.VisibleSignature;

/**
 * {@link Signer} on EU DSS: PAdES with PDFBox, XAdES, CAdES, at B, T, LT and LTA. The three DSS steps (data to
 * sign, signature value, signed document) run with the key on its token through {@link TokenConnection}; inputs
 * are checked first ({@link Inputs}) and the signing certificate must be valid and not revoked
 * ({@link SigningCertificateCheck}). Two paths skip DSS's signing services where their cost was DSS's own and not
 * the signature's: PAdES without a visible signature ({@link PadesFast}, LT and LTA extended by DSS) and CAdES-B
 * detached (the same BouncyCastle CMS, {@link #cadesDetachedB}).
 */
public final class DssSigner implements Signer {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final Network network;
    private final SigningCertificateCheck certificateCheck;

    public DssSigner(Network network) {
        this.network = Objects.requireNonNull(network);
        this.certificateCheck = new SigningCertificateCheck(network);
    }

    /**
     * Augments the signatures of a signed PDF with DSS's own extension (no new signature value): LT adds the
     * validation data of every signature and time-stamp in a DSS dictionary, LTA adds them and a document
     * time-stamp. The revocation data is collected as for signing, below the options' trust anchors, else below the
     * issuers found through the certificates' AIA with revocation checked for the untrusted chains.
     */
    @Override
    public SignResult extend(Path input, Path output, SignOptions options) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(options, "options");
        options.check();
        if (options.format() != SignatureFormat.PADES) {
            throw new SignatureException(Reason.INVALID_OPTIONS, "only PAdES signatures (a signed PDF) can be"
                    + " extended, not " + options.format());
        }
        if (options.level() == Level.B) {
            throw new SignatureException(Reason.INVALID_OPTIONS, "a signature is extended to T, LT or LTA, not to B");
        }
        Inputs.requireReadableFile(input);
        Path target = writableTarget(input, output);
        Inputs.checkPdf(input, options.pdfPassword());
        if (Inputs.signatureCount(input, options.pdfPassword()) == 0) {
            throw new SignatureException(Reason.INVALID_OPTIONS, input + " has no signature to extend: sign it first");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        DSSDocument extended;
        try {
            extended = Dss.call(() -> extendPades(new FileDocument(input.toFile()), options, null,
                    new CertificateToken[0]));
        } catch (RuntimeException e) {
            throw Failures.map(e, input.toString());
        }
        write(extended, target);
        return new SignResult(output, SignatureFormat.PADES, options.level(), now, null);
    }

    /** The output as an absolute path, after checking that it is not the input and that its directory is writable. */
    private static Path writableTarget(Path input, Path output) {
        Path target = output.toAbsolutePath().normalize();
        if (target.equals(input.toAbsolutePath().normalize())) {
            throw new SignatureException(Reason.INVALID_OPTIONS, "the output must be another file than the input");
        }
        Path directory = target.getParent();
        if (directory == null || !Files.isDirectory(directory) || !Files.isWritable(directory)) {
            throw new SignatureException(Reason.IO, "cannot write " + output + ": its directory does not exist"
                    + " or is not writable");
        }
        return target;
    }

    @Override
    public SignResult sign(Path input, Path output, SigningKey key, SignOptions options) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(options, "options");
        options.check();
        Inputs.requireReadableFile(input);
        Path target = writableTarget(input, output);
        if (options.format() == SignatureFormat.PADES && options.visibleSignature() == null) {
            return padesInOnePass(input, output, target, key, options);
        }
        if (options.format() == SignatureFormat.CADES && options.packaging() == Packaging.DETACHED
                && options.level() == Level.B) {
            return cadesDetachedB(input, output, target, key, options);
        }
        int pages = 0;
        switch (options.format()) {
        case PADES -> {
            pages = Inputs.checkPdf(input, options.pdfPassword());
            if (options.certify() && Inputs.signatureCount(input, options.pdfPassword()) > 0) {
                throw new SignatureException(Reason.INVALID_OPTIONS, input + " is already signed: a certifying"
                        + " signature must be the first signature of a document (sign it without certification)");
            }
        }
        case XADES -> {
            if (options.packaging() == Packaging.ENVELOPED) {
                Inputs.checkXml(input);
            }
        }
        case CADES -> {
            // any bytes
        }
        }
        VisibleSignature visible = options.visibleSignature();
        if (visible != null) {
            if (visible.page() > pages) {
                throw new SignatureException(Reason.INVALID_OPTIONS, "the visible signature is on page "
                        + visible.page() + " but " + input + " has " + pages + (pages == 1 ? " page" : " pages"));
            }
            if (visible.logo() != null) {
                Inputs.requireReadableFile(visible.logo());
            }
        }

        X509Certificate certificate = key.certificate();
        SignatureAlgorithm algorithm = Algorithms.forKey(certificate.getPublicKey(), options.algorithm());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        requireUsable(key, certificate, now, options);
        TokenConnection connection = new TokenConnection(key, certificate);
        int lastPage = pages;
        DSSDocument signed;
        try {
            signed = Dss.call(() -> switch (options.format()) {
            case PADES -> pades(input, options, connection, algorithm, now, lastPage);
            case XADES -> xades(input, options, connection, algorithm, now);
            case CADES -> cades(input, options, connection, algorithm, now);
            });
        } catch (RuntimeException e) {
            throw Failures.map(e, input.toString());
        }
        write(signed, target);
        return new SignResult(output, options.format(), options.level(), now, certificate);
    }

    /**
     * CAdES-BASELINE-B detached written directly with BouncyCastle, as the one-pass PAdES writes its CMS
     * ({@link PadesFast#cms}): the file is read and hashed once while the CMS is generated, the signed attributes are
     * content-type, message-digest, signing-time and signing-certificate-v2 (ETSI EN 319 122-1), the certificates
     * are the key's chain, and the value made on the token is checked against the certificate before it is embedded.
     * DSS's path built the same structure at several times the cost (its services, parameters and certificate
     * sources per call, BENCHMARKS.md); T, LT and LTA, and attached CAdES, still take DSS's path.
     */
    private SignResult cadesDetachedB(Path input, Path output, Path target, SigningKey key, SignOptions options) {
        X509Certificate certificate = key.certificate();
        SignatureAlgorithm algorithm = Algorithms.forKey(certificate.getPublicKey(), options.algorithm());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        requireUsable(key, certificate, now, options);
        TokenConnection connection = new TokenConnection(key, certificate);
        List<X509Certificate> certificates = new ArrayList<>();
        for (CertificateToken token : connection.entry().getCertificateChain()) {
            certificates.add(token.getCertificate());
        }
        byte[] cms;
        try (InputStream in = Files.newInputStream(input)) {
            cms = PadesFast.cms(in, connection, algorithm, certificate, certificates, null, now);
        } catch (IOException e) {
            throw new SignatureException(Reason.IO, "cannot read " + input + ": " + Failures.rootMessage(e), e);
        } catch (SignatureException e) {
            throw e;
        } catch (RuntimeException e) {
            throw Failures.map(e, input.toString());
        }
        writeTo(target, out -> {
            try {
                out.write(cms);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return new SignResult(output, SignatureFormat.CADES, Level.B, now, certificate);
    }

    /**
     * The signing certificate valid at {@code now} and, unless the options say otherwise, not revoked.
     * {@code certificate} is the key's, read from the token once per signature by the caller
     * ({@link SigningKey#certificate()} asks the token at every call).
     */
    private void requireUsable(SigningKey key, X509Certificate certificate, Instant now, SignOptions options) {
        certificateCheck.requireValidAt(certificate, now);
        if (options.checkRevocation()) {
            try {
                Dss.call(() -> {
                    certificateCheck.requireNotRevoked(certificate, key.chain());
                    return null;
                });
            } catch (RuntimeException e) {
                throw Failures.map(e, "the revocation check of the signing certificate");
            }
        }
    }

    /**
     * PAdES without a visible signature, from one parse of the PDF ({@link PadesFast}): B and T are written by
     * PadesFast directly; LT and LTA are that T signature augmented by DSS's own extension (validation data in a DSS
     * dictionary, and for LTA a document time-stamp), as DSS itself does when it signs at those levels; LT in a PDF not
     * signed before gets its DSS dictionary from the CMS without DSS reading the PDF again ({@link PadesLongTerm}).
     * A visible signature still takes DSS's path (its appearance is DSS's).
     */
    private SignResult padesInOnePass(Path input, Path output, Path target, SigningKey key, SignOptions options) {
        X509Certificate certificate = key.certificate();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        int timestampRoom = PadesFast.TIMESTAMP_GUESS;
        for (int attempt = 0;; attempt++) {
            try (PDDocument pdf = Inputs.openPdf(input, options.pdfPassword())) {
                if (options.certify() && !pdf.getSignatureDictionaries().isEmpty()) {
                    throw new SignatureException(Reason.INVALID_OPTIONS, input + " is already signed: a certifying"
                            + " signature must be the first signature of a document (sign it without certification)");
                }
                PadesFast.requireSignable(pdf, input.toString());
                SignatureAlgorithm algorithm = Algorithms.forKey(certificate.getPublicKey(), options.algorithm());
                if (attempt == 0) {
                    requireUsable(key, certificate, now, options);
                }
                TokenConnection connection = new TokenConnection(key, certificate);
                int room = timestampRoom;
                if (options.level() == Level.B || options.level() == Level.T) {
                    writeTo(target, out -> Dss.call(() -> {
                        signOnePass(pdf, out, connection, algorithm, now, options, room);
                        return null;
                    }));
                } else {
                    java.io.ByteArrayOutputStream t = new java.io.ByteArrayOutputStream(
                            (int) Math.min(Integer.MAX_VALUE - 8, Files.size(input) + 65536));
                    boolean first = pdf.getSignatureDictionaries().isEmpty()
                            && !pdf.getDocumentCatalog().getCOSObject().containsKey(DSS_DICTIONARY);
                    DSSDocument extended = Dss.call(() -> {
                        byte[] cms = signOnePass(pdf, t, connection, algorithm, now, options, room);
                        DSSDocument signed = new InMemoryDocument(t.toByteArray(), input.getFileName().toString());
                        CertificateToken signer = connection.entry().getCertificate();
                        CertificateToken[] chain = connection.entry().getCertificateChain();
                        return options.level() == Level.LT && first
                                ? PadesLongTerm.addValidationData(signed, cms, verifier(options, signer, chain),
                                        options.pdfPassword())
                                : extendPades(signed, options, signer, chain);
                    });
                    write(extended, target);
                }
                return new SignResult(output, SignatureFormat.PADES, options.level(), now, certificate);
            } catch (RoomRetry e) {
                if (attempt > 0) {
                    throw new SignatureException(Reason.FAILED, "the CMS signature of " + input + " needs "
                            + e.needed + " bytes, more than reserved", e);
                }
                timestampRoom += e.needed;
            } catch (SignatureException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw Failures.map(e, input.toString());
            }
        }
    }

    /**
     * A signed PDF taken to {@code options.level()} by DSS's extension (validation data; for LTA a document
     * time-stamp): an existing file's signatures, or the one-pass T signature just made with {@code signer}.
     */
    private DSSDocument extendPades(DSSDocument pdf, SignOptions options, CertificateToken signer,
            CertificateToken[] chain) {
        PAdESSignatureParameters parameters = new PAdESSignatureParameters();
        parameters.setSignatureLevel(SignatureLevel.valueOf("PAdES_BASELINE_" + options.level()));
        if (options.pdfPassword() != null) {
            parameters.setPasswordProtection(options.pdfPassword());
        }
        PAdESService service = new PAdESService(verifier(options, signer, chain));
        service.setPdfObjFactory(new PdfBoxNativeObjectFactory());
        service.setTspSource(network.tsa(options.tsaUrl()));
        return service.extendDocument(pdf, parameters);
    }

    /** The catalog's entry of a PDF's document security store (ISO 32000-2, 12.8.4.3). */
    private static final COSName DSS_DICTIONARY = COSName.getPDFName("DSS");

    /** Thrown through {@link #writeTo} when the CMS did not fit: the PDF is signed again with more room. */
    private static final class RoomRetry extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int needed;

        RoomRetry(PadesFast.NotEnoughRoom cause) {
            super(cause.getMessage(), cause);
            this.needed = cause.needed;
        }
    }

    /** Returns the CMS written in the PDF. */
    private byte[] signOnePass(PDDocument pdf, OutputStream out, TokenConnection connection,
            SignatureAlgorithm algorithm, Instant now, SignOptions options, int timestampRoom) {
        WriteWatch watched = new WriteWatch(out);
        try {
            return PadesFast.sign(pdf, watched, connection, algorithm, now, options.certify(),
                    options.level().needsTimestamp() ? network.tsa(options.tsaUrl()) : null, timestampRoom);
        } catch (PadesFast.NotEnoughRoom e) {
            throw new RoomRetry(e);
        } catch (IOException e) {
            if (watched.failed) {
                throw new java.io.UncheckedIOException(e); // the output's file system: "cannot write ..."
            }
            // PDFBox reads the objects it had not needed yet while it saves: a corrupt object shows only now
            throw new SignatureException(Reason.MALFORMED_INPUT, "the PDF is corrupt, it cannot be signed: "
                    + Failures.rootMessage(e), e);
        }
    }

    /** Tells a failure of the output apart from one of the input, both IOExceptions out of PDFBox's save. */
    private static final class WriteWatch extends java.io.FilterOutputStream {
        boolean failed;

        WriteWatch(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }
    }

    private DSSDocument pades(Path input, SignOptions options, TokenConnection connection,
            SignatureAlgorithm algorithm, Instant now, int pages) {
        PAdESSignatureParameters parameters = new PAdESSignatureParameters();
        common(parameters, connection, algorithm, now);
        parameters.setSignatureLevel(SignatureLevel.valueOf("PAdES_BASELINE_" + options.level()));
        parameters.setSignaturePackaging(SignaturePackaging.ENVELOPED);
        parameters.setAppName("Cachet");
        if (options.certify()) {
            parameters.setPermission(CertificationPermission.MINIMAL_CHANGES_PERMITTED);
        }
        if (options.pdfPassword() != null) {
            parameters.setPasswordProtection(options.pdfPassword());
        }
        if (options.visibleSignature() != null) {
            VisibleSignature v = options.visibleSignature();
            int page = v.page() == -1 ? pages : v.page();
            parameters.setImageParameters(appearance(v, page, Inputs.visibleArea(input, options.pdfPassword(), page),
                    connection, now));
        }
        PAdESService service = new CheckedPades(verifier(options, connection.entry().getCertificate(), connection.entry().getCertificateChain()));
        service.setPdfObjFactory(new PdfBoxNativeObjectFactory());
        if (options.level().needsTimestamp()) {
            service.setTspSource(network.tsa(options.tsaUrl()));
        }
        return run(service, new FileDocument(input.toFile()), parameters, connection);
    }

    /**
     * The signature field in DSS's terms: DSS measures from the top left of the page's MediaBox as shown (turned by
     * /Rotate, with {@link VisualSignatureRotation#AUTOMATIC} so the text reads upright); Cachet's positions are
     * inside the visible area (CropBox), and the box must fit in it.
     */
    private static SignatureImageParameters appearance(VisibleSignature visible, int page, Inputs.VisibleArea area,
            TokenConnection connection, Instant now) {
        if (visible.x() + visible.width() > area.width() || visible.y() + visible.height() > area.height()) {
            throw new SignatureException(Reason.INVALID_OPTIONS, String.format(java.util.Locale.ROOT,
                    "the visible signature box (%.0f x %.0f pt at %.0f,%.0f from the %s left) does not fit on page %d,"
                            + " whose visible area is %.0f x %.0f pt%s: give a smaller box or another position",
                    visible.width(), visible.height(), visible.x(), visible.y(), visible.fromBottom() ? "bottom" : "top",
                    page, area.width(), area.height(), area.rotation() == 0 ? "" : " (turned " + area.rotation()
                            + " degrees)"));
        }
        SignatureFieldParameters field = new SignatureFieldParameters();
        field.setPage(page);
        field.setOriginX(area.left() + visible.x());
        field.setOriginY(visible.fromBottom() ? area.top() + area.height() - visible.y() - visible.height()
                : area.top() + visible.y());
        field.setWidth(visible.width());
        field.setHeight(visible.height());
        field.setRotation(VisualSignatureRotation.AUTOMATIC);
        SignatureImageParameters image = new SignatureImageParameters();
        image.setFieldParameters(field);
        String organisation = visible.organisation() != null ? visible.organisation()
                : organisation(connection.entry().getCertificate().getCertificate());
        SignatureImageTextParameters text = new SignatureImageTextParameters();
        if (!visible.text().isEmpty()) {
            // the caller's lines, wrapped and scaled by DSS to fill the box
            text.setText(String.join("\n", visible.text().stream().map(l -> l == null ? "" : l.strip()).toList()));
            text.setTextWrapping(TextWrapping.FILL_BOX_AND_LINEBREAK);
            text.setPadding(4);
        } else {
            text.setText(visible.showDate() ? organisation + "\n" + DATE.format(now) : organisation);
        }
        if (visible.logo() != null) {
            image.setImage(new FileDocument(visible.logo().toFile()));
            text.setSignerTextPosition(SignerTextPosition.RIGHT);
        }
        image.setTextParameters(text);
        return image;
    }

    /** The organisation (O) of the certificate's subject, else its common name, else the whole name. */
    static String organisation(X509Certificate certificate) {
        String name = certificate.getSubjectX500Principal().getName();
        try {
            String cn = null;
            for (Rdn rdn : new LdapName(name).getRdns()) {
                if ("O".equalsIgnoreCase(rdn.getType())) {
                    return String.valueOf(rdn.getValue());
                }
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    cn = String.valueOf(rdn.getValue());
                }
            }
            return cn != null ? cn : name;
        } catch (javax.naming.InvalidNameException e) {
            return name;
        }
    }

    private DSSDocument xades(Path input, SignOptions options, TokenConnection connection,
            SignatureAlgorithm algorithm, Instant now) {
        XAdESSignatureParameters parameters = new XAdESSignatureParameters();
        common(parameters, connection, algorithm, now);
        parameters.setSignatureLevel(SignatureLevel.valueOf("XAdES_BASELINE_" + options.level()));
        parameters.setSignaturePackaging(packaging(options.packaging()));
        XAdESService service = new CheckedXades(verifier(options, connection.entry().getCertificate(), connection.entry().getCertificateChain()));
        if (options.level().needsTimestamp()) {
            service.setTspSource(network.tsa(options.tsaUrl()));
        }
        DSSDocument document;
        if (byDigest(options)) {
            parameters.setReferenceDigestAlgorithm(parameters.getDigestAlgorithm());
            document = digested(input, parameters.getDigestAlgorithm());
        } else {
            document = new FileDocument(input.toFile());
        }
        return run(service, document, parameters, connection);
    }

    private DSSDocument cades(Path input, SignOptions options, TokenConnection connection,
            SignatureAlgorithm algorithm, Instant now) {
        CAdESSignatureParameters parameters = new CAdESSignatureParameters();
        common(parameters, connection, algorithm, now);
        parameters.setSignatureLevel(SignatureLevel.valueOf("CAdES_BASELINE_" + options.level()));
        parameters.setSignaturePackaging(packaging(options.packaging()));
        CAdESService service = new CheckedCades(verifier(options, connection.entry().getCertificate(), connection.entry().getCertificateChain()));
        if (options.level().needsTimestamp()) {
            service.setTspSource(network.tsa(options.tsaUrl()));
        }
        DSSDocument document = byDigest(options)
                ? digested(input, parameters.getDigestAlgorithm()) : new FileDocument(input.toFile());
        return run(service, document, parameters, connection);
    }

    /** Detached, below LTA: the archive time-stamp of LTA covers the signed data itself, so DSS needs the file. */
    private static boolean byDigest(SignOptions options) {
        return options.packaging() == Packaging.DETACHED && options.level() != Level.LTA;
    }

    /**
     * The input of a detached signature as DSS needs it: its name, type and digest. Given a file, DSS reads and
     * hashes it twice with BouncyCastle's pure-Java digests (measured 6x slower than the JDK's, see
     * BENCHMARKS.md); here it is read once, streamed through the JDK's own implementation.
     */
    static DigestDocument digested(Path input, DigestAlgorithm digest) {
        String name = input.getFileName().toString();
        try (InputStream in = Files.newInputStream(input)) {
            MessageDigest md = MessageDigest.getInstance(digest.getJavaName(), "SUN");
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                md.update(buffer, 0, n);
            }
            return new DigestDocument(digest, md.digest(), name, mimeType(name));
        } catch (IOException e) {
            throw new SignatureException(Reason.IO, "cannot read " + input + ": " + Failures.rootMessage(e), e);
        } catch (java.security.GeneralSecurityException e) {
            throw new SignatureException(Reason.FAILED, "digest " + digest + " is not available", e);
        }
    }

    private static final java.util.Map<String, MimeType> MIME_TYPES = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * DSS's MIME type of a file name, looked up once per extension: DSS's own look-up goes through every MIME type
     * it knows at each call (~3 % of a detached XAdES-B signature of a 1 MiB file, profiled).
     */
    static MimeType mimeType(String name) {
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
        MimeType known = MIME_TYPES.get(extension);
        if (known != null) {
            return known;
        }
        MimeType type = MimeType.fromFileName(name);
        if (MIME_TYPES.size() < 1024) { // bounded: extensions are few, names come from users
            MIME_TYPES.put(extension, type);
        }
        return type;
    }

    private static SignaturePackaging packaging(Packaging packaging) {
        return switch (packaging) {
        case ENVELOPED -> SignaturePackaging.ENVELOPED;
        case ENVELOPING -> SignaturePackaging.ENVELOPING;
        case DETACHED -> SignaturePackaging.DETACHED;
        };
    }

    private static void common(AbstractSignatureParameters<?> parameters, TokenConnection connection,
            SignatureAlgorithm algorithm, Instant now) {
        parameters.setSigningCertificate(connection.entry().getCertificate());
        parameters.setCertificateChain(connection.entry().getCertificateChain());
        parameters.setDigestAlgorithm(Algorithms.digest(algorithm));
        parameters.setEncryptionAlgorithm(Algorithms.encryption(algorithm));
        parameters.bLevel().setSigningDate(Date.from(now));
    }

    /**
     * The three DSS steps, with the signature value checked against the certificate before it is embedded
     * ({@link SignatureValueCheck}, with a key kept per certificate, instead of DSS's isValidSignatureValue which
     * converts the key at every call).
     */
    private static <P extends AbstractSignatureParameters<?>> DSSDocument run(
            DocumentSignatureService<P, ?> service, DSSDocument document, P parameters, TokenConnection connection) {
        ToBeSigned toBeSigned = service.getDataToSign(document, parameters);
        SignatureValue value = connection.sign(toBeSigned, parameters.getSignatureAlgorithm(), connection.entry());
        SignatureValueCheck.require(parameters.getSigningCertificate().getCertificate(),
                Algorithms.toToken(parameters.getSignatureAlgorithm()), toBeSigned.getBytes(), value.getValue());
        return service.signDocument(document, parameters, value);
    }

    /**
     * What DSS uses to gather certificates and revocation data: the key's chain, the trust anchors of the options
     * (else the key's issuer certificates: the signer trusts its own CA), and OCSP, CRL and AIA over HTTP.
     */
    private CommonCertificateVerifier verifier(SignOptions options, CertificateToken signing,
            CertificateToken[] keyChain) {
        CommonCertificateVerifier verifier = new CommonCertificateVerifier();
        verifier.setAIASource(network.aia());
        verifier.setOcspSource(network.ocsp());
        verifier.setCrlSource(network.crl());
        CommonCertificateSource adjunct = new CommonCertificateSource();
        List<CertificateToken> anchors = new ArrayList<>();
        for (CertificateToken c : keyChain) {
            adjunct.addCertificate(c);
            if (options.trustAnchors().isEmpty() && c != signing) {
                anchors.add(c);
            }
        }
        for (X509Certificate c : options.trustAnchors()) {
            anchors.add(new CertificateToken(c));
        }
        CommonTrustedCertificateSource trusted = new CommonTrustedCertificateSource();
        anchors.forEach(trusted::addCertificate);
        verifier.setTrustedCertSources(trusted);
        verifier.setAdjunctCertSources(adjunct);
        if (anchors.isEmpty()) {
            verifier.setCheckRevocationForUntrustedChains(true);
        }
        return verifier;
    }

    private static void write(DSSDocument signed, Path target) {
        writeTo(target, out -> Dss.call(() -> {
            try {
                signed.writeTo(out);
                return null;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
    }

    /**
     * Writes {@code target} through a hidden temporary file in its folder, moved over it only once complete: a
     * failure leaves an existing file alone.
     */
    private static void writeTo(Path target, java.util.function.Consumer<OutputStream> writer) {
        Path temp = null;
        try {
            temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
            try (OutputStream out = Files.newOutputStream(temp)) {
                writer.accept(out);
            }
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (RoomRetry e) {
            throw e;
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new SignatureException(Reason.IO, "cannot write " + target + ": " + Failures.rootMessage(e), e);
        } catch (RuntimeException e) {
            throw Failures.map(e, target.toString());
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: the temporary file is hidden and named .part
                }
            }
        }
    }

    /*
     * DSS's signing services without their own check of the signing certificate, which they make in getDataToSign
     * and again in signDocument by building a whole validation context (the chain, an offline copy of the verifier,
     * revocation sources consulted): ~16 % of a XAdES-B detached signature of a 1 MiB file (JFR). requireUsable made
     * that check before the DSS steps, with Cachet's own errors: the certificate valid at the signing time, and not
     * revoked unless the options say not to look. DSS's checks of an augmentation (T, LT, LTA) are unchanged.
     */

    private static final class CheckedXades extends XAdESService {
        CheckedXades(CommonCertificateVerifier verifier) {
            super(verifier);
        }

        @Override
        protected void assertSigningCertificateValid(AbstractSignatureParameters<?> parameters) {
            // checked by requireUsable
        }
    }

    private static final class CheckedCades extends CAdESService {
        CheckedCades(CommonCertificateVerifier verifier) {
            super(verifier);
        }

        @Override
        protected void assertSigningCertificateValid(AbstractSignatureParameters<?> parameters) {
            // checked by requireUsable
        }
    }

    private static final class CheckedPades extends PAdESService {
        CheckedPades(CommonCertificateVerifier verifier) {
            super(verifier);
        }

        @Override
        protected void assertSigningCertificateValid(AbstractSignatureParameters<?> parameters) {
            // checked by requireUsable
        }
    }
}
