package io.cachet.delivery.token.internal;

import static io.cachet.api.store.Columns.instant;
import static io.cachet.api.store.Columns.time;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.RevocationReason;
import io.cachet.api.delivery.DeliveryException;
import io.cachet.api.delivery.DeliveryException.Kind;
import io.cachet.api.delivery.Shipment;
import io.cachet.api.delivery.ShipmentState;
import io.cachet.api.delivery.Shipments;
import io.cachet.api.delivery.TokenDeliveries;
import io.cachet.api.delivery.TokenDelivery;
import io.cachet.api.delivery.TokenDelivery.PinCustody;
import io.cachet.api.delivery.TokenDelivery.Stage;
import io.cachet.api.issuance.IssuanceException;
import io.cachet.api.issuance.OrderCertificates;
import io.cachet.api.link.PersonalLinks;
import io.cachet.api.notify.Notification;
import io.cachet.api.notify.Notifier;
import io.cachet.api.order.CheckStatus;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRole;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.Orders;
import io.cachet.api.order.StatusAction;
import io.cachet.api.store.Database;

/**
 * Token orders from provisioning to first use, as plain Java.
 *
 * <p><b>Provisioning</b> is driven step by step by the operator's station ({@code cachet-cli token provision}): each
 * step is checked against where the order's current attempt stands (one row of {@code token_delivery}, locked with
 * {@code SELECT … FOR UPDATE}), changes it in one transaction with its audit record, and never goes backwards except
 * by discarding the token (a new serial, or a lost letter): its certificate is then revoked and the next attempt
 * starts from {@code WAITING}. The initialisation PIN arrives encrypted to the deployment's {@link PinKey}; it is
 * decrypted once to check its length and then kept as received, until it is revealed (erased in the same
 * transaction) or the token is discarded. It is given back, encrypted to the station's own key, only to resume an
 * interrupted provisioning before {@code PROVISIONED}.
 *
 * <p><b>The reveal</b>: once the letter is delivered, the certificate manager gets an SMS code (only its HMAC is
 * kept), and the right code shows the PIN once; wrong codes count, and {@code maxTries} lock the retrieval until
 * support reopens it. <b>Activation</b>: the holder reports the token's PIN replaced; the order becomes ACTIVE.
 *
 * <p>The order's checks ({@value #PROVISIONING} at ISSUANCE, {@value #DELIVERY} at DELIVERY) are told after the
 * commit; a report that failed is made again by {@link #reportDue}. Every change and every refusal of a PIN step is
 * audited (subject {@code order:<id>}); the PIN never is. Thread-safe; safe with several nodes.
 */
final class TokenDeliveryService implements TokenDeliveries {

    private static final Logger LOG = LoggerFactory.getLogger(TokenDeliveryService.class);

    static final String PROVISIONING = "token-provisioning";
    static final String DELIVERY = "token-delivery";
    static final String KEY_ALIAS = "seal";
    private static final String SYSTEM = "system";
    private static final int MAX_SERIAL = 64;
    private static final String COLUMNS = "order_id, attempt, stage, token_label, token_serial, token_model,"
            + " token_firmware, public_key, certificate_serial, pin_custody, pin_key_id, pin_ciphertext, pin_revealed_at,"
            + " activated_at, last_error, code_hmac, code_expires_at, code_tries, provisioned_reported,"
            + " activated_reported, created_at, updated_at";

    /** An expired or revoked link (HTTP 410). */
    static final class Gone extends DeliveryException {
        private static final long serialVersionUID = 1L;

        Gone(String message) {
            super(Kind.NOT_FOUND, message);
        }
    }

    /** A refused request by someone who is not the certificate manager (HTTP 403). */
    static final class Forbidden extends DeliveryException {
        private static final long serialVersionUID = 1L;

        Forbidden(String message) {
            super(Kind.CONFLICT, message);
        }
    }

    private final Database database;
    private final AuditLog audit;
    private final Supplier<Orders> orders;
    private final Supplier<OrderCertificates> certificates;
    private final Supplier<Shipments> shipments;
    private final Supplier<List<X509Certificate>> chain;
    private final PersonalLinks links;
    private final Notifier notifier;
    private final Supplier<TokenSettings> settings;
    private final PinKey pinKey;
    private final Clock clock;
    private final SecureRandom random;
    private final byte[] codeKey;

    /**
     * @param orders, certificates, shipments suppliers of the services, or of null while one is missing
     * @param chain the CA's chain (issuing CA, root), empty while the CA is missing
     * @param codeKey the key of the SMS codes' HMAC (copied)
     */
    TokenDeliveryService(Database database, AuditLog audit, Supplier<Orders> orders,
            Supplier<OrderCertificates> certificates, Supplier<Shipments> shipments,
            Supplier<List<X509Certificate>> chain, PersonalLinks links, Notifier notifier,
            Supplier<TokenSettings> settings, PinKey pinKey, Clock clock, SecureRandom random, byte[] codeKey) {
        this.database = Objects.requireNonNull(database);
        this.audit = Objects.requireNonNull(audit);
        this.orders = Objects.requireNonNull(orders);
        this.certificates = Objects.requireNonNull(certificates);
        this.shipments = Objects.requireNonNull(shipments);
        this.chain = Objects.requireNonNull(chain);
        this.links = Objects.requireNonNull(links);
        this.notifier = Objects.requireNonNull(notifier);
        this.settings = Objects.requireNonNull(settings);
        this.pinKey = Objects.requireNonNull(pinKey);
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
        this.codeKey = codeKey.clone();
    }

    static void migrate(Database database) {
        database.migrate("tokendelivery", TokenDeliveryService.class.getClassLoader(), "db/tokendelivery");
    }

    PinKey pinKey() {
        return pinKey;
    }

    TokenSettings settings() {
        return settings.get();
    }

    // ------------------------------------------------------------------ rows

    record Row(String orderId, int attempt, Stage stage, String tokenLabel, String tokenSerial, String tokenModel,
            String tokenFirmware, String publicKey, String certificateSerial, PinCustody custody, String pinKeyId,
            String pinCiphertext, Instant pinRevealedAt, Instant activatedAt, String lastError, String codeHmac,
            Instant codeExpiresAt, int codeTries, boolean provisionedReported, boolean activatedReported,
            Instant createdAt, Instant updatedAt) {

        TokenDelivery view() {
            return new TokenDelivery(orderId, attempt, stage, tokenLabel, Optional.ofNullable(tokenSerial),
                    Optional.ofNullable(tokenModel), Optional.ofNullable(tokenFirmware),
                    Optional.ofNullable(certificateSerial), custody, Optional.ofNullable(pinRevealedAt),
                    Optional.ofNullable(activatedAt), Optional.ofNullable(lastError), updatedAt);
        }

        boolean between(Stage from, Stage to) {
            return stage.compareTo(from) >= 0 && stage.compareTo(to) <= 0;
        }
    }

