package io.cachet.delivery.cloud.internal.sign;

import static io.cachet.api.store.Columns.instant;
import static io.cachet.api.store.Columns.time;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.PlatformSealKey;
import io.cachet.api.issuance.CloudSigningKeys;
import io.cachet.api.issuance.IssuanceException;
import io.cachet.api.issuance.OrderCertificates;
import io.cachet.api.security.DataKeyCipher;
import io.cachet.api.security.Digests;
import io.cachet.api.signature.Level;
import io.cachet.api.signature.SignOptions;
import io.cachet.api.signature.SignResult;
import io.cachet.api.signature.SignatureException;
import io.cachet.api.signature.Signer;
import io.cachet.api.signature.SigningKey;
import io.cachet.api.signature.VisibleSignature;
import io.cachet.api.store.Database;
import io.cachet.delivery.cloud.internal.AuthOutcome;
import io.cachet.delivery.cloud.internal.HolderAccess;
import io.cachet.delivery.cloud.internal.HolderSession;
import io.cachet.delivery.cloud.internal.sign.ClickCertException.Kind;
import io.cachet.delivery.cloud.internal.sign.Document.State;

/**
 * Click&amp;Cert: a holder's PDFs sealed with their cloud seal. Uploaded documents are checked (PDF only, within the
 * limit, opening with PDFBox, their password asked for when encrypted) and stored encrypted with their own data key
 * ({@link DataKeyCipher}, purpose {@value #KEY_PURPOSE}); signing needs the holder's session <em>and</em> a
 * re-authentication in the same call ({@link HolderAccess#confirm}), the seal of one of the holder's orders, and the
 * hash the holder was shown; the original is then dropped, the signed PDF kept encrypted for re-download until the
 * history's period ends, then purged with its data key. Every change and refusal is audited (hashes, never contents
 * nor credentials). Plain Java, thread-safe.
 */
public final class ClickCertService {

