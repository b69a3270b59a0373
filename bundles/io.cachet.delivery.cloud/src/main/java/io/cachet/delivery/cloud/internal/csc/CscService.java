package io.cachet.delivery.cloud.internal.csc;

import static io.cachet.api.store.Columns.instant;
import static io.cachet.api.store.Columns.time;

import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.issuance.CloudSigningKeys;
import io.cachet.api.issuance.IssuanceException;
import io.cachet.api.issuance.OrderCertificates;
import io.cachet.api.security.Digests;
import io.cachet.api.security.RandomTokens;
import io.cachet.api.signature.SignatureException;
import io.cachet.api.signature.SigningKey;
import io.cachet.api.store.Database;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.TokenException;
import io.cachet.delivery.cloud.internal.AuthOutcome;
import io.cachet.delivery.cloud.internal.Holder;
import io.cachet.delivery.cloud.internal.HolderAccess;

/**
 * The CSC API's rules, without HTTP: access tokens for holders who logged in with their customer-space e-mail and
 * password, their credentials (the cloud orders whose space they hold, credential ID = the order's id), and remote
 * signing under SCAL2: {@link #authorize} checks the password and the second factor again and issues a SAD bound to
 * the holder, the credential, the hash algorithm and the listed hashes; {@link #signHash} signs only hashes that SAD
 * lists, each at most once, before the SAD expires. Sole control: nothing here signs without such a SAD, and nothing
 * else in Cachet reaches the cloud keys through this class.
 *
 * <p>Tokens and SADs are stored as their SHA-256 only. A hash is marked used by one conditional update under the
 * SAD's row lock, in the transaction that signs it: two nodes sharing the database cannot both sign it, and a hash
 * whose signing failed stays usable. Every outcome is audited ({@code csc.*}), never with a password, code, token or
 * SAD. Thread-safe.
 */
public final class CscService {

    static final String MODULE = "csc";
    static final String LOCATION = "db/csc";

    private static final Logger LOG = LoggerFactory.getLogger(CscService.class);
    private static final int SECRET_BYTES = 32;

    /** A token from {@code auth/login}. */
    public record Login(String accessToken, long expiresIn, Holder holder) {
    }

    /** The holder an access token stands for. */
    public record Caller(Holder holder, String tokenHash) {
    }

    /**
     * A credential of the caller.
     *
     * @param status {@code valid}, {@code expired} or {@code revoked}
     * @param chain the issuers (issuing CA first), empty when the key's token cannot say now
     * @param factors the holder's enrolled second factors ({@code totp}, {@code webauthn})
     */
    public record Credential(String id, IssuedCertificate issued, String status, List<X509Certificate> chain,
            List<String> factors) {
        public boolean enabled() {
            return "valid".equals(status);
        }

        public X509Certificate certificate() {
            return issued.certificate();
        }
    }

    /** A SAD from {@code credentials/authorize}. */
    public record Authorization(String sad, long expiresIn) {
    }

    private final Database database;
    private final AuditLog audit;
    private final HolderAccess holders;
    private final Supplier<OrderCertificates> certificates;
    private final Supplier<CloudSigningKeys> keys;
    private final Supplier<List<X509Certificate>> issuers;
    private final Supplier<CscSettings> settings;
    private final Clock clock;
    private final SecureRandom random;

    /**
     * @param issuers the CA's chain (issuing CA first) for {@code credentials/info}; empty while the CA is not there.
     *        Read from the CA, not from the key: a key is asked for only to sign, inside an authorised request.
     */
    public CscService(Database database, AuditLog audit, HolderAccess holders, Supplier<OrderCertificates> certificates,
            Supplier<CloudSigningKeys> keys, Supplier<List<X509Certificate>> issuers, Supplier<CscSettings> settings,
            Clock clock, SecureRandom random) {
        this.database = database;
        this.audit = audit;
        this.holders = holders;
        this.certificates = certificates;
        this.keys = keys;
        this.issuers = issuers;
        this.settings = settings;
        this.clock = clock;
        this.random = random;
    }

    public static void migrate(Database database) {
        database.migrate(MODULE, CscService.class.getClassLoader(), LOCATION);
    }

    public CscSettings settings() {
        return settings.get();
    }

    // ---------------------------------------------------------------- tokens