    private static Optional<Row> row(Connection c, String orderId, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM token_delivery WHERE order_id = ?"
                + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** The order's row, locked; refused when the order has no token delivery. */
    private static Row deliveryRow(Connection c, String orderId) throws SQLException {
        return row(c, orderId, true).orElseThrow(() -> new DeliveryException(Kind.NOT_FOUND, "Order "
                + shown(orderId) + " has no token delivery."));
    }

    private static Row read(ResultSet rs) throws SQLException {
        return new Row(rs.getString(1), rs.getInt(2), Stage.valueOf(rs.getString(3)), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                PinCustody.valueOf(rs.getString(10)), rs.getString(11), rs.getString(12), instant(rs, 13),
                instant(rs, 14), rs.getString(15), rs.getString(16), instant(rs, 17), rs.getInt(18),
                rs.getBoolean(19), rs.getBoolean(20), instant(rs, 21), instant(rs, 22));
    }

    /** Sets columns of the order's row ({@code updated_at} too). */
    private void update(Connection c, String orderId, Map<String, Object> values) throws SQLException {
        StringBuilder sql = new StringBuilder("UPDATE token_delivery SET ");
        for (String k : values.keySet()) {
            sql.append(k).append(" = ?, ");
        }
        sql.append("updated_at = ? WHERE order_id = ?");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            for (Object v : values.values()) {
                if (v instanceof Instant t) {
                    ps.setObject(i++, time(t));
                } else if (v == NULL) {
                    ps.setObject(i++, null);
                } else if (v instanceof Enum<?> e) {
                    ps.setString(i++, e.name());
                } else {
                    ps.setObject(i++, v);
                }
            }
            ps.setObject(i++, time(now()));
            ps.setString(i, orderId);
            ps.executeUpdate();
        }
    }

    /** A column set to SQL NULL in {@link #update}. */
    private static final Object NULL = new Object();

