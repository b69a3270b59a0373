package io.cachet.signature.internal;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.TimeZone;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.ExternalSigningSupport;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuerSerial;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAttributeTableGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.CMSTypedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationStore;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.Store;

import eu.europa.esig.dss.model.Digest;
import eu.europa.esig.dss.model.TimestampBinary;
import eu.europa.esig.dss.spi.x509.tsp.TSPSource;
import io.cachet.api.signature.SignatureException;
import io.cachet.api.signature.SignatureException.Reason;
import io.cachet.api.token.SignatureAlgorithm;

/**
 * PAdES-BASELINE-B and -T written in one pass: the PDF is parsed once (by the caller, who checked it on the same
 * {@link PDDocument}), saved once as an incremental update with PDFBox's external signing, and the CMS is written at
 * the offset PDFBox reserved for it. EU DSS's own PAdES path parses the PDF several times and, to insert the CMS,
 * copies the whole signed PDF byte by byte looking for the placeholder (PAdESUtils.replaceSignature, ~90 % of its
 * time); neither is needed when the offset is known.
 *
 * <p>The signature dictionary is the one DSS writes for PAdES: /Filter Adobe.PPKLite, /SubFilter
 * ETSI.CAdES.detached, the signing time in /M (a PAdES baseline CMS carries no signing-time attribute), /Prop_Build
 * naming the application, and a DocMDP transform for a certifying signature. The CMS is built with BouncyCastle:
 * SignedData over id-data without content, the signing certificate and its chain, signed attributes content-type,
 * message-digest and signing-certificate-v2 (ETSI EN 319 122-1), and for T the signature time-stamp as the unsigned
 * attribute id-aa-signatureTimeStampToken. The key stays on its token: the signed attributes are hashed here and the
 * token signs the digest ({@link TokenConnection}); the value is checked against the certificate before it is
 * embedded.
 */
final class PadesFast {
    /** Room for everything in the CMS but the certificates and the time-stamp token (attributes, signature). */
    private static final int CMS_OVERHEAD = 2048;
    /** First guess for a time-stamp token (it carries the TSA's certificates); retried larger when it is not. */
    static final int TIMESTAMP_GUESS = 8192;
    private static final Map<X509Certificate, Attribute> SIGNING_CERTIFICATES = new ConcurrentHashMap<>();
    private static final Map<List<X509Certificate>, Store<X509CertificateHolder>> STORES = new ConcurrentHashMap<>();

    private PadesFast() {
    }

    /**
     * Refuses a PDF whose permissions forbid adding a signature: an encryption dictionary that allows neither
     * annotations nor form filling, or a certification (DocMDP) that allows no change at all.
     */
    static void requireSignable(PDDocument pdf, String what) {
        if (pdf.isEncrypted()) {
            AccessPermission permission = pdf.getCurrentAccessPermission();
            if (!permission.isOwnerPermission() && !permission.canModifyAnnotations() && !permission.canFillInForm()) {
                throw new SignatureException(Reason.INVALID_OPTIONS, what + " forbids modification (its permissions"
                        + " allow neither form filling nor annotations, so no signature can be added)");
            }
        }
        if (docMdpPermission(pdf) == 1) {
            throw new SignatureException(Reason.INVALID_OPTIONS, what + " forbids modification: it is certified with"
                    + " no changes permitted (DocMDP P=1), a further signature would break its certification");
        }
    }

    /** The P value of the document's certification (DocMDP), or 0 when it is not certified. */
    static int docMdpPermission(PDDocument pdf) {
        COSDictionary perms = pdf.getDocumentCatalog().getCOSObject().getCOSDictionary(COSName.PERMS);
        COSDictionary certification = perms == null ? null : perms.getCOSDictionary(COSName.DOCMDP);
        if (certification == null) {
            return 0;
        }
        COSArray references = certification.getCOSArray(COSName.getPDFName("Reference"));
        if (references == null) {
            return 0;
        }
        for (int i = 0; i < references.size(); i++) {
            if (references.getObject(i) instanceof COSDictionary reference
                    && COSName.DOCMDP.equals(reference.getCOSName(COSName.getPDFName("TransformMethod")))) {
                COSDictionary params = reference.getCOSDictionary(COSName.getPDFName("TransformParams"));
                int p = params == null ? 2 : params.getInt(COSName.P, 2);
                return p < 1 || p > 3 ? 2 : p;
            }
        }
        return 0;
    }