    /** The {@link io.cachet.api.security.SecretVault} purpose the documents' data keys are sealed under. */
    public static final String KEY_PURPOSE = "clickcert.document-key";
    static final String MODULE = "clickcert";
    private static final Logger LOG = LoggerFactory.getLogger(ClickCertService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HISTORY_LIMIT = 500;
    private static final int PENDING_LIMIT = 20;
    /** How long a signature may take before its claim on the document lapses (a crash while signing). */
    static final int CLAIM_MINUTES = 10;
    private static final String COLUMNS = "id, holder_id, file_name, size, sha256, pages, encrypted, state, order_id,"
            + " signed_sha256, signed_size, level, signed_at, created_at, purge_at";

    /** What {@link #sign} needs besides the session and the document. */
    public record SignRequest(String orderId, char[] password, String factorKind, String factorResponse,
            String sha256, Placement placement) {
    }

    private final Database database;
    private final AuditLog audit;
    private final DataKeyCipher cipher;
    private final HolderAccess access;
    private final Supplier<OrderCertificates> certificates;
    private final Supplier<CloudSigningKeys> keys;
    private final Supplier<Signer> signer;
    private final Supplier<PlatformSealKey> platform;
    private final Supplier<ClickCertSettings> settings;
    private volatile Supplier<io.cachet.api.order.Orders> orders = () -> null;
    private final Clock clock;
    private final Path tmp;

    /**
     * @param cipher the documents' cipher, on purpose {@value #KEY_PURPOSE}
     * @param certificates the orders' certificates (the seal list); null from the supplier while missing
     * @param keys the cloud keys; null while missing (signing answers "try again later")
     * @param signer the signer; null while missing
     * @param platform the platform seal key's TSA and trust anchors; null while missing (levels T and above wait)
     * @param tmp where the PDF being signed is written for the signer, in a private folder removed afterwards
     */
    public ClickCertService(Database database, AuditLog audit, DataKeyCipher cipher, HolderAccess access,
            Supplier<OrderCertificates> certificates, Supplier<CloudSigningKeys> keys, Supplier<Signer> signer,
            Supplier<PlatformSealKey> platform, Supplier<ClickCertSettings> settings, Clock clock, Path tmp) {
        this.database = Objects.requireNonNull(database);
        this.audit = Objects.requireNonNull(audit);
        this.cipher = Objects.requireNonNull(cipher);
        if (!KEY_PURPOSE.equals(cipher.purpose())) {
            throw new IllegalArgumentException("Click&Cert's cipher must seal its keys for " + KEY_PURPOSE);
        }
        this.access = Objects.requireNonNull(access);
        this.certificates = Objects.requireNonNull(certificates);
        this.keys = Objects.requireNonNull(keys);
        this.signer = Objects.requireNonNull(signer);
        this.platform = Objects.requireNonNull(platform);
        this.settings = Objects.requireNonNull(settings);
        this.clock = Objects.requireNonNull(clock);
        this.tmp = Objects.requireNonNull(tmp);
    }

    /** Creates or updates Click&amp;Cert's tables. */
    public static void migrate(Database database) {
        database.migrate(MODULE, ClickCertService.class.getClassLoader(), "db/clickcert");
    }

    public ClickCertSettings settings() {
        return settings.get();
    }

    /** Where the orders are read from (the pages' brand); none by default. */
    void orders(Supplier<io.cachet.api.order.Orders> orders) {
        this.orders = Objects.requireNonNull(orders);
    }

    /**
     * The brand the holder's pages are shown in: that of their newest cloud order (a reseller's order keeps its
     * reseller's brand); empty for the active brand.
     */
    public Optional<String> brand(String holderId) {
        io.cachet.api.order.Orders o = orders.get();
        if (o == null) {
            return Optional.empty();
        }
        try {
            for (String id : access.orderIds(holderId)) {
                Optional<String> b = o.find(id).map(io.cachet.api.order.Order::brand).filter(x -> !x.isBlank());
                if (b.isPresent()) {
                    return b;
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("The brand of a holder's orders could not be read: {}", e.toString());
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ seals

    /** The holder's cloud seals, newest order first. */
    public List<Seal> seals(String holderId) {
        OrderCertificates c = certificates.get();
        if (c == null) {
            throw unavailable();
        }
        Instant now = clock.instant();
        List<Seal> l = new ArrayList<>();
        for (String orderId : access.orderIds(holderId)) {
            Optional<IssuedCertificate> issued = c.find(orderId);
            if (issued.isEmpty()) {
                l.add(new Seal(orderId, null, null, null, null, Seal.Status.PENDING, null, null));
                continue;
            }
            IssuedCertificate ic = issued.get();
            X509Certificate x = ic.certificate();
            Seal.Status status;
            if (ic.revoked()) {
                status = Seal.Status.REVOKED;
            } else if (now.isBefore(x.getNotBefore().toInstant())) {
                status = Seal.Status.NOT_YET_VALID;
            } else if (now.isAfter(x.getNotAfter().toInstant())) {
                status = Seal.Status.EXPIRED;
            } else {
                status = Seal.Status.VALID;
            }
            X500Name subject = X500Name.getInstance(x.getSubjectX500Principal().getEncoded());
            l.add(new Seal(orderId, rdn(subject, BCStyle.CN), rdn(subject, BCStyle.O), x.getNotBefore().toInstant(),
                    x.getNotAfter().toInstant(), status, ic.serialHex(), ic.revocation().orElse(null)));
        }
        return l;
    }

    private static String rdn(X500Name name, ASN1ObjectIdentifier type) {
        RDN[] rdns = name.getRDNs(type);
        return rdns.length == 0 ? null : IETFUtils.valueToString(rdns[0].getFirst().getValue());
    }

    // ------------------------------------------------------------------ upload

    /**
     * Stores a PDF the holder uploaded: {@link State#UPLOADED}, or {@link State#LOCKED} for an encrypted PDF whose
     * password is still to be given ({@link #unlock}). Refusals are audited and store nothing.
     */
    public Document upload(HolderSession session, String fileName, byte[] content) {
        String holderId = session.holder().id();
        ClickCertSettings s = settings.get();
        long size = content == null ? 0 : content.length;
        if (size > s.maxUploadBytes()) {
            throw refusedUpload(session, "too-large", size, new ClickCertException(Kind.TOO_LARGE, "The document is"
                    + " larger than the " + s.maxUploadMegabytes() + " MB accepted; upload a smaller PDF.",
                    s.maxUploadMegabytes()));
        }
        PdfFiles.Check check = PdfFiles.check(content, null);
        switch (check.outcome()) {
            case NOT_PDF -> throw refusedUpload(session, "not-pdf", size, new ClickCertException(Kind.NOT_PDF,
                    "Only PDF documents can be sealed in the cloud space; this file is not a PDF."));
            case CORRUPT, WRONG_PASSWORD -> throw refusedUpload(session, "corrupt", size, new ClickCertException(
                    Kind.CORRUPT, "This PDF is damaged and cannot be opened; save it again from its application"
                            + " and upload it again."));
            default -> {
                // OPENED or LOCKED: stored
            }
        }
        if (pending(holderId) >= PENDING_LIMIT) {
            throw refusedUpload(session, "too-many", size, new ClickCertException(Kind.TOO_MANY_PENDING,
                    "You have " + PENDING_LIMIT + " documents waiting to be signed; sign or remove some first.",
                    PENDING_LIMIT));
        }
        String id = UUID.randomUUID().toString();
        String name = cleanName(fileName);
        String sha = Digests.sha256Hex(content);
        boolean locked = check.outcome() == PdfFiles.Outcome.LOCKED;
        Instant now = clock.instant();
        Instant purgeAt = now.plus(s.pending());
        String key = cipher.newSealedKeyText();
        byte[] blob = cipher.encrypt(key, what(id, "original"), aad(id, "original"), content);
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO clickcert_document (id, holder_id, file_name,"
                    + " size, sha256, pages, encrypted, state, data_key, original, upload_session_id, created_at,"
                    + " purge_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, holderId);
                ps.setString(3, name);
                ps.setLong(4, size);
                ps.setString(5, sha);
                ps.setInt(6, check.pages());
                ps.setBoolean(7, locked || check.encrypted());
                ps.setString(8, (locked ? State.LOCKED : State.UPLOADED).name());
                ps.setString(9, key);
                ps.setBytes(10, blob);
                ps.setString(11, session.id());
                ps.setObject(12, time(now));
                ps.setObject(13, time(purgeAt));
                ps.executeUpdate();
            }
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("document", id);
            d.put("sha256", sha);
            d.put("size", size);
            d.put("pages", check.pages());
            d.put("passwordRequired", locked);
            d.put("session", session.id());
            audit(actor(holderId), "clickcert.uploaded", subject(id), d);
            return byId(c, id).orElseThrow();
        });
    }

    /** The password of a {@link State#LOCKED} document: kept encrypted with it until it is signed or purged. */
    public Document unlock(HolderSession session, String documentId, char[] password) {
        String holderId = session.holder().id();
        try {
            Stored st = stored(holderId, documentId);
            if (st.doc().state() != State.LOCKED) {
                return st.doc();
            }
            if (password == null || password.length == 0) {
                throw new ClickCertException(Kind.PASSWORD_REQUIRED, "This PDF is protected by a password; give its"
                        + " password to open it.");
            }
            byte[] original = cipher.decrypt(st.dataKey(), what(documentId, "original"), aad(documentId, "original"),
                    st.original());
            PdfFiles.Check check;
            try {
                check = PdfFiles.check(original, password);
            } finally {
                Arrays.fill(original, (byte) 0);
            }
            if (check.outcome() != PdfFiles.Outcome.OPENED) {
                audit(actor(holderId), "clickcert.unlock.refused", subject(documentId), Map.of("document",
                        documentId, "reason", check.outcome().name().toLowerCase(Locale.ROOT)));
                if (check.outcome() == PdfFiles.Outcome.WRONG_PASSWORD) {
                    throw new ClickCertException(Kind.WRONG_PDF_PASSWORD, "The PDF's password is wrong; type it"
                            + " again.");
                }
                throw new ClickCertException(Kind.CORRUPT, "This PDF is damaged and cannot be opened; save it again"
                        + " from its application and upload it again.");
            }
            byte[] pw = new String(password).getBytes(StandardCharsets.UTF_8);
            byte[] sealedPassword;
            try {
                sealedPassword = cipher.encrypt(st.dataKey(), what(documentId, "password"), aad(documentId,
                        "password"), pw);
            } finally {
                Arrays.fill(pw, (byte) 0);
            }
            return database.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE clickcert_document SET state = ?, pages = ?,"
                        + " pdf_password = ? WHERE id = ? AND state = ?")) {
                    ps.setString(1, State.UPLOADED.name());
                    ps.setInt(2, check.pages());
                    ps.setBytes(3, sealedPassword);
                    ps.setString(4, documentId);
                    ps.setString(5, State.LOCKED.name());
                    if (ps.executeUpdate() == 1) {
                        audit(actor(holderId), "clickcert.unlocked", subject(documentId), Map.of("document",
                                documentId, "pages", check.pages(), "session", session.id()));
                    }
                }
                return byId(c, documentId).orElseThrow();
            });
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    /** The holder's document, if it is theirs. */
    public Optional<Document> find(String holderId, String documentId) {
        if (!validId(documentId)) {
            return Optional.empty();
        }
        return database.inTransaction(c -> byId(c, documentId)).filter(d -> d.holderId().equals(holderId));
    }

    /** The holder's documents, newest first (at most {@value #HISTORY_LIMIT}). */
    public List<Document> history(String holderId) {
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM clickcert_document WHERE"
                    + " holder_id = ? ORDER BY created_at DESC, id")) {
                ps.setString(1, holderId);
                ps.setMaxRows(HISTORY_LIMIT);
                try (ResultSet rs = ps.executeQuery()) {
                    List<Document> l = new ArrayList<>();
                    while (rs.next()) {
                        l.add(document(rs));
                    }
                    return l;
                }
            }
        });
    }

    /** A picture of page {@code page} (1 for the first) of an unsigned document, for placing the visible seal. */
    public PdfFiles.Preview preview(String holderId, String documentId, int page) {
        return preview(holderId, documentId, page, null);
    }

    /** {@link #preview} with the visible seal's box drawn where it would go ({@code box} on that page). */
    public PdfFiles.Preview preview(String holderId, String documentId, int page, Placement box) {
        Stored st = stored(holderId, documentId);
        Document d = st.doc();
        if (d.state() == State.LOCKED) {
            throw new ClickCertException(Kind.PASSWORD_REQUIRED, "This PDF is protected by a password; give its"
                    + " password to open it.");
        }
        if (d.state() != State.UPLOADED) {
            throw new ClickCertException(Kind.ALREADY_SIGNED, "This document was already signed.");
        }
        if (page < 1 || page > d.pages()) {
            throw new ClickCertException(Kind.BAD_PLACEMENT, "The document has " + d.pages() + " page(s); choose a"
                    + " page from 1 to " + d.pages() + ".", d.pages());
        }
        byte[] original = cipher.decrypt(st.dataKey(), what(documentId, "original"), aad(documentId, "original"),
                st.original());
        char[] password = password(st);
        try {
            return PdfFiles.render(original, password, page, box);
        } catch (IOException e) {
            throw new ClickCertException(Kind.CORRUPT, "This page cannot be shown; you can still sign without a"
                    + " visible seal.");
        } finally {
            Arrays.fill(original, (byte) 0);
            wipe(password);
        }
    }

    /**
     * Where a click at pixel ({@code px}, {@code py}) of page {@code page}'s preview puts the visible seal: a
     * default-sized box centred there, kept inside the page.
     */
    public Placement placeAt(String holderId, String documentId, int page, int px, int py) {
        Stored st = stored(holderId, documentId);
        Document d = st.doc();
        if (d.state() != State.UPLOADED || page < 1 || page > d.pages()) {
            throw new ClickCertException(Kind.BAD_PLACEMENT, "The document has " + d.pages() + " page(s); choose a"
                    + " page from 1 to " + d.pages() + ".", d.pages());
        }
        byte[] original = cipher.decrypt(st.dataKey(), what(documentId, "original"), aad(documentId, "original"),
                st.original());
        char[] password = password(st);
        try {
            PdfFiles.PageSize size = PdfFiles.pageSize(original, password, page);
            float scale = PdfFiles.scale(size);
            float w = Math.min(Placement.WIDTH, size.width());
            float h = Math.min(Placement.HEIGHT, size.height());
            float x = Math.max(0, Math.min(size.width() - w, px / scale - w / 2));
            float y = Math.max(0, Math.min(size.height() - h, py / scale - h / 2));
            return new Placement(page, Math.round(x), Math.round(y), w, h);
        } catch (IOException e) {
            throw new ClickCertException(Kind.CORRUPT, "This page cannot be shown; you can still sign without a"
                    + " visible seal.");
        } finally {
            Arrays.fill(original, (byte) 0);
            wipe(password);
        }
    }

    /** Removes an unsigned document, or a signed one before its time, at the holder's request. */
    public Document discard(HolderSession session, String documentId) {
        String holderId = session.holder().id();
        Document d = find(holderId, documentId).orElseThrow(ClickCertService::notFound);
        if (d.state() == State.PURGED) {
            return d;
        }
        return database.inTransaction(c -> {
            if (purge(c, documentId, false)) {
                audit(actor(holderId), "clickcert.discarded", subject(documentId), Map.of("document", documentId,
                        "sha256", d.sha256(), "session", session.id()));
            }
            return byId(c, documentId).orElseThrow();
        });
    }

    // ------------------------------------------------------------------ signing

    /**
     * Seals the document with the order's cloud key, after the holder's re-authentication in this same call. The
     * document must be the session's holder's, not yet signed; the order one of the holder's; {@code sha256} (when
     * given: the pages always give it) the hash the holder was shown, and the stored document must still have it.
     *
     * @param origin the request's origin (WebAuthn)
     * @param client the client's address (throttling, audit)
     * @throws ClickCertException with nothing signed
     */
    public Document sign(HolderSession session, String documentId, SignRequest r, String origin, String client) {
        String holderId = session.holder().id();
        try {
            Stored st = stored(holderId, documentId);
            Document d = st.doc();
            if (d.state() == State.LOCKED) {
                throw new ClickCertException(Kind.PASSWORD_REQUIRED, "This PDF is protected by a password; give its"
                        + " password to open it before signing.");
            }
            if (d.state() == State.SIGNED) {
                throw new ClickCertException(Kind.ALREADY_SIGNED, "This document was already signed (or is being"
                        + " signed); download it from your history.");
            }
            if (d.state() != State.UPLOADED && d.state() != State.SIGNING) {
                throw notFound();
            }
            if (r.orderId() == null || r.orderId().isBlank()) {
                throw new ClickCertException(Kind.BAD_REQUEST, "Choose the seal to sign with.");
            }
            if (r.placement() != null) {
                checkPlacement(r.placement(), d);
            }
            if (r.password() == null || r.password().length == 0) {
                throw new ClickCertException(Kind.REAUTHENTICATION, AuthOutcome.Failure.WRONG_PASSWORD, "Type your"
                        + " password again to authorise this signature.");
            }

            AuthOutcome auth = access.confirm(holderId, r.password(), blankToNull(r.factorKind()),
                    blankToNull(r.factorResponse()), origin, client);
            if (!auth.ok() || auth.holder() == null || !holderId.equals(auth.holder().id())) {
                AuthOutcome.Failure f = auth.failure() == null ? AuthOutcome.Failure.WRONG_PASSWORD : auth.failure();
                refusedSign(session, d, r.orderId(), "auth-" + f.name().toLowerCase(Locale.ROOT));
                throw authRefused(f, auth.message());
            }
            if (!access.orderIds(holderId).contains(r.orderId())) {
                refusedSign(session, d, r.orderId(), "not-your-seal");
                throw new ClickCertException(Kind.NOT_YOUR_SEAL, "This seal is not one of yours; choose one of your"
                        + " seals.");
            }
            if (r.sha256() != null && !r.sha256().trim().equalsIgnoreCase(d.sha256())) {
                refusedSign(session, d, r.orderId(), "hash-not-shown");
                throw new ClickCertException(Kind.HASH_MISMATCH, "The document's hash is not the one you authorised;"
                        + " open the document again and check its hash.");
            }
            byte[] original = cipher.decrypt(st.dataKey(), what(documentId, "original"), aad(documentId, "original"),
                    st.original());
            char[] pdfPassword = password(st);
            try {
                if (!Digests.sha256Hex(original).equals(d.sha256())) {
                    refusedSign(session, d, r.orderId(), "hash-changed");
                    throw new ClickCertException(Kind.HASH_MISMATCH, "The stored document no longer has the hash you"
                            + " authorised; upload it again.");
                }
                // one signature per document, even from two tabs at once: the first to claim it signs
                if (!claim(d.id())) {
                    throw new ClickCertException(Kind.ALREADY_SIGNED, "This document was already signed (or is being"
                            + " signed); download it from your history.");
                }
                boolean signed = false;
                try {
                    Document out = signNow(session, d, original, pdfPassword, r);
                    signed = true;
                    return out;
                } finally {
                    if (!signed) {
                        move(d.id(), State.SIGNING, State.UPLOADED);
                    }
                }
            } finally {
                Arrays.fill(original, (byte) 0);
                wipe(pdfPassword);
            }
        } finally {
            wipe(r.password());
        }
    }

    private Document signNow(HolderSession session, Document d, byte[] original, char[] pdfPassword, SignRequest r) {
        String holderId = session.holder().id();
        ClickCertSettings s = settings.get();
        Level level = s.level();
        CloudSigningKeys k = keys.get();
        Signer sg = signer.get();
        PlatformSealKey p = platform.get();
        if (k == null || sg == null || (p == null && level.needsTimestamp())) {
            refusedSign(session, d, r.orderId(), "unavailable");
            throw unavailable();
        }
        SigningKey key;
        try {
            key = k.signingKey(r.orderId());
        } catch (IssuanceException e) {
            refusedSign(session, d, r.orderId(), "key-" + e.kind().name().toLowerCase(Locale.ROOT));
            throw switch (e.kind()) {
                case CONFLICT -> new ClickCertException(Kind.SEAL_UNUSABLE, "This seal's certificate is revoked or"
                        + " expired; it cannot sign any more.");
                case NOT_FOUND -> new ClickCertException(Kind.SEAL_UNUSABLE, "This seal has no certificate yet.");
                default -> unavailable();
            };
        }
        SignOptions options = SignOptions.pades(level);
        if (p != null) {
            options = options.withTrustAnchors(p.trustAnchors());
            if (level.needsTimestamp()) {
                options = options.withTsa(p.timeStampAuthority());
            }
        }
        Placement pl = r.placement();
        if (pl != null) {
            options = options.withVisibleSignature(new VisibleSignature(pl.page(), pl.x(), pl.y(), pl.width(),
                    pl.height(), null, true, null));
        }
        if (pdfPassword != null) {
            options = options.withPdfPassword(pdfPassword);
        }
        byte[] signed;
        String serial;
        Path dir = null;
        try {
            dir = privateDirectory();
            Path in = dir.resolve("original.pdf");
            Path out = dir.resolve("signed.pdf");
            Files.write(in, original);
            SignResult result = sg.sign(in, out, key, options);
            signed = Files.readAllBytes(out);
            serial = result.signingCertificate() == null ? key.certificate().getSerialNumber().toString(16)
                    : result.signingCertificate().getSerialNumber().toString(16);
        } catch (SignatureException e) {
            refusedSign(session, d, r.orderId(), "signature-" + e.reason().name().toLowerCase(Locale.ROOT));
            throw signatureRefused(e, pl != null);
        } catch (IOException e) {
            LOG.warn("Click&Cert could not write or read document {} for signing: {}", d.id(), e.toString());
            refusedSign(session, d, r.orderId(), "io");
            throw unavailable();
        } finally {
            delete(dir);
        }
        Instant now = clock.instant();
        String signedSha = Digests.sha256Hex(signed);
        byte[] sealedSigned;
        long signedSize = signed.length;
        try {
            Stored st = stored(holderId, d.id());
            sealedSigned = cipher.encrypt(st.dataKey(), what(d.id(), "signed"), aad(d.id(), "signed"), signed);
        } finally {
            Arrays.fill(signed, (byte) 0);
        }
        Instant purgeAt = now.plus(s.history());
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE clickcert_document SET state = ?, signed = ?,"
                    + " signed_sha256 = ?, signed_size = ?, level = ?, order_id = ?, certificate_serial = ?,"
                    + " session_id = ?, signed_at = ?, purge_at = ?, original = NULL, pdf_password = NULL"
                    + " WHERE id = ? AND state = ?")) {
                ps.setString(1, State.SIGNED.name());
                ps.setBytes(2, sealedSigned);
                ps.setString(3, signedSha);
                ps.setLong(4, signedSize);
                ps.setString(5, level.name());
                ps.setString(6, r.orderId());
                ps.setString(7, serial);
                ps.setString(8, session.id());
                ps.setObject(9, time(now));
                ps.setObject(10, time(purgeAt));
                ps.setString(11, d.id());
                ps.setString(12, State.SIGNING.name());
                if (ps.executeUpdate() != 1) {
                    throw new ClickCertException(Kind.ALREADY_SIGNED, "This document was already signed; download"
                            + " it from your history.");
                }
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("document", d.id());
            details.put("sha256", d.sha256());
            details.put("signedSha256", signedSha);
            details.put("level", level.name());
            details.put("session", session.id());
            details.put("order", r.orderId());
            details.put("certificateSerial", serial);
            details.put("visible", pl != null);
            details.put("signedAt", now.toString());
            audit(actor(holderId), "clickcert.signed", "order:" + r.orderId(), details);
            return byId(c, d.id()).orElseThrow();
        });
    }

    /** The signed PDF, for the holder to download while it is kept. */
    public byte[] signedPdf(HolderSession session, String documentId) {
        String holderId = session.holder().id();
        Stored st = stored(holderId, documentId);
        if (st.doc().state() != State.SIGNED) {
            throw st.doc().state() == State.PURGED ? new ClickCertException(Kind.NOT_FOUND, "This signed document"
                    + " was deleted at the end of its keeping period.") : notFound();
        }
        byte[] blob = database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT signed FROM clickcert_document WHERE id = ?")) {
                ps.setString(1, documentId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getBytes(1) : null;
                }
            }
        });
        if (blob == null) {
            throw notFound();
        }
        byte[] pdf = cipher.decrypt(st.dataKey(), what(documentId, "signed"), aad(documentId, "signed"), blob);
        audit(actor(holderId), "clickcert.downloaded", subject(documentId), Map.of("document", documentId,
                "signedSha256", st.doc().signedSha256(), "session", session.id()));
        return pdf;
    }

    // ------------------------------------------------------------------ purge

    /**
     * Purges the documents whose time is up: unsigned ones after {@code pendingMinutes}, signed ones after
     * {@code historyDays}; their contents and data key are deleted, the row stays as the history's record.
     *
     * @return how many were purged
     */
    public int purgeDue() {
        Instant now = clock.instant();
        List<String> due = database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM clickcert_document WHERE state <> ? AND"
                    + " purge_at <= ? ORDER BY purge_at")) {
                ps.setString(1, State.PURGED.name());
                ps.setObject(2, time(now));
                ps.setMaxRows(500);
                try (ResultSet rs = ps.executeQuery()) {
                    List<String> l = new ArrayList<>();
                    while (rs.next()) {
                        l.add(rs.getString(1));
                    }
                    return l;
                }
            }
        });
        int n = 0;
        for (String id : due) {
            boolean done = database.inTransaction(c -> {
                Optional<Document> d = byId(c, id);
                if (d.isEmpty() || !purge(c, id, true)) {
                    return false;
                }
                audit("system", "clickcert.purged", subject(id), Map.of("document", id, "state",
                        d.get().state().name(), "sha256", d.get().sha256()));
                return true;
            });
            n += done ? 1 : 0;
        }
        return n;
    }

    private boolean purge(Connection c, String id, boolean onlyDue) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE clickcert_document SET state = ?, original = NULL,"
                + " signed = NULL, pdf_password = NULL, data_key = NULL, purged_at = ? WHERE id = ? AND state <> ?"
                + (onlyDue ? " AND purge_at <= ?" : ""))) {
            Instant now = clock.instant();
            ps.setString(1, State.PURGED.name());
            ps.setObject(2, time(now));
            ps.setString(3, id);
            ps.setString(4, State.PURGED.name());
            if (onlyDue) {
                ps.setObject(5, time(now));
            }
            return ps.executeUpdate() == 1;
        }
    }

    // ------------------------------------------------------------------ helpers

    private record Stored(Document doc, String dataKey, byte[] original, byte[] pdfPassword) {
    }

    /** The holder's document with its key and original; NOT_FOUND for another holder's (never says whose). */
    private Stored stored(String holderId, String documentId) {
        if (!validId(documentId)) {
            throw notFound();
        }
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", data_key, original, pdf_password"
                    + " FROM clickcert_document WHERE id = ?")) {
                ps.setString(1, documentId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw notFound();
                    }
                    Document d = document(rs);
                    if (!d.holderId().equals(holderId)) {
                        throw notFound();
                    }
                    if (d.state() == State.PURGED) {
                        throw new ClickCertException(Kind.NOT_FOUND, "This document was deleted at the end of its"
                                + " keeping period.");
                    }
                    return new Stored(d, rs.getString("data_key"), rs.getBytes("original"),
                            rs.getBytes("pdf_password"));
                }
            }
        });
    }

    private char[] password(Stored st) {
        if (st.pdfPassword() == null) {
            return null;
        }
        byte[] pw = cipher.decrypt(st.dataKey(), what(st.doc().id(), "password"), aad(st.doc().id(), "password"),
                st.pdfPassword());
        try {
            return new String(pw, StandardCharsets.UTF_8).toCharArray();
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }

    private void checkPlacement(Placement p, Document d) {
        if (p.page() < 1 || p.page() > d.pages()) {
            throw new ClickCertException(Kind.BAD_PLACEMENT, "The document has " + d.pages() + " page(s); place the"
                    + " seal on a page from 1 to " + d.pages() + ".", d.pages());
        }
        if (!(p.width() >= 40 && p.height() >= 20 && p.width() <= 600 && p.height() <= 300 && p.x() >= 0
                && p.y() >= 0)) {
            throw new ClickCertException(Kind.BAD_PLACEMENT, "The seal's box must be 40 to 600 points wide, 20 to"
                    + " 300 high, and inside the page.", d.pages());
        }
    }

    private ClickCertException refusedUpload(HolderSession session, String reason, long size, ClickCertException e) {
        audit(actor(session.holder().id()), "clickcert.upload.refused", actor(session.holder().id()), Map.of(
                "reason", reason, "size", size, "session", session.id()));
        return e;
    }

    private void refusedSign(HolderSession session, Document d, String orderId, String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("document", d.id());
        m.put("sha256", d.sha256());
        m.put("order", orderId == null ? "" : orderId);
        m.put("reason", reason);
        m.put("session", session.id());
        audit(actor(session.holder().id()), "clickcert.sign.refused", subject(d.id()), m);
    }

    private static ClickCertException authRefused(AuthOutcome.Failure f, String message) {
        return switch (f) {
            case THROTTLED -> new ClickCertException(Kind.THROTTLED, f, message == null || message.isBlank()
                    ? "Too many failed attempts; try again later." : message, message == null ? "" : message);
            case FACTOR_REQUIRED -> new ClickCertException(Kind.REAUTHENTICATION, f, "Give your second factor too"
                    + " (code from your app, or your security key).");
            case WRONG_FACTOR -> new ClickCertException(Kind.REAUTHENTICATION, f, "The second factor was not"
                    + " accepted; nothing was signed. Try again.");
            case DISABLED -> new ClickCertException(Kind.REAUTHENTICATION, f, "Your account cannot sign now;"
                    + " contact support.");
            default -> new ClickCertException(Kind.REAUTHENTICATION, f, message == null || message.isBlank()
                    ? "Your password is wrong; nothing was signed. Type it again." : message);
        };
    }

    private static ClickCertException signatureRefused(SignatureException e, boolean visible) {
        return switch (e.reason()) {
            case PASSWORD_REQUIRED -> new ClickCertException(Kind.PASSWORD_REQUIRED, "This PDF is protected by a"
                    + " password; give its password to open it.");
            case MALFORMED_INPUT -> new ClickCertException(Kind.CORRUPT, "This PDF cannot be signed as it is; save"
                    + " it again from its application and upload it again.");
            case INVALID_OPTIONS -> visible ? new ClickCertException(Kind.BAD_PLACEMENT, "The seal's box does not fit"
                    + " on the page; place it again, inside the page.", 0) : new ClickCertException(
                            Kind.SIGNING_FAILED, "This PDF cannot be signed; nothing was signed.");
            case CERTIFICATE_EXPIRED, CERTIFICATE_REVOKED -> new ClickCertException(Kind.SEAL_UNUSABLE, "This seal's"
                    + " certificate is revoked or expired; it cannot sign any more.");
            default -> {
                LOG.warn("Click&Cert signing failed; nothing was signed: {} {}", e.reason(), e.getMessage());
                yield unavailable();
            }
        };
    }

    static ClickCertException notFound() {
        return new ClickCertException(Kind.NOT_FOUND, "No such document in your space.");
    }

    static ClickCertException unavailable() {
        return new ClickCertException(Kind.UNAVAILABLE, "Signing is not available right now; nothing was signed."
                + " Try again in a few minutes.");
    }

    /**
     * Claims the document for one signature: UPLOADED, or SIGNING for longer than {@value #CLAIM_MINUTES} minutes
     * (a signature interrupted by a crash), becomes SIGNING.
     */
    private boolean claim(String id) {
        Instant now = clock.instant();
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE clickcert_document SET state = ?, claimed_at = ?"
                    + " WHERE id = ? AND (state = ? OR state = ? AND claimed_at < ?)")) {
                ps.setString(1, State.SIGNING.name());
                ps.setObject(2, time(now));
                ps.setString(3, id);
                ps.setString(4, State.UPLOADED.name());
                ps.setString(5, State.SIGNING.name());
                ps.setObject(6, time(now.minus(java.time.Duration.ofMinutes(CLAIM_MINUTES))));
                return ps.executeUpdate() == 1;
            }
        });
    }

    private boolean move(String id, State from, State to) {
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE clickcert_document SET state = ? WHERE id = ? AND"
                    + " state = ?")) {
                ps.setString(1, to.name());
                ps.setString(2, id);
                ps.setString(3, from.name());
                return ps.executeUpdate() == 1;
            }
        });
    }

    private int pending(String holderId) {
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM clickcert_document WHERE holder_id ="
                    + " ? AND state IN (?, ?)")) {
                ps.setString(1, holderId);
                ps.setString(2, State.LOCKED.name());
                ps.setString(3, State.UPLOADED.name());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    private Path privateDirectory() throws IOException {
        Files.createDirectories(tmp);
        try {
            return Files.createTempDirectory(tmp, "sign-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            return Files.createTempDirectory(tmp, "sign-");
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.warn("Click&Cert could not delete its temporary file {}: {}", p, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.warn("Click&Cert could not delete its temporary folder {}: {}", dir, e.toString());
        }
    }

    private static Optional<Document> byId(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM clickcert_document WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(document(rs)) : Optional.empty();
            }
        }
    }

    private static Document document(ResultSet rs) throws SQLException {
        return new Document(rs.getString("id"), rs.getString("holder_id"), rs.getString("file_name"),
                rs.getLong("size"), rs.getString("sha256"), rs.getInt("pages"), rs.getBoolean("encrypted"),
                State.valueOf(rs.getString("state")), rs.getString("order_id"), rs.getString("signed_sha256"),
                rs.getLong("signed_size"), rs.getString("level"), instant(rs, "signed_at"), instant(rs, "created_at"),
                instant(rs, "purge_at"));
    }

    private void audit(String actor, String action, String subject, Map<String, ?> details) {
        audit.append(AuditEvent.of(actor, action, subject, payload(details)));
    }

    /** An audit record's details as JSON (Click&amp;Cert's and the holder's revocations'). */
    static String payload(Map<String, ?> details) {
        try {
            return JSON.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit details not serialisable", e);
        }
    }

    static String actor(String holderId) {
        return "customer:" + holderId;
    }

    static String subject(String documentId) {
        return "clickcert-document:" + documentId;
    }

    private static String what(String id, String slot) {
        return "the " + slot + " of Click&Cert document " + id;
    }

    private static byte[] aad(String id, String slot) {
        return ("clickcert-document:" + id + ":" + slot).getBytes(StandardCharsets.UTF_8);
    }

    static boolean validId(String id) {
        return id != null && id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }

    /** The file's name without folders or control characters, at most 200 characters, ending in .pdf. */
    static String cleanName(String name) {
        String n = name == null ? "" : name;
        n = n.substring(Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\')) + 1);
        n = n.replaceAll("[\\p{Cntrl}\"<>|*?:]", "").trim();
        if (n.isEmpty() || n.equals(".") || n.equals("..")) {
            n = "document.pdf";
        }
        if (n.length() > 200) {
            n = n.substring(0, 196);
        }
        if (!n.toLowerCase(Locale.ROOT).endsWith(".pdf")) {
            n = n + ".pdf";
        }
        return n;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static void wipe(char[] c) {
        if (c != null) {
            Arrays.fill(c, '\0');
        }
    }
}