    /**
     * {@code auth/login}: checks the e-mail and password (throttled and audited by {@link HolderAccess}) and issues an
     * access token. Wipes {@code password}.
     */
    public Login login(String email, char[] password, String client) {
        AuthOutcome outcome;
        try {
            outcome = holders.login(email == null ? "" : email.strip(), password, client);
        } finally {
            Arrays.fill(password, '\0');
        }
        if (!outcome.ok()) {
            record("csc-client:" + client, "csc.login-failed", "", "failure=" + outcome.failure() + "; client="
                    + client);
            throw switch (outcome.failure()) {
                case THROTTLED -> new CscException(429, "too_many_requests", "Too many failed attempts: "
                        + message(outcome, "try again later."), null);
                case DISABLED -> new CscException(401, "unauthorized_client", "This account cannot log in: "
                        + message(outcome, "set its password from the e-mail link first."), null);
                default -> new CscException(401, "unauthorized_client", "Invalid credentials: the e-mail address or"
                        + " the password of the customer space is wrong.", null);
            };
        }
        Holder holder = outcome.holder();
        String token = secret();
        Instant now = clock.instant();
        Duration life = settings.get().token();
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO csc_token (token_hash, account_id, client,"
                    + " created_at, expires_at, revoked) VALUES (?, ?, ?, ?, ?, FALSE)")) {
                ps.setString(1, Digests.sha256Hex(token));
                ps.setString(2, holder.id());
                ps.setString(3, cut(client, 100));
                ps.setObject(4, time(now));
                ps.setObject(5, time(now.plus(life)));
                ps.executeUpdate();
            }
            audit.append(AuditEvent.of(actor(holder), "csc.login", "space-holder:" + holder.id(), "client=" + client
                    + "; expires=" + now.plus(life)));
            return null;
        });
        return new Login(token, life.toSeconds(), holder);
    }

    /**
     * The holder of a bearer token.
     *
     * @throws CscException 401 {@code invalid_token} for a token that is unknown, expired or revoked, or whose account
     *         is gone
     */
    public Caller authenticate(String token) {
        if (token == null || token.isBlank() || token.length() > 200) {
            throw CscException.invalidToken("Send the access token from auth/login as 'Authorization: Bearer"
                    + " <token>'.");
        }
        String hash = Digests.sha256Hex(token.strip());
        String account = database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT account_id, expires_at, revoked FROM csc_token"
                    + " WHERE token_hash = ?")) {
                ps.setString(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || rs.getBoolean(3) || !instant(rs, 2).isAfter(clock.instant())) {
                        return null;
                    }
                    return rs.getString(1);
                }
            }
        });
        if (account == null) {
            throw CscException.invalidToken("The access token is unknown, expired or revoked: get a new one with"
                    + " auth/login.");
        }
        Holder holder = holders.holder(account).orElseThrow(() -> CscException.invalidToken("The account of this"
                + " access token is closed."));
        return new Caller(holder, hash);
    }

    /**
     * {@code auth/revoke}: revokes {@code token} when it is one of the caller's (the caller's own when null); a token
     * that is not the caller's is left alone without saying so (RFC 7009).
     */
    public void revoke(Caller caller, String token) {
        String hash = token == null ? caller.tokenHash() : Digests.sha256Hex(token.strip());
        database.inTransaction(c -> {
            int n;
            try (PreparedStatement ps = c.prepareStatement("UPDATE csc_token SET revoked = TRUE WHERE token_hash = ?"
                    + " AND account_id = ? AND revoked = FALSE")) {
                ps.setString(1, hash);
                ps.setString(2, caller.holder().id());
                n = ps.executeUpdate();
            }
            if (n > 0) {
                audit.append(AuditEvent.of(actor(caller.holder()), "csc.revoked", "space-holder:"
                        + caller.holder().id(), hash.equals(caller.tokenHash()) ? "own token" : "another token"));
            }
            return null;
        });
    }

    /** Deletes tokens and SADs that expired more than a day ago (they prove nothing any more). */
    public int purge() {
        OffsetDateTime before = time(clock.instant().minus(Duration.ofDays(1)));
        return database.inTransaction(c -> {
            int n = 0;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM csc_token WHERE expires_at < ?")) {
                ps.setObject(1, before);
                n += ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM csc_sad_hash WHERE sad_hash IN (SELECT"
                    + " sad_hash FROM csc_sad WHERE expires_at < ?)")) {
                ps.setObject(1, before);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM csc_sad WHERE expires_at < ?")) {
                ps.setObject(1, before);
                n += ps.executeUpdate();
            }
            return n;
        });
    }

    // ---------------------------------------------------------------- credentials

    /** {@code credentials/list}: the caller's cloud orders with a certificate, newest first. */
    public List<String> credentialIds(Caller caller, boolean onlyValid) {
        OrderCertificates certs = certificates();
        List<String> ids = new ArrayList<>();
        for (String id : holders.orderIds(caller.holder().id())) {
            certs.find(id).filter(c -> !onlyValid || "valid".equals(status(c))).ifPresent(c -> ids.add(id));
        }
        return ids;
    }

    /**
     * The caller's credential {@code id}.
     *
     * @throws CscException {@code Invalid parameter credentialID} for a credential that is not the caller's (another
     *         holder's included: audited as {@code csc.refused}) or has no certificate yet
     */
    public Credential credential(Caller caller, String id) {
        IssuedCertificate issued = owned(caller, id);
        List<X509Certificate> chain = issuers.get();
        return new Credential(id, issued, status(issued), chain == null ? List.of() : List.copyOf(chain),
                holders.factors(caller.holder().id()));
    }

    /** The certificate of the caller's credential {@code id}; another holder's is refused and audited. */
    private IssuedCertificate owned(Caller caller, String id) {
        if (!holders.orderIds(caller.holder().id()).contains(id)) {
            refuse(caller, id, "other-credential");
            throw CscException.invalid("Invalid parameter credentialID: you have no credential with this ID; list"
                    + " yours with credentials/list.");
        }
        return certificates().find(id).orElseThrow(() -> CscException.invalid("Invalid parameter credentialID: no"
                + " certificate was issued for this credential yet."));
    }

    private String status(IssuedCertificate c) {
        if (c.revoked()) {
            return "revoked";
        }
        Instant now = clock.instant();
        if (now.isAfter(c.certificate().getNotAfter().toInstant())) {
            return "expired";
        }
        return "valid";
    }

    // ---------------------------------------------------------------- authorisation and signing

    /**
     * {@code credentials/authorize}, SCAL2: the holder's password ({@code authData} PIN) and, when they enrolled an
     * authenticator app, its code (OTP) give a SAD bound to {@code hashes}. Wipes {@code pin}.
     *
     * @param hashes the Base64 hashes to sign, as the client sent them
     * @param otp the TOTP code, or null
     */
    public Authorization authorize(Caller caller, String credentialId, Integer numSignatures, List<String> hashes,
            String hashOid, char[] pin, String otp, String client) {
        try {
            Credential credential = credential(caller, credentialId);
            CscSettings s = settings.get();
            if (numSignatures == null) {
                throw CscException.invalid("Missing (or invalid type) integer parameter numSignatures.");
            }
            if (numSignatures < 1) {
                throw CscException.invalid("Invalid value for parameter numSignatures: at least 1.");
            }
            if (numSignatures > s.maxSignatures()) {
                throw CscException.invalid("Numbers of signatures is too high: at most " + s.maxSignatures()
                        + " per authorisation.");
            }
            if (hashes == null || hashes.isEmpty()) {
                throw CscException.invalid("Missing (or invalid type) array parameter hashes: this service"
                        + " authorises the hashes to sign (SCAL2); list them.");
            }
            List<String> canonical = canonical(hashes, hashOid);
            if (canonical.size() != numSignatures) {
                throw CscException.invalid("Invalid value for parameter numSignatures: it must equal the number of"
                        + " hashes (" + canonical.size() + ").");
            }
            if (new HashSet<>(canonical).size() != canonical.size()) {
                throw CscException.invalid("Invalid parameter hashes: a hash is listed twice.");
            }
            if (!credential.enabled()) {
                refuse(caller, credentialId, "certificate-" + credential.status());
                throw CscException.invalid("Invalid parameter credentialID: its certificate is "
                        + credential.status() + "; it can no longer sign.");
            }
            if (pin == null || pin.length == 0) {
                throw CscException.invalid("Missing authData PIN: send the password of your customer space as"
                        + " {\"id\": \"PIN\", \"value\": \"...\"}.");
            }
            List<String> factors = credential.factors();
            String factorKind = null;
            if (factors.contains("totp")) {
                if (otp == null || otp.isBlank()) {
                    throw CscException.invalid("Missing authData OTP: send the code of your authenticator app as"
                            + " {\"id\": \"OTP\", \"value\": \"123456\"}.");
                }
                factorKind = "totp";
            } else if (factors.contains("webauthn")) {
                refuse(caller, credentialId, "webauthn-only");
                throw CscException.invalid("Your second factor is a security key (WebAuthn), which the CSC API cannot"
                        + " use: enrol an authenticator app (TOTP) on the security page of your customer space to"
                        + " sign through the API.");
            }
            AuthOutcome outcome = holders.confirm(caller.holder().id(), pin, factorKind, factorKind == null ? null
                    : otp.strip(), null, client);
            if (!outcome.ok()) {
                record(actor(caller.holder()), "csc.authorize-failed", "order:" + credentialId, "credential="
                        + credentialId + "; failure=" + outcome.failure() + "; client=" + client);
                throw switch (outcome.failure()) {
                    case WRONG_FACTOR -> CscException.invalid("The OTP is invalid: type the current code of your"
                            + " authenticator app.");
                    case FACTOR_REQUIRED -> CscException.invalid("Missing authData OTP: send the code of your"
                            + " authenticator app.");
                    case THROTTLED -> CscException.invalid("PIN locked: too many failed attempts; "
                            + message(outcome, "try again later."));
                    case DISABLED -> CscException.invalid("PIN locked: " + message(outcome,
                            "this account cannot sign."));
                    default -> CscException.invalid("The PIN is invalid: send the password of your customer space.");
                };
            }
            String sad = secret();
            Instant now = clock.instant();
            Instant expires = now.plus(s.sad());
            database.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO csc_sad (sad_hash, account_id,"
                        + " credential_id, hash_algorithm, num_signatures, created_at, expires_at, used_up)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, FALSE)")) {
                    ps.setString(1, Digests.sha256Hex(sad));
                    ps.setString(2, caller.holder().id());
                    ps.setString(3, credentialId);
                    ps.setString(4, hashOid);
                    ps.setInt(5, numSignatures);
                    ps.setObject(6, time(now));
                    ps.setObject(7, time(expires));
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO csc_sad_hash (sad_hash, hash_value,"
                        + " used_at) VALUES (?, ?, NULL)")) {
                    for (String h : canonical) {
                        ps.setString(1, Digests.sha256Hex(sad));
                        ps.setString(2, h);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                audit.append(AuditEvent.of(actor(caller.holder()), "csc.authorized", "order:" + credentialId,
                        "credential=" + credentialId + "; numSignatures=" + numSignatures + "; hashAlgorithm="
                                + CscAlgorithms.hashName(hashOid) + "; hashes=" + String.join(",", canonical)
                                + "; expires=" + expires + "; client=" + client));
                return null;
            });
            return new Authorization(sad, s.sad().toSeconds());
        } finally {
            if (pin != null) {
                Arrays.fill(pin, '\0');
            }
        }
    }

    /**
     * {@code signatures/signHash}: signs {@code hashes} with the credential's key, each of them authorised by
     * {@code sad} and not yet signed with it.
     *
     * @param hashOid the hash algorithm the client names, or null for the one the SAD authorised
     * @return the signatures, in the order of {@code hashes} (PKCS#1 v1.5 for RSA, DER ECDSA-Sig-Value for EC)
     */
    public List<byte[]> signHash(Caller caller, String credentialId, String sad, List<String> hashes, String hashOid,
            String signAlgo, String client) {
        owned(caller, credentialId);
        if (sad == null || sad.isBlank()) {
            throw CscException.invalid("Missing (or invalid type) string parameter SAD.");
        }
        if (hashes == null || hashes.isEmpty()) {
            throw CscException.invalid("Missing (or invalid type) array parameter hashes.");
        }
        if (signAlgo == null || signAlgo.isBlank()) {
            throw CscException.invalid("Missing (or invalid type) string parameter signAlgo.");
        }
        try {
            return database.inTransaction(c -> sign(c, caller, credentialId, Digests.sha256Hex(sad.strip()), hashes, hashOid,
                    signAlgo, client));
        } catch (CscException e) {
            if (e.reason() != null) {
                refuse(caller, credentialId, e.reason());
            }
            throw e;
        }
    }

    private List<byte[]> sign(Connection c, Caller caller, String credentialId, String sadHash, List<String> hashes,
            String hashOid, String signAlgo, String client) throws SQLException {
        String account;
        String credential;
        String authorisedHash;
        Instant expires;
        boolean usedUp;
        try (PreparedStatement ps = c.prepareStatement("SELECT account_id, credential_id, hash_algorithm, expires_at,"
                + " used_up FROM csc_sad WHERE sad_hash = ? FOR UPDATE")) {
            ps.setString(1, sadHash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw CscException.refused("sad-unknown", "Invalid parameter SAD: no such SAD; get one with"
                            + " credentials/authorize.");
                }
                account = rs.getString(1);
                credential = rs.getString(2);
                authorisedHash = rs.getString(3);
                expires = instant(rs, 4);
                usedUp = rs.getBoolean(5);
            }
        }
        if (!account.equals(caller.holder().id())) {
            throw CscException.refused("sad-other-holder", "Invalid parameter SAD: it was not issued to you.");
        }
        if (!credential.equals(credentialId)) {
            throw CscException.refused("sad-other-credential", "Invalid parameter SAD: it was issued for another"
                    + " credential.");
        }
        if (!clock.instant().isBefore(expires)) {
            throw CscException.refused("sad-expired", "SAD expired: authorise the hashes again with"
                    + " credentials/authorize.");
        }
        if (usedUp) {
            throw CscException.refused("sad-reused", "Invalid parameter SAD: it was already used for every hash it"
                    + " authorised; authorise again with credentials/authorize.");
        }
        if (hashOid != null && !hashOid.equals(authorisedHash)) {
            throw CscException.refused("hash-algorithm", "Invalid parameter hashAlgorithmOID: the SAD authorised "
                    + CscAlgorithms.hashName(authorisedHash) + " hashes (" + authorisedHash + ").");
        }
        List<String> canonical = canonical(hashes, authorisedHash);
        X509Certificate certificate = certificates().find(credentialId).map(IssuedCertificate::certificate)
                .orElseThrow(() -> CscException.invalid("Invalid parameter credentialID: no certificate."));
        PublicKey publicKey = certificate.getPublicKey();
        SignatureAlgorithm algorithm = CscAlgorithms.signing(CscAlgorithms.family(publicKey), signAlgo,
                authorisedHash);
        Instant now = clock.instant();
        try (PreparedStatement use = c.prepareStatement("UPDATE csc_sad_hash SET used_at = ? WHERE sad_hash = ? AND"
                + " hash_value = ? AND used_at IS NULL")) {
            for (int i = 0; i < canonical.size(); i++) {
                use.setObject(1, time(now));
                use.setString(2, sadHash);
                use.setString(3, canonical.get(i));
                if (use.executeUpdate() != 1) {
                    throw bound(c, sadHash, canonical.get(i))
                            ? CscException.refused("hash-reused", "Hash is not authorized by the SAD: hash " + (i + 1)
                                    + " was already signed with this SAD; authorise it again to sign it again.")
                            : CscException.refused("hash-not-authorised", "Hash is not authorized by the SAD: hash "
                                    + (i + 1) + " is not one of the hashes authorised with credentials/authorize.");
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE csc_sad SET used_up = TRUE WHERE sad_hash = ? AND NOT"
                + " EXISTS (SELECT 1 FROM csc_sad_hash h WHERE h.sad_hash = ? AND h.used_at IS NULL)")) {
            ps.setString(1, sadHash);
            ps.setString(2, sadHash);
            ps.executeUpdate();
        }
        SigningKey key;
        try {
            key = keys().signingKey(credentialId);
        } catch (IssuanceException e) {
            throw switch (e.kind()) {
                case CONFLICT -> CscException.refused("certificate-unusable", "Invalid parameter credentialID: its"
                        + " certificate is revoked or expired; it can no longer sign.");
                case UNAVAILABLE -> unavailable();
                default -> CscException.invalid("Invalid parameter credentialID: no key for this credential.");
            };
        }
        X509Certificate onToken;
        try {
            onToken = key.certificate();
        } catch (SignatureException e) {
            LOG.warn("CSC: the certificate of credential {} cannot be read from its token: {}", credentialId,
                    e.toString());
            throw unavailable();
        }
        if (!onToken.equals(certificate)) {
            LOG.warn("CSC: the key of credential {} does not hold the certificate issued for it; not signing",
                    credentialId);
            throw unavailable();
        }
        List<byte[]> signatures = new ArrayList<>();
        try {
            for (String h : canonical) {
                signatures.add(key.token().signDigest(key.alias(), algorithm, Base64.getDecoder().decode(h)));
            }
        } catch (TokenException e) {
            LOG.warn("CSC: the cloud key token could not sign for credential {}: {}", credentialId, e.toString());
            throw unavailable();
        }
        audit.append(AuditEvent.of(actor(caller.holder()), "csc.signed", "order:" + credentialId, "credential="
                + credentialId + "; hashes=" + canonical.size() + "; hashAlgorithm="
                + CscAlgorithms.hashName(authorisedHash) + "; signAlgo=" + signAlgo + "; signed="
                + String.join(",", canonical) + "; client=" + client));
        return signatures;
    }

    private static boolean bound(Connection c, String sadHash, String hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM csc_sad_hash WHERE sad_hash = ? AND"
                + " hash_value = ?")) {
            ps.setString(1, sadHash);
            ps.setString(2, hash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * The hashes decoded and encoded again in one spelling (standard Base64, padded), each checked against the
     * algorithm's digest length.
     */
    static List<String> canonical(List<String> hashes, String hashOid) {
        if (hashOid == null || hashOid.isBlank()) {
            throw CscException.invalid("Missing (or invalid type) string parameter hashAlgorithmOID.");
        }
        int length = CscAlgorithms.hashLength(hashOid);
        if (length < 0) {
            throw CscException.invalid("Invalid parameter hashAlgorithmOID: use SHA-256 (" + CscAlgorithms.SHA256
                    + "), SHA-384 (" + CscAlgorithms.SHA384 + ") or SHA-512 (" + CscAlgorithms.SHA512 + ").");
        }
        List<String> out = new ArrayList<>(hashes.size());
        for (int i = 0; i < hashes.size(); i++) {
            String h = hashes.get(i);
            byte[] bytes = decode(h);
            if (bytes == null) {
                throw CscException.invalid("Invalid Base64 hash string parameter: hash " + (i + 1) + " is not"
                        + " Base64.");
            }
            if (bytes.length != length) {
                throw CscException.invalid("Invalid digest value length: hash " + (i + 1) + " has " + bytes.length
                        + " bytes, a " + CscAlgorithms.hashName(hashOid) + " hash has " + length + ".");
            }
            out.add(Base64.getEncoder().encodeToString(bytes));
        }
        return out;
    }

    private static byte[] decode(String s) {
        if (s == null || s.length() > 200) {
            return null;
        }
        String t = s.strip();
        try {
            return t.indexOf('-') >= 0 || t.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(t)
                    : Base64.getDecoder().decode(t);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- helpers

    private OrderCertificates certificates() {
        OrderCertificates c = certificates.get();
        if (c == null) {
            throw unavailable();
        }
        return c;
    }

    private CloudSigningKeys keys() {
        CloudSigningKeys k = keys.get();
        if (k == null) {
            throw unavailable();
        }
        return k;
    }

    private static CscException unavailable() {
        return new CscException(503, "temporarily_unavailable", "The signing service is not available now; try"
                + " again in a few minutes. Nothing was signed.", null);
    }

    /** Audits a refusal about a credential, in a transaction of its own (the refused work was rolled back). */
    private void refuse(Caller caller, String credentialId, String reason) {
        record(actor(caller.holder()), "csc.refused", "order:" + credentialId, "credential=" + credentialId
                + "; reason=" + reason);
    }

    private void record(String actor, String action, String subject, String details) {
        database.inTransaction(c -> audit.append(AuditEvent.of(actor, action, subject, details)));
    }

    private static String actor(Holder holder) {
        return "customer:" + holder.id();
    }

    private static String message(AuthOutcome outcome, String otherwise) {
        return outcome.message() == null || outcome.message().isBlank() ? otherwise : outcome.message();
    }

    private String secret() {
        return RandomTokens.urlSafe(random, SECRET_BYTES);
    }

    private static String cut(String s, int max) {
        String t = s == null ? "" : s;
        return t.length() > max ? t.substring(0, max) : t;
    }

    /** For tests: the hashes of a SAD not yet signed. */
    Set<String> unused(String sad) {
        return database.inTransaction(c -> {
            Set<String> out = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT hash_value FROM csc_sad_hash WHERE sad_hash = ?"
                    + " AND used_at IS NULL")) {
                ps.setString(1, Digests.sha256Hex(sad));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }
}