    /**
     * Signs {@code pdf} (loaded from its file, checked by the caller) into {@code out} and closes nothing.
     *
     * @param tsa the time-stamp authority for level T, {@code null} for B
     * @param timestampRoom bytes reserved for the time-stamp token ({@link #TIMESTAMP_GUESS} at first)
     * @return the CMS signature written in the PDF
     * @throws NotEnoughRoom when the CMS came out larger than the room reserved: nothing usable was written
     */
    static byte[] sign(PDDocument pdf, OutputStream out, TokenConnection connection, SignatureAlgorithm algorithm,
            Instant now, boolean certify, TSPSource tsa, int timestampRoom) throws IOException {
        X509Certificate certificate = connection.entry().getCertificate().getCertificate();
        List<X509Certificate> certificates = new ArrayList<>();
        int certificateBytes = 0;
        for (var token : connection.entry().getCertificateChain()) {
            certificates.add(token.getCertificate());
            certificateBytes += token.getEncoded().length;
        }
        int reserved = certificateBytes + CMS_OVERHEAD + (tsa == null ? 0 : timestampRoom);

        PDSignature signature = new PDSignature();
        signature.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
        signature.setSubFilter(PDSignature.SUBFILTER_ETSI_CADES_DETACHED);
        Calendar when = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
        when.setTimeInMillis(now.toEpochMilli());
        signature.setSignDate(when);
        COSDictionary app = new COSDictionary();
        app.setName(COSName.NAME, "Cachet");
        COSDictionary build = new COSDictionary();
        build.setItem(COSName.getPDFName("App"), app);
        signature.getCOSObject().setItem(COSName.getPDFName("Prop_Build"), build);
        if (certify) {
            certify(pdf, signature);
        }
        try (SignatureOptions signatureOptions = new SignatureOptions()) {
            signatureOptions.setPreferredSignatureSize(reserved);
            pdf.addSignature(signature, signatureOptions);
            BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 16);
            ExternalSigningSupport external = pdf.saveIncrementalForExternalSigning(buffered);
            byte[] cms;
            try (InputStream content = external.getContent()) {
                cms = cms(content, connection, algorithm, certificate, certificates, tsa);
            }
            if (cms.length > reserved) {
                throw new NotEnoughRoom(cms.length);
            }
            external.setSignature(cms);
            buffered.flush();
            return cms;
        }
    }

    /** The CMS was larger than the room reserved for it in the PDF; the caller signs again with more room. */
    static final class NotEnoughRoom extends IOException {
        private static final long serialVersionUID = 1L;
        final int needed;

        NotEnoughRoom(int needed) {
            super("the CMS signature needs " + needed + " bytes, more than the room reserved in the PDF");
            this.needed = needed;
        }
    }

    /**
     * A certifying signature, as ISO 32000 describes it: a DocMDP transform in the signature's /Reference allowing
     * form filling and signing (P=2), and the signature named in the catalog's /Perms.
     */
    private static void certify(PDDocument pdf, PDSignature signature) {
        COSDictionary params = new COSDictionary();
        params.setItem(COSName.TYPE, COSName.getPDFName("TransformParams"));
        params.setInt(COSName.P, 2);
        params.setName(COSName.V, "1.2");
        COSDictionary reference = new COSDictionary();
        reference.setItem(COSName.TYPE, COSName.getPDFName("SigRef"));
        reference.setItem(COSName.getPDFName("TransformMethod"), COSName.DOCMDP);
        reference.setItem(COSName.getPDFName("TransformParams"), params);
        COSArray references = new COSArray();
        references.add(reference);
        signature.getCOSObject().setItem(COSName.getPDFName("Reference"), references);
        COSDictionary catalog = pdf.getDocumentCatalog().getCOSObject();
        COSDictionary perms = catalog.getCOSDictionary(COSName.PERMS);
        if (perms == null) {
            perms = new COSDictionary();
            catalog.setItem(COSName.PERMS, perms);
        }
        perms.setItem(COSName.DOCMDP, signature);
        perms.setNeedToBeUpdated(true);
        catalog.setNeedToBeUpdated(true);
    }

    /** The detached CMS over {@code content} (the PDF's byte ranges), DER-encoded. */
    static byte[] cms(InputStream content, TokenConnection connection, SignatureAlgorithm algorithm,
            X509Certificate certificate, List<X509Certificate> certificates, TSPSource tsa) {
        return cms(content, connection, algorithm, certificate, certificates, tsa, null);
    }

    /**
     * The detached CMS over {@code content}, DER-encoded, with the signing-time attribute when {@code signingTime}
     * is given: PAdES leaves it out (the time is the signature dictionary's /M), CAdES-BASELINE-B requires it
     * (ETSI EN 319 122-1, 5.2.1). The content is streamed once through the JDK's digest.
     */
    static byte[] cms(InputStream content, TokenConnection connection, SignatureAlgorithm algorithm,
            X509Certificate certificate, List<X509Certificate> certificates, TSPSource tsa, Instant signingTime) {
        try {
            TokenSigner signer = new TokenSigner(connection, algorithm, certificate);
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().build()) // the JDK's own digests: BC's pure Java is slower
                    .setSignedAttributeGenerator(new BaselineAttributes(certificate, signingTime))
                    .build(signer, certificate));
            generator.addCertificates(certificateStore(certificates));
            CMSSignedData signed = generator.generate(new Streamed(content), false);
            if (tsa != null) {
                signed = withSignatureTimestamp(signed, tsa, algorithm);
            }
            return signed.getEncoded(ASN1Encoding.DER);
        } catch (OperatorCreationException | CMSException | CertificateEncodingException e) {
            throw new SignatureException(Reason.FAILED, "the CMS signature could not be built: "
                    + Failures.rootMessage(e), e);
        } catch (IOException e) {
            throw new SignatureException(Reason.IO, "cannot read the content to sign: " + Failures.rootMessage(e), e);
        }
    }

    /**
     * The certificates for the CMS as BouncyCastle holds them, made once per chain (their parsing was ~2 % of a
     * CAdES-B detached signature of a 1 MiB file); the store is read-only and shared.
     */
    private static Store<X509CertificateHolder> certificateStore(List<X509Certificate> certificates)
            throws CertificateEncodingException {
        Store<X509CertificateHolder> cached = STORES.get(certificates);
        if (cached != null) {
            return cached;
        }
        Store<X509CertificateHolder> made = new JcaCertStore(certificates);
        if (STORES.size() >= 256) {
            STORES.clear(); // bounded, as above
        }
        STORES.put(List.copyOf(certificates), made);
        return made;
    }

    /** Adds the time-stamp of the signature value (ETSI EN 319 122-1 signature-time-stamp) as unsigned attribute. */
    private static CMSSignedData withSignatureTimestamp(CMSSignedData signed, TSPSource tsa,
            SignatureAlgorithm algorithm) throws IOException {
        SignerInformation info = signed.getSignerInfos().getSigners().iterator().next();
        var digestAlgorithm = Algorithms.digest(algorithm);
        byte[] digest = TokenConnection.hash(digestAlgorithm, info.getSignature());
        TimestampBinary token = tsa.getTimeStampResponse(digestAlgorithm, digest);
        if (token == null) {
            throw new SignatureException(Reason.FAILED, "the time-stamp authority gave no time-stamp");
        }
        Attribute attribute = new Attribute(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken,
                new DERSet(ASN1Primitive.fromByteArray(token.getBytes())));
        SignerInformation stamped = SignerInformation.replaceUnsignedAttributes(info,
                new AttributeTable(new DERSet(attribute)));
        return CMSSignedData.replaceSigners(signed, new SignerInformationStore(stamped));
    }

    /**
     * content-type, message-digest and signing-certificate-v2, and signing-time when given (CAdES; PAdES puts the
     * time in /M).
     */
    private static final class BaselineAttributes implements CMSAttributeTableGenerator {
        private final Attribute signingCertificate;
        private final Attribute signingTime;

        BaselineAttributes(X509Certificate certificate, Instant signingTime) throws CertificateEncodingException {
            this.signingTime = signingTime == null ? null : new Attribute(CMSAttributes.signingTime,
                    new DERSet(new Time(java.util.Date.from(signingTime))));
            this.signingCertificate = signingCertificateAttribute(certificate);
        }

        /** The ESS signing-certificate-v2 of {@code certificate} (SHA-256 and issuer-serial), made once per certificate. */
        private static Attribute signingCertificateAttribute(X509Certificate certificate)
                throws CertificateEncodingException {
            Attribute cached = SIGNING_CERTIFICATES.get(certificate);
            if (cached != null) {
                return cached;
            }
            byte[] hash = TokenConnection.hash(eu.europa.esig.dss.enumerations.DigestAlgorithm.SHA256,
                    certificate.getEncoded());
            IssuerSerial issuerSerial = new IssuerSerial(new GeneralNames(new GeneralName(
                    X500Name.getInstance(certificate.getIssuerX500Principal().getEncoded()))),
                    certificate.getSerialNumber());
            Attribute made = new Attribute(PKCSObjectIdentifiers.id_aa_signingCertificateV2, new DERSet(
                    new SigningCertificateV2(new ESSCertIDv2[] { new ESSCertIDv2(hash, issuerSerial) })));
            if (SIGNING_CERTIFICATES.size() >= 256) {
                SIGNING_CERTIFICATES.clear(); // bounded: a platform signs with a few seal keys, not thousands
            }
            SIGNING_CERTIFICATES.put(certificate, made);
            return made;
        }

        @Override
        public AttributeTable getAttributes(@SuppressWarnings("rawtypes") Map parameters) {
            ASN1EncodableVector attributes = new ASN1EncodableVector();
            attributes.add(new Attribute(CMSAttributes.contentType,
                    new DERSet((ASN1ObjectIdentifier) parameters.get(CMSAttributeTableGenerator.CONTENT_TYPE))));
            attributes.add(new Attribute(CMSAttributes.messageDigest,
                    new DERSet(new DEROctetString((byte[]) parameters.get(CMSAttributeTableGenerator.DIGEST)))));
            if (signingTime != null) {
                attributes.add(signingTime);
            }
            attributes.add(signingCertificate);
            return new AttributeTable(attributes);
        }
    }

    /** The PDF's byte ranges as id-data content, streamed once into the digest. */
    private static final class Streamed implements CMSTypedData {
        private final InputStream content;

        Streamed(InputStream content) {
            this.content = content;
        }

        @Override
        public ASN1ObjectIdentifier getContentType() {
            return CMSObjectIdentifiers.data;
        }

        @Override
        public void write(OutputStream out) throws IOException {
            // 64 KiB at a time: InputStream.transferTo's 8 KiB made a 1 MiB file cost ~25 % more than one read
            byte[] buffer = new byte[1 << 16];
            for (int n = content.read(buffer); n >= 0; n = content.read(buffer)) {
                out.write(buffer, 0, n);
            }
        }

        @Override
        public Object getContent() {
            return content;
        }
    }

    /**
     * BouncyCastle's view of the token: collects the DER signed attributes, hashes them with the JDK and has the
     * token sign the digest; the value must verify with the certificate's public key.
     */
    private static final class TokenSigner implements ContentSigner {
        private final TokenConnection connection;
        private final SignatureAlgorithm algorithm;
        private final X509Certificate certificate;
        private final AlgorithmIdentifier identifier;
        private final ByteArrayOutputStream toBeSigned = new ByteArrayOutputStream(512);

        TokenSigner(TokenConnection connection, SignatureAlgorithm algorithm, X509Certificate certificate) {
            this.connection = connection;
            this.algorithm = algorithm;
            this.certificate = certificate;
            this.identifier = new DefaultSignatureAlgorithmIdentifierFinder().find(SignatureValueCheck.jcaName(algorithm));
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return identifier;
        }

        @Override
        public OutputStream getOutputStream() {
            return toBeSigned;
        }

        @Override
        public byte[] getSignature() {
            byte[] data = toBeSigned.toByteArray();
            var dssAlgorithm = Algorithms.toDss(algorithm);
            byte[] digest = TokenConnection.hash(dssAlgorithm.getDigestAlgorithm(), data);
            byte[] value = connection.signDigest(new Digest(dssAlgorithm.getDigestAlgorithm(), digest), dssAlgorithm,
                    connection.entry()).getValue();
            SignatureValueCheck.require(certificate, algorithm, data, value);
            return value;
        }
    }
}