    private static Map<String, Object> set(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1] == null ? NULL : kv[i + 1]);
        }
        return m;
    }

    // ------------------------------------------------------------------ entry and reading

    /**
     * The order entered ISSUANCE (its {@value #PROVISIONING} check): its delivery row, in the operators' queue.
     * Idempotent; nothing for a cloud order or one in another state.
     */
    void entered(Order order) {
        if (order.state() != OrderState.ISSUANCE || !order.request().medium().token()) {
            return;
        }
        try {
            database.inTransaction(c -> ensure(c, order));
        } catch (RuntimeException e) {
            if (database.inTransaction(c -> row(c, order.id(), false)).isEmpty()) {
                throw e;
            }
            // another node made it at the same time
        }
    }

    private Row ensure(Connection c, Order order) throws SQLException {
        Optional<Row> r = row(c, order.id(), true);
        if (r.isPresent()) {
            return r.get();
        }
        Instant now = now();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO token_delivery (order_id, attempt, stage,"
                + " token_label, pin_custody, code_tries, provisioned_reported, activated_reported, created_at,"
                + " updated_at) VALUES (?, 1, ?, ?, ?, 0, FALSE, FALSE, ?, ?)")) {
            ps.setString(1, order.id());
            ps.setString(2, Stage.WAITING.name());
            ps.setString(3, label(order.id()));
            ps.setString(4, PinCustody.NONE.name());
            ps.setObject(5, time(now));
            ps.setObject(6, time(now));
            ps.executeUpdate();
        }
        audit.append(AuditEvent.of(SYSTEM, "token.provisioning.waiting", subject(order.id()), "attempt=1"));
        return row(c, order.id(), true).orElseThrow();
    }

    /** The token's label: "Cachet " and the end of the order's id, at most 32 characters (a PKCS#11 label). */
    static String label(String orderId) {
        String id = orderId.replaceAll("[^A-Za-z0-9_-]", "");
        return "Cachet " + (id.length() <= 25 ? id : id.substring(id.length() - 25));
    }

    @Override
    public Optional<TokenDelivery> find(String orderId) {
        return database.inTransaction(c -> row(c, orderId, false)).map(Row::view);
    }

    @Override
    public List<TokenDelivery> toProvision(int limit) {
        int n = Math.max(1, Math.min(limit, 1000));
        return database.inTransaction(c -> {
            List<TokenDelivery> l = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM token_delivery WHERE stage IN"
                    + " ('WAITING', 'INITIALISED', 'KEY_GENERATED', 'CERTIFIED') ORDER BY created_at, order_id"
                    + " FETCH FIRST " + n + " ROWS ONLY")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        l.add(read(rs).view());
                    }
                }
            }
            return l;
        });
    }

    // ------------------------------------------------------------------ provisioning steps

    /** What step 2 answers. */
    record Started(TokenDelivery delivery, boolean resume, String encryptedPin) {
    }

    /** The order as a token order in ISSUANCE or DELIVERY, or the refusal. */
    private Order tokenOrder(String orderId) {
        Orders o = orders.get();
        if (o == null) {
            throw new DeliveryException(Kind.UNAVAILABLE, "The order service is not available now; try again later.");
        }
        Order order = o.find(orderId).orElseThrow(() -> new DeliveryException(Kind.NOT_FOUND, "No order "
                + shown(orderId) + "."));
        if (!order.request().medium().token()) {
            throw new DeliveryException(Kind.CONFLICT, "Order " + orderId + " is a cloud order: it has no token to"
                    + " provision.");
        }
        if (order.state().ended() || order.state() == OrderState.ACTIVE) {
            throw new DeliveryException(Kind.CONFLICT, "Order " + orderId + " is " + order.state() + ": its token"
                    + " cannot be provisioned any more.");
        }
        if (order.state() != OrderState.ISSUANCE && order.state() != OrderState.DELIVERY) {
            throw new DeliveryException(Kind.NOT_FOUND, "Order " + orderId + " is in " + order.state() + ": its"
                    + " token can be provisioned once it reaches ISSUANCE.");
        }
        return order;
    }

    private static String serial(String tokenSerial) {
        String s = tokenSerial == null ? "" : tokenSerial.strip();
        if (s.isEmpty() || s.length() > MAX_SERIAL || !s.matches("[\\x21-\\x7e]+")) {
            throw new DeliveryException(Kind.INVALID, "'tokenSerial' is required: the token's serial number as the"
                    + " token reports it (printable, at most " + MAX_SERIAL + " characters).");
        }
        return s;
    }

    private static String text(String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String s = value.strip().replaceAll("\\p{Cntrl}", " ");
        return s.length() <= max ? s : s.substring(0, max);
    }

    /**
     * Step 2: provisioning starts on a token, or resumes on the same one. A token other than the attempt's is
     * discarded first (its certificate revoked, its PIN erased) and a new attempt starts.
     */
    Started start(String orderId, String tokenSerial, String manufacturer, String model, String firmware,
            String resumeKeyPem, String actor) {
        String serial = serial(tokenSerial);
        PublicKey resumeKey = PinCrypto.publicKey(resumeKeyPem);
        if (!(resumeKey instanceof RSAPublicKey rsa) || rsa.getModulus().bitLength() < 3072) {
            throw new DeliveryException(Kind.INVALID, "'resumeKey' must be the PEM public key (SubjectPublicKeyInfo) of"
                    + " an RSA key of at least 3072 bits made for this run.");
        }
        String tokenModel = text(String.join(" ", Optional.ofNullable(text(manufacturer, 100)).orElse(""),
                Optional.ofNullable(text(model, 100)).orElse("")), 200);
        String tokenFirmware = text(firmware, 64);
        Order order = tokenOrder(orderId);
        // a token already certified that is being replaced: revoke its certificate first, outside our transaction
        // (the issuance module commits its own); nothing changes here if that fails
        Row before = database.inTransaction(c -> ensure(c, order));
        refuseProvisioned(before);
        if (before.tokenSerial() != null && !before.tokenSerial().equals(serial)
                && before.stage() == Stage.CERTIFIED) {
            discardCertificate(orderId, RevocationReason.CESSATION_OF_OPERATION, actor);
        }
        return database.inTransaction(c -> {
            Row r = row(c, orderId, true).orElseThrow();
            refuseProvisioned(r);
            if (serial.equals(r.tokenSerial())) {
                if (r.between(Stage.INITIALISED, Stage.CERTIFIED)) {
                    String pin = null;
                    if (r.custody() == PinCustody.HELD && r.pinCiphertext() != null) {
                        pin = reencrypt(r.pinCiphertext(), resumeKey);
                        audit.append(AuditEvent.of(actor, "token.provisioning.resumed", subject(orderId), "attempt="
                                + r.attempt() + "; token=" + serial + "; stage=" + r.stage()
                                + "; PIN returned to the provisioning station"));
                    } else {
                        audit.append(AuditEvent.of(actor, "token.provisioning.resumed", subject(orderId), "attempt="
                                + r.attempt() + "; token=" + serial + "; stage=" + r.stage()));
                    }
                    return new Started(r.view(), true, pin);
                }
                return new Started(r.view(), false, null); // WAITING on this token: go on from there
            }
            int attempt = r.attempt();
            if (r.tokenSerial() != null) {
                attempt++;
                audit.append(AuditEvent.of(actor, "token.provisioning.discarded", subject(orderId), "attempt="
                        + r.attempt() + "; token=" + r.tokenSerial() + "; stage=" + r.stage() + "; replaced by token "
                        + serial + (r.stage() == Stage.CERTIFIED ? "; certificate " + r.certificateSerial()
                                + " revoked (cessationOfOperation)" : "")));
            }
            update(c, orderId, set("attempt", attempt, "stage", Stage.WAITING, "token_serial", serial, "token_model",
                    tokenModel, "token_firmware", tokenFirmware, "public_key", null, "certificate_serial", null,
                    "pin_custody", PinCustody.NONE, "pin_key_id", null, "pin_ciphertext", null, "code_hmac", null,
                    "code_expires_at", null, "code_tries", 0, "last_error", null));
            audit.append(AuditEvent.of(actor, "token.provisioning.started", subject(orderId), "attempt=" + attempt
                    + "; token=" + serial + (tokenModel == null ? "" : "; model=" + tokenModel)
                    + (tokenFirmware == null ? "" : "; firmware=" + tokenFirmware)));
            return new Started(row(c, orderId, false).orElseThrow().view(), false, null);
        });
    }

    private static void refuseProvisioned(Row r) {
        if (r.stage() == Stage.PROVISIONED || r.stage() == Stage.ACTIVATED) {
            throw new DeliveryException(Kind.CONFLICT, "Order " + r.orderId() + " already has its token "
                    + r.tokenSerial() + " " + (r.stage() == Stage.ACTIVATED ? "activated" : "provisioned")
                    + ": nothing more to provision (a lost letter reopens provisioning).");
        }
    }

    private void discardCertificate(String orderId, RevocationReason reason, String actor) {
        OrderCertificates oc = certificates.get();
        if (oc == null) {
            throw new DeliveryException(Kind.UNAVAILABLE, "The issuance service is not available now, so the old"
                    + " token's certificate cannot be revoked; nothing changed, try again later.");
        }
        try {
            oc.discard(orderId, reason, actor);
        } catch (IssuanceException e) {
            throw new DeliveryException(e.kind() == IssuanceException.Kind.UNAVAILABLE ? Kind.UNAVAILABLE
                    : Kind.CONFLICT, "The old token's certificate could not be revoked (" + e.getMessage()
                            + "); nothing changed.", e);
        }
    }

    private String reencrypt(String ciphertext, PublicKey to) {
        byte[] pin = null;
        try {
            pin = pinKey.decrypt(ciphertext);
            return PinCrypto.encrypt(to, pin);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the held PIN does not decrypt with the pin-key", e);
        } finally {
            if (pin != null) {
                Arrays.fill(pin, (byte) 0);
            }
        }
    }

    /** The row of a step of the token {@code serial}: refused when the attempt is on another token or none. */
    private Row stepRow(Connection c, String orderId, String serial) throws SQLException {
        Row r = row(c, orderId, true).orElseThrow(() -> new DeliveryException(Kind.NOT_FOUND, "Order "
                + shown(orderId) + " has no token provisioning: start it first."));
        if (r.tokenSerial() == null) {
            throw new DeliveryException(Kind.CONFLICT, "Provisioning of order " + orderId + " has not started on a"
                    + " token: start it first.");
        }
        if (!r.tokenSerial().equals(serial)) {
            throw new DeliveryException(Kind.CONFLICT, "Provisioning of order " + orderId + " is on token "
                    + r.tokenSerial() + ", not " + serial + ": start again with this token to replace it.");
        }
        return r;
    }

    /** Step 3: the initialisation PIN, encrypted to the pin-key, registered before the token is initialised. */
    TokenDelivery initialised(String orderId, String tokenSerial, String keyId, String ciphertext, String actor) {
        String serial = serial(tokenSerial);
        if (keyId == null || !keyId.strip().equalsIgnoreCase(pinKey.id())) {
            throw new DeliveryException(Kind.INVALID, "'pin.keyId' is not the current pin-key (" + pinKey.id()
                    + "): fetch GET /api/v1/token-delivery/pin-key and encrypt the PIN to that key.");
        }
        if (ciphertext == null || ciphertext.isBlank() || ciphertext.length() > 1024) {
            throw new DeliveryException(Kind.INVALID, "'pin.ciphertext' is required: the PIN encrypted to the pin-key"
                    + " (RSA-OAEP-256, Base64).");
        }
        int digits = settings.get().pinDigits();
        byte[] pin = null;
        try {
            pin = pinKey.decrypt(ciphertext);
            if (pin.length != digits || !allDigits(pin)) {
                throw new DeliveryException(Kind.INVALID, "The initialisation PIN must be exactly " + digits
                        + " digits; nothing was stored.");
            }
        } catch (GeneralSecurityException e) {
            throw new DeliveryException(Kind.INVALID, "'pin.ciphertext' does not decrypt with the pin-key"
                    + " (RSA-OAEP with SHA-256 and MGF1-SHA-256, Base64); nothing was stored.");
        } finally {
            if (pin != null) {
                Arrays.fill(pin, (byte) 0);
            }
        }
        String stored = ciphertext.strip();
        tokenOrder(orderId); // outside the transaction: the order service uses its own connection
        return database.inTransaction(c -> {
            Row r = stepRow(c, orderId, serial);
            if (r.stage() != Stage.WAITING && r.stage() != Stage.INITIALISED) {
                throw new DeliveryException(Kind.CONFLICT, "Token " + serial + " of order " + orderId + " is already "
                        + r.stage() + ": its PIN cannot change any more.");
            }
            update(c, orderId, set("stage", Stage.INITIALISED, "pin_custody", PinCustody.HELD, "pin_key_id",
                    pinKey.id(), "pin_ciphertext", stored, "last_error", null));
            audit.append(AuditEvent.of(actor, "token.provisioning.initialised", subject(orderId), "attempt="
                    + r.attempt() + "; token=" + serial + (r.stage() == Stage.INITIALISED ? "; PIN replaced" : "")));
            return row(c, orderId, false).orElseThrow().view();
        });
    }

    private static boolean allDigits(byte[] b) {
        for (byte x : b) {
            if (x < '0' || x > '9') {
                return false;
            }
        }
        return true;
    }

    /** The key attributes read back from the token. */
    record KeyAttributes(Boolean sensitive, Boolean extractable, Boolean alwaysSensitive, Boolean neverExtractable) {
    }

    /** Step 4: the key pair made on the token, with its security attributes as read back. */
    TokenDelivery key(String orderId, String tokenSerial, String publicKeyPem, KeyAttributes a, String actor) {
        String serial = serial(tokenSerial);
        PublicKey key = PinCrypto.publicKey(publicKeyPem);
        if (key == null) {
            throw new DeliveryException(Kind.INVALID, "'publicKey' must be the token key's public key in PEM"
                    + " (-----BEGIN PUBLIC KEY-----).");
        }
        if (!matches(key, settings.get().keyAlgorithm())) {
            throw new DeliveryException(Kind.INVALID, "The token's key is not " + settings.get().keyAlgorithm()
                    + ", the algorithm this deployment certifies: make the key pair again with that algorithm.");
        }
        String why = a == null ? "the key's attributes are missing"
                : !Boolean.TRUE.equals(a.sensitive()) ? "CKA_SENSITIVE is not true"
                        : !Boolean.FALSE.equals(a.extractable()) ? "CKA_EXTRACTABLE is not false"
                                : !Boolean.TRUE.equals(a.alwaysSensitive()) ? "CKA_ALWAYS_SENSITIVE is not true"
                                        : !Boolean.TRUE.equals(a.neverExtractable())
                                                ? "CKA_NEVER_EXTRACTABLE is not true" : null;
        if (why != null) {
            throw new DeliveryException(Kind.INVALID, "The token's private key is not protected as a qualified seal"
                    + " key must be: " + why + ". Make it again on the token as sensitive and non-extractable.");
        }
        String spki = java.util.Base64.getEncoder().encodeToString(key.getEncoded());
        tokenOrder(orderId); // outside the transaction: the order service uses its own connection
        return database.inTransaction(c -> {
            Row r = stepRow(c, orderId, serial);
            if (r.stage() == Stage.WAITING) {
                throw new DeliveryException(Kind.CONFLICT, "Token " + serial + " of order " + orderId + " has no"
                        + " initialisation PIN registered: register it (and initialise the token) first.");
            }
            boolean same = spki.equals(r.publicKey());
            if (same && r.stage().compareTo(Stage.KEY_GENERATED) >= 0) {
                return r.view(); // the same key again (a resumed run): nothing changes
            }
            if (r.stage().compareTo(Stage.CERTIFIED) >= 0) {
                throw new DeliveryException(Kind.CONFLICT, "Token " + serial + " of order " + orderId + " is "
                        + r.stage() + " with another key: its key cannot change any more.");
            }
            update(c, orderId, set("stage", Stage.KEY_GENERATED, "public_key", spki, "last_error", null));
            audit.append(AuditEvent.of(actor, "token.provisioning.key", subject(orderId), "attempt=" + r.attempt()
                    + "; token=" + serial + "; key=" + PinCrypto.keyId(key) + "; algorithm="
                    + settings.get().keyAlgorithm() + (r.publicKey() != null ? "; replaced the previous key" : "")));
            return row(c, orderId, false).orElseThrow().view();
        });
    }

    static boolean matches(PublicKey key, io.cachet.api.token.KeyAlgorithm alg) {
        if ("EC".equals(alg.family())) {
            return key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() == alg.bits();
        }
        return key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() == alg.bits();
    }

    /** What step 5 answers. */
    record Certified(TokenDelivery delivery, IssuedCertificate certificate, List<X509Certificate> chain) {
    }

    /** Step 5: the certification request made on the token; the certificate issued (once). */
    Certified csr(String orderId, String tokenSerial, String csrPem, String actor) {
        String serial = serial(tokenSerial);
        Csrs.Request request = Csrs.parse(csrPem);
        tokenOrder(orderId);
        Row r = database.inTransaction(c -> stepRow(c, orderId, serial));
        if (r.stage().compareTo(Stage.KEY_GENERATED) < 0 || r.publicKey() == null) {
            throw new DeliveryException(Kind.CONFLICT, "Token " + serial + " of order " + orderId + " has no key"
                    + " registered yet: register the key made on the token first.");
        }
        if (!request.spkiBase64().equals(r.publicKey())) {
            throw new DeliveryException(Kind.INVALID, "The request was not made with the token's key: its public key"
                    + " is not the one registered for token " + serial + ".");
        }
        OrderCertificates oc = certificates.get();
        if (oc == null) {
            throw new DeliveryException(Kind.UNAVAILABLE, "The issuance service is not available now; nothing"
                    + " changed, try again later.");
        }
        List<X509Certificate> ch = chain.get();
        IssuedCertificate issued;
        try {
            // a certificate already issued for this key (at CERTIFIED, or when our record of it was lost): answer it
            Optional<IssuedCertificate> existing = oc.find(orderId).filter(x -> !x.revoked()
                    && java.util.Base64.getEncoder().encodeToString(x.certificate().getPublicKey().getEncoded())
                            .equals(r.publicKey()));
            if (existing.isPresent()) {
                issued = existing.get();
            } else if (r.stage().compareTo(Stage.CERTIFIED) >= 0) {
                throw new DeliveryException(Kind.UNAVAILABLE, "The certificate of order " + orderId + " cannot be"
                        + " read now; try again later.");
            } else {
                issued = oc.issue(orderId, csrPem, actor);
            }
        } catch (IssuanceException e) {
            throw new DeliveryException(switch (e.kind()) {
            case INVALID -> Kind.INVALID;
            case NOT_FOUND -> Kind.NOT_FOUND;
            case CONFLICT -> Kind.CONFLICT;
            case UNAVAILABLE -> Kind.UNAVAILABLE;
            }, e.getMessage(), e);
        }
        TokenDelivery d = database.inTransaction(c -> {
            Row now = stepRow(c, orderId, serial);
            if (now.stage() == Stage.KEY_GENERATED) {
                update(c, orderId, set("stage", Stage.CERTIFIED, "certificate_serial", issued.serialHex(),
                        "last_error", null));
                audit.append(AuditEvent.of(actor, "token.provisioning.certified", subject(orderId), "attempt="
                        + now.attempt() + "; token=" + serial + "; certificate=" + issued.serialHex()));
            }
            return row(c, orderId, false).orElseThrow().view();
        });
        return new Certified(d, issued, ch);
    }

    /** What step 6 answers. */
    record Provisioned(TokenDelivery delivery, Shipment shipment) {
    }

    /** Step 6: the certificate is on the token; its shipment is prepared and the ISSUANCE check passes. */
    Provisioned written(String orderId, String tokenSerial, String actor) {
        String serial = serial(tokenSerial);
        tokenOrder(orderId);
        Row r = database.inTransaction(c -> stepRow(c, orderId, serial));
        if (r.stage().compareTo(Stage.CERTIFIED) < 0) {
            throw new DeliveryException(Kind.CONFLICT, "Token " + serial + " of order " + orderId + " is " + r.stage()
                    + ": it needs its certificate before it can be shipped.");
        }
        Shipments s = shipments.get();
        if (s == null) {
            throw new DeliveryException(Kind.UNAVAILABLE, "The shipment service is not available now; nothing"
                    + " changed, try again later.");
        }
        Shipment shipment = s.prepare(orderId, serial, actor);
        TokenDelivery d = database.inTransaction(c -> {
            Row now = stepRow(c, orderId, serial);
            if (now.stage() == Stage.CERTIFIED) {
                update(c, orderId, set("stage", Stage.PROVISIONED, "provisioned_reported", false, "last_error",
                        null));
                audit.append(AuditEvent.of(actor, "token.provisioning.provisioned", subject(orderId), "attempt="
                        + now.attempt() + "; token=" + serial + "; certificate=" + now.certificateSerial()
                        + "; shipment=" + shipment.id()));
            }
            return row(c, orderId, false).orElseThrow().view();
        });
        reportDue(orderId);
        return new Provisioned(d, shipment);
    }

    /** Step 7: where and why the station stopped. */
    TokenDelivery failure(String orderId, String tokenSerial, String step, String error, String actor) {
        String serial = serial(tokenSerial);
        String what = (text(step, 50) == null ? "unknown step" : text(step, 50)) + ": "
                + (text(error, 500) == null ? "no detail" : text(error, 500));
        String clipped = what.length() <= 500 ? what : what.substring(0, 499) + "…";
        return database.inTransaction(c -> {
            Row r = stepRow(c, orderId, serial);
            update(c, orderId, set("last_error", clipped));
            audit.append(AuditEvent.of(actor, "token.provisioning.stopped", subject(orderId), "attempt="
                    + r.attempt() + "; token=" + serial + "; stage=" + r.stage() + "; error=" + clipped));
            return row(c, orderId, false).orElseThrow().view();
        });
    }

    // ------------------------------------------------------------------ shipments

    /**
     * A shipment changed: a lost letter discards its token (certificate revoked as compromised, PIN erased) and the
     * order goes back to the provisioning queue with a new attempt. Other changes need nothing here: the reveal
     * reads the shipment when asked.
     */
    void shipmentChanged(Shipment shipment, ShipmentState previous) {
        if (shipment.state() != ShipmentState.LOST) {
            return;
        }
        String orderId = shipment.orderId();
        Row r = database.inTransaction(c -> row(c, orderId, false)).orElse(null);
        if (r == null || !shipment.reference().equals(r.tokenSerial())
                || r.stage().compareTo(Stage.CERTIFIED) < 0) {
            return; // not this attempt's token (an older letter), or nothing certified
        }
        if (r.stage() == Stage.ACTIVATED) {
            LOG.warn("Order {}: the letter of token {} is reported lost, but the token was activated; nothing done",
                    orderId, r.tokenSerial());
            return;
        }
        discardCertificate(orderId, RevocationReason.KEY_COMPROMISE, SYSTEM);
        database.inTransaction(c -> {
            Row now = row(c, orderId, true).orElseThrow();
            if (!shipment.reference().equals(now.tokenSerial()) || now.stage() == Stage.WAITING) {
                return null;
            }
            // the holder is told in the same transaction (no order service: nothing changes, the job tries again)
            tellLetterLost(order(orderId), shipment, now.certificateSerial());
            update(c, orderId, set("attempt", now.attempt() + 1, "stage", Stage.WAITING, "token_serial", null,
                    "token_model", null, "token_firmware", null, "public_key", null, "certificate_serial", null,
                    "pin_custody", PinCustody.NONE, "pin_key_id", null, "pin_ciphertext", null, "code_hmac", null,
                    "code_expires_at", null, "code_tries", 0, "last_error", "letter " + shipment.id()
                            + " lost: provision a new token"));
            audit.append(AuditEvent.of(SYSTEM, "token.provisioning.discarded", subject(orderId), "attempt="
                    + now.attempt() + "; token=" + now.tokenSerial() + "; shipment=" + shipment.id()
                    + " lost; certificate " + now.certificateSerial() + " revoked (keyCompromise); PIN erased"));
            return null;
        });
    }

    /**
     * E-mails the certificate manager that the letter with their token was lost ({@code tokendelivery.letter.lost}):
     * that token's certificate is revoked, a new token follows, nothing to do. Once per letter.
     */
    private void tellLetterLost(Order order, Shipment letter, String revokedSerial) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("name", order.request().certificateManager().fullName());
        model.put("orderId", order.id());
        model.put("organisation", order.request().organisation() == null ? ""
                : order.request().organisation().name());
        model.put("tracking", letter.trackingNumber().orElse(""));
        model.put("serial", revokedSerial == null ? "" : revokedSerial);
        notifier.send(Notification.email(order.request().certificateManager().email(), "tokendelivery.letter.lost",
                "en".equals(order.language()) ? "en" : "fr", model).withBrand(order.brand())
                .withIdempotencyKey("token-letter-lost:" + order.id() + ":" + letter.id()));
    }

    /**
     * Discards the tokens whose letter is lost but whose discard did not happen when it was reported (the issuance
     * or the database was unavailable then): the listener is not the only way a lost letter is seen.
     *
     * @return how many were discarded
     */
    int sweepLost() {
        Shipments s = shipments.get();
        if (s == null) {
            return 0;
        }
        List<Row> provisioned = database.inTransaction(c -> {
            List<Row> l = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM token_delivery WHERE stage IN"
                    + " ('CERTIFIED', 'PROVISIONED') ORDER BY updated_at FETCH FIRST 500 ROWS ONLY")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        l.add(read(rs));
                    }
                }
            }
            return l;
        });
        int n = 0;
        for (Row r : provisioned) {
            for (Shipment x : s.forOrder(r.orderId())) {
                if (x.state() == ShipmentState.LOST && x.reference().equals(r.tokenSerial())) {
                    shipmentChanged(x, ShipmentState.SENT);
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    /** Whether the letter carrying the attempt's token was delivered. */
    private boolean delivered(Row r) {
        return delivered(letters(r));
    }

    private static boolean delivered(List<Shipment> letters) {
        return letters.stream().anyMatch(x -> x.state() == ShipmentState.DELIVERED);
    }

    /** The letters carrying the attempt's token (one, unless it had to be sent again). */
    private List<Shipment> letters(Row r) {
        Shipments s = shipments.get();
        if (s == null || r.tokenSerial() == null) {
            return List.of();
        }
        return s.forOrder(r.orderId()).stream().filter(x -> x.reference().equals(r.tokenSerial())).toList();
    }

    // ------------------------------------------------------------------ the PIN's reveal

    /**
     * What the certificate manager's page shows: whether the token's letter was delivered (the PIN is given only
     * then) and, until it is, the latest letter carrying the token, so that the page can say where it is.
     */
    record PinView(Order order, Row row, boolean delivered, Optional<Shipment> letter, boolean codeOpen,
            int triesLeft, String maskedMobile) {
    }

    /** The page of the order's PIN, when the order is a token order with a delivery. */
    Optional<PinView> pinView(String orderId) {
        Orders o = orders.get();
        return o == null ? Optional.empty() : o.find(orderId).flatMap(this::pinView);
    }

    /** {@link #pinView(String)} of an order the caller has read. */
    Optional<PinView> pinView(Order order) {
        String orderId = order.id();
        Row r = database.inTransaction(c -> row(c, orderId, false)).orElse(null);
        if (r == null) {
            return Optional.empty();
        }
        boolean open = r.codeHmac() != null && r.codeExpiresAt() != null && now().isBefore(r.codeExpiresAt());
        List<Shipment> letters = letters(r);
        Optional<Shipment> latest = letters.stream().max(java.util.Comparator.comparing(Shipment::createdAt));
        return Optional.of(new PinView(order, r, delivered(letters), latest, open, Math.max(0,
                settings.get().maxTries() - r.codeTries()), mask(order.request().certificateManager().mobile())));
    }

    /** Why a PIN request was refused; the page says it in the person's words. */
    enum Refusal {
        /** The letter is not delivered yet (or the token is not provisioned). */
        NOT_DELIVERED,
        /** The PIN was shown already. */
        ALREADY_REVEALED,
        /** Too many wrong codes: support must reopen. */
        LOCKED,
        /** Too many codes requested in the last hour. */
        TOO_MANY_CODES,
        /** No code open: request one. */
        NO_CODE,
        /** The code is past its validity. */
        CODE_EXPIRED,
        /** A wrong code; tries left. */
        WRONG_CODE,
        /** No PIN is held (the token was discarded, or never initialised). */
        NO_PIN
    }

    /** What a PIN request did: {@code refusal} null when it succeeded; {@code pin} only for the reveal. */
    record Outcome(Refusal refusal, int triesLeft, Instant codeExpiresAt, String pin) {
        boolean ok() {
            return refusal == null;
        }
    }

    private Refusal revealable(Row r, Order order) {
        if (r.custody() == PinCustody.REVEALED) {
            return Refusal.ALREADY_REVEALED;
        }
        if (r.custody() == PinCustody.LOCKED) {
            return Refusal.LOCKED;
        }
        if (order.state() != OrderState.DELIVERY || r.stage() != Stage.PROVISIONED || !delivered(r)) {
            return Refusal.NOT_DELIVERED;
        }
        if (r.custody() != PinCustody.HELD || r.pinCiphertext() == null) {
            return Refusal.NO_PIN;
        }
        return null;
    }

    Order order(String orderId) {
        Orders o = orders.get();
        if (o == null) {
            throw new DeliveryException(Kind.UNAVAILABLE, "The order service is not available now; try again later.");
        }
        return o.find(orderId).orElseThrow(() -> new DeliveryException(Kind.NOT_FOUND, "No order " + shown(orderId)
                + "."));
    }

    /** The order's SMS codes sent in the hour before {@code now}: the PIN's and the revocation's, one limit. */
    static int codesLastHour(Connection c, String orderId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM token_pin_code WHERE order_id = ?"
                + " AND sent_at > ?")) {
            ps.setString(1, orderId);
            ps.setObject(2, time(now.minus(Duration.ofHours(1))));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Counts a code sent {@code now} against the order's hourly limit ({@link #codesLastHour}). */
    static void codeSent(Connection c, String orderId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO token_pin_code (order_id, sent_at)"
                + " VALUES (?, ?)")) {
            ps.setString(1, orderId);
            ps.setObject(2, time(now));
            ps.executeUpdate();
        }
    }

    /** A one-time code of 6 digits. */
    static String sixDigits(SecureRandom random) {
        return String.format(Locale.ROOT, "%06d", random.nextInt(1_000_000));
    }

    /** Sends an SMS code to the certificate manager's mobile, once the letter is delivered and the PIN held. */
    Outcome requestCode(String orderId, String actor) {
        return pinStep(orderId, actor, "token.pin.code.refused", (c, r, order, s) -> {
            Instant now = now();
            int sent = codesLastHour(c, orderId, now);
            if (sent >= s.codesPerHour()) {
                return refused(orderId, actor, "token.pin.code.refused", Refusal.TOO_MANY_CODES);
            }
            String code = sixDigits(random);
            Instant expires = now.plus(s.codeValidity());
            // a new code does not give back tries: the count of wrong codes runs until support reopens
            update(c, orderId, set("code_hmac", hmac(orderId, code), "code_expires_at", expires));
            codeSent(c, orderId, now);
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("code", code);
            model.put("minutes", s.codeValidity().toMinutes());
            model.put("orderId", orderId);
            notifier.send(Notification.sms(order.request().certificateManager().mobile(), "tokendelivery.pin.code",
                    "en".equals(order.language()) ? "en" : "fr", model).withBrand(order.brand())
                    .withIdempotencyKey("token-pin:" + orderId + ":code:" + now.toEpochMilli() + ":" + sent));
            audit.append(AuditEvent.of(actor, "token.pin.code.sent", subject(orderId), "expires=" + expires
                    + "; codesThisHour=" + (sent + 1)));
            return new Outcome(null, Math.max(0, s.maxTries() - r.codeTries()), expires, null);
        });
    }

    /**
     * The right code shows the PIN: decrypted, its ciphertext erased and the custody REVEALED in one transaction.
     * A wrong code counts (committed); the last one locks the retrieval until support reopens it.
     */
    Outcome reveal(String orderId, String code, String actor) {
        return pinStep(orderId, actor, "token.pin.refused", (c, r, order, s) -> {
            if (r.codeHmac() == null) {
                return refused(orderId, actor, "token.pin.refused", Refusal.NO_CODE);
            }
            Instant now = now();
            if (!now.isBefore(r.codeExpiresAt())) {
                return refused(orderId, actor, "token.pin.refused", Refusal.CODE_EXPIRED);
            }
            String given = code == null ? "" : code.replaceAll("\\s", "");
            boolean right = given.matches("[0-9]{6}") && MessageDigest.isEqual(hmac(orderId, given)
                    .getBytes(StandardCharsets.US_ASCII), r.codeHmac().getBytes(StandardCharsets.US_ASCII));
            if (!right) {
                int tries = r.codeTries() + 1;
                boolean lock = tries >= s.maxTries();
                update(c, orderId, set("code_tries", tries, "pin_custody", lock ? PinCustody.LOCKED : r.custody(),
                        "code_hmac", lock ? null : r.codeHmac(), "code_expires_at", lock ? null : r.codeExpiresAt()));
                audit.append(AuditEvent.of(actor, lock ? "token.pin.locked" : "token.pin.code.wrong",
                        subject(orderId), "tries=" + tries + "; max=" + s.maxTries()));
                return new Outcome(lock ? Refusal.LOCKED : Refusal.WRONG_CODE, s.maxTries() - tries,
                        r.codeExpiresAt(), null);
            }
            byte[] pin = null;
            String shown;
            try {
                pin = pinKey.decrypt(r.pinCiphertext());
                shown = new String(pin, StandardCharsets.US_ASCII);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the held PIN of order " + orderId + " does not decrypt with the"
                        + " pin-key", e);
            } finally {
                if (pin != null) {
                    Arrays.fill(pin, (byte) 0);
                }
            }
            update(c, orderId, set("pin_custody", PinCustody.REVEALED, "pin_revealed_at", now, "pin_ciphertext", null,
                    "code_hmac", null, "code_expires_at", null));
            audit.append(AuditEvent.of(actor, "token.pin.revealed", subject(orderId), "token=" + r.tokenSerial()
                    + "; ciphertext erased"));
            return new Outcome(null, 0, null, shown);
        });
    }

    /** A step of the PIN's retrieval, on the order's locked row once the PIN may be revealed. */
    @FunctionalInterface
    private interface PinStep {
        Outcome run(Connection c, Row r, Order order, TokenSettings s) throws SQLException;
    }

    /**
     * Runs a step of the PIN's retrieval in one transaction: refused (audited as {@code refusal}) while the PIN may
     * not be revealed (not delivered, not held, already revealed, locked...).
     */
    private Outcome pinStep(String orderId, String actor, String refusal, PinStep step) {
        Order order = order(orderId);
        TokenSettings s = settings.get();
        return database.inTransaction(c -> {
            Row r = deliveryRow(c, orderId);
            Refusal why = revealable(r, order);
            return why != null ? refused(orderId, actor, refusal, why) : step.run(c, r, order, s);
        });
    }

    private Outcome refused(String orderId, String actor, String action, Refusal why) {
        audit.append(AuditEvent.of(actor, action, subject(orderId), "reason=" + code(why)));
        return new Outcome(why, 0, null, null);
    }

    /** How the module spells a refusal in an audit detail and a message key: {@code WRONG_CODE} is {@code wrong-code}. */
    static String code(Enum<?> refusal) {
        return refusal.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public TokenDelivery unlockPin(String orderId, String reason, String actor) {
        String why = text(reason, 500);
        if (why == null) {
            throw new DeliveryException(Kind.INVALID, "'reason' is required: why support reopens the PIN's"
                    + " retrieval (kept in the audit log).");
        }
        return database.inTransaction(c -> {
            Row r = deliveryRow(c, orderId);
            if (r.custody() != PinCustody.LOCKED) {
                throw new DeliveryException(Kind.CONFLICT, "The PIN retrieval of order " + orderId + " is not locked"
                        + " (it is " + r.custody() + ").");
            }
            update(c, orderId, set("pin_custody", PinCustody.HELD, "code_tries", 0, "code_hmac", null,
                    "code_expires_at", null));
            audit.append(AuditEvent.of(actor, "token.pin.unlocked", subject(orderId), "reason=" + why));
            return row(c, orderId, false).orElseThrow().view();
        });
    }

    /**
     * A certificate was revoked, whoever revoked it ({@link RevokedTokenPins}, in the CA's transaction, which this
     * joins): the PIN of its token still held here (or held behind a locked retrieval) is erased, since it would open
     * a token whose certificate no longer counts; audited. Nothing for a certificate of no token order.
     *
     * @return the orders whose PIN was erased
     */
    List<String> certificateRevoked(String serialHex, String actor) {
        return database.inTransaction(c -> {
            List<String> orders = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT order_id FROM token_delivery WHERE"
                    + " certificate_serial = ? AND pin_ciphertext IS NOT NULL FOR UPDATE")) {
                ps.setString(1, serialHex);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        orders.add(rs.getString(1));
                    }
                }
            }
            for (String orderId : orders) {
                update(c, orderId, set("pin_custody", PinCustody.NONE, "pin_ciphertext", null, "code_hmac", null,
                        "code_expires_at", null));
                audit.append(AuditEvent.of(actor, "token.pin.erased", subject(orderId), "reason=certificate "
                        + serialHex + " revoked"));
            }
            return orders;
        });
    }

    // ------------------------------------------------------------------ activation

    /** The order of a status link (the whole URL from the e-mail, or its token) of the certificate manager. */
    String orderOfLink(String link) {
        String token = link == null ? "" : link.strip();
        int q = token.indexOf('?');
        if (q >= 0) {
            token = token.substring(0, q);
        }
        while (token.endsWith("/")) {
            token = token.substring(0, token.length() - 1);
        }
        token = token.substring(token.lastIndexOf('/') + 1);
        if (!token.matches("[A-Za-z0-9_-]{16,128}")) {
            throw new DeliveryException(Kind.NOT_FOUND, "This is not a status link of an order: give the link of the"
                    + " order e-mail (…/order/status/…).");
        }
        PersonalLinks.Opened opened = links.open(token, StatusAction.STATUS_LINK_PURPOSE);
        return switch (opened.outcome()) {
            case VALID -> {
                if (opened.link().role() != OrderRole.CERTIFICATE_MANAGER) {
                    throw new Forbidden("This is not the certificate manager's link: use the link the certificate"
                            + " manager received.");
                }
                yield opened.link().orderId();
            }
            case EXPIRED, REVOKED -> throw new Gone("This link has expired or was replaced: use the latest link"
                    + " e-mailed to the certificate manager.");
            default -> throw new DeliveryException(Kind.NOT_FOUND, "No order has this link.");
        };
    }

    /**
     * The holder replaced the initialisation PIN: the order's token is ACTIVATED and its DELIVERY check passes (the
     * order becomes ACTIVE). Only after the PIN was revealed; with a serial, only for the provisioned token.
     * Idempotent once activated.
     *
     * @param tokenSerial the token's serial, or null (the page's button)
     */
    TokenDelivery activate(String orderId, String tokenSerial, String actor) {
        String serial = tokenSerial == null || tokenSerial.isBlank() ? null : serial(tokenSerial);
        TokenDelivery d = database.inTransaction(c -> {
            Row r = row(c, orderId, true).orElseThrow(() -> new DeliveryException(Kind.NOT_FOUND, "Order "
                    + shown(orderId) + " has no token."));
            if (serial != null && !serial.equals(r.tokenSerial())) {
                throw new DeliveryException(Kind.CONFLICT, "Token " + serial + " is not the token provisioned for"
                        + " this order: check the token you activated.");
            }
            if (r.stage() == Stage.ACTIVATED) {
                return r.view();
            }
            if (r.stage() != Stage.PROVISIONED || r.custody() != PinCustody.REVEALED) {
                throw new DeliveryException(Kind.CONFLICT, "The token of order " + orderId + " cannot be activated"
                        + " yet: its initialisation PIN has not been retrieved (once the letter is delivered).");
            }
            Instant now = now();
            update(c, orderId, set("stage", Stage.ACTIVATED, "activated_at", now, "activated_reported", false));
            audit.append(AuditEvent.of(actor, "token.activated", subject(orderId), "token=" + r.tokenSerial()));
            return row(c, orderId, false).orElseThrow().view();
        });
        reportDue(orderId);
        return d;
    }

    // ------------------------------------------------------------------ reporting

    /**
     * Tells the orders' checks what was recorded and not yet told: {@value #PROVISIONING} passed for a provisioned
     * token, {@value #DELIVERY} for an activated one.
     *
     * @param onlyOrder one order, or null for all
     * @return how many reports were made
     */
    int reportDue(String onlyOrder) {
        Orders o = orders.get();
        if (o == null) {
            return 0;
        }
        List<String[]> due = database.inTransaction(c -> {
            List<String[]> l = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT order_id, stage, token_serial, provisioned_reported,"
                    + " activated_reported FROM token_delivery WHERE ((stage IN ('PROVISIONED', 'ACTIVATED') AND"
                    + " provisioned_reported = FALSE) OR (stage = 'ACTIVATED' AND activated_reported = FALSE))"
                    + (onlyOrder == null ? "" : " AND order_id = ?") + " FETCH FIRST 100 ROWS ONLY")) {
                if (onlyOrder != null) {
                    ps.setString(1, onlyOrder);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (!rs.getBoolean(4)) {
                            l.add(new String[] { rs.getString(1), PROVISIONING, "token " + rs.getString(3) });
                        }
                        if ("ACTIVATED".equals(rs.getString(2)) && !rs.getBoolean(5)) {
                            l.add(new String[] { rs.getString(1), DELIVERY, "token " + rs.getString(3)
                                    + " activated" });
                        }
                    }
                }
            }
            return l;
        });
        int n = 0;
        for (String[] d : due) {
            try {
                o.report(d[0], d[1], CheckStatus.PASSED, d[2], "check:" + d[1]);
            } catch (io.cachet.api.order.OrderException e) {
                if (e.reason() != io.cachet.api.order.OrderException.Reason.NOT_FOUND) {
                    LOG.warn("Order {}: check {} could not be told yet: {}", d[0], d[1], e.getMessage());
                    continue;
                }
                // the order has no such check (or is gone): nothing to tell
            } catch (RuntimeException e) {
                LOG.warn("Order {}: check {} could not be told yet: {}", d[0], d[1], e.toString());
                continue;
            }
            String column = PROVISIONING.equals(d[1]) ? "provisioned_reported" : "activated_reported";
            database.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE token_delivery SET " + column
                        + " = TRUE WHERE order_id = ?")) {
                    ps.setString(1, d[0]);
                    return ps.executeUpdate();
                }
            });
            n++;
        }
        return n;
    }

    // ------------------------------------------------------------------ helpers

    String hmac(String orderId, String code) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(codeKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((orderId + "\n" + code).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** {@code +33 6 •• •• •• 12}: the country code and the first and last digits only. */
    static String mask(String e164) {
        String d = e164 == null ? "" : e164.replaceAll("[^0-9]", "");
        if (d.length() < 6) {
            return "••";
        }
        StringBuilder b = new StringBuilder("+").append(d, 0, 2).append(' ').append(d.charAt(2));
        for (int hidden = d.length() - 5; hidden > 0; hidden -= 2) {
            b.append(' ').append(hidden >= 2 ? "••" : "•");
        }
        return b.append(' ').append(d, d.length() - 2, d.length()).toString();
    }

    static String subject(String orderId) {
        return "order:" + orderId;
    }

    private static String shown(String id) {
        return id == null ? "" : id.length() > 40 ? id.substring(0, 40) + "…" : id;
    }

    /** Milliseconds: both databases store them exactly. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
