package io.cachet.ca.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.store.Database;
import io.cachet.api.store.StoreException;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenDriver;
import io.cachet.api.token.TokenKey;

/**
 * A root CA whose key is on a token of its own that the server does not keep logged in: its certificate and its
 * authority revocation lists (ARL: the CRL of its sub-CAs, RFC 5280 with an issuing distribution point limited to
 * CA certificates) are kept in the database ({@code ca_root}, {@code ca_arl}). Signing a new ARL is a ceremony:
 * the operator supplies the root token's PIN for that one signature ({@link #renewArl}), the token is logged out
 * right after.
 *
 * <p>Entries of the previous ARL are carried into the next one. Cachet does not revoke its own issuing CA (a
 * compromised issuing CA means a new CA); the ARL is what tells relying parties that it is not revoked.
 */
public final class OfflineRoot {

    private final Database database;
    private final X509Certificate root;
    private final String rootId;
    private final String rootTokenLabel;
    private final String aliasPrefix;
    private final Duration arlValidity;
    private final Clock clock;
    private final AtomicReference<X509CRL> arl = new AtomicReference<>();
    private final Object renewLock = new Object();

    private OfflineRoot(Database database, X509Certificate root, String rootTokenLabel, String aliasPrefix,
            Duration arlValidity, Clock clock) {
        this.database = database;
        this.root = root;
        this.rootId = JdbcCertificateRepository.issuerId(root);
        this.rootTokenLabel = rootTokenLabel;
        this.aliasPrefix = aliasPrefix;
        this.arlValidity = requirePositive(arlValidity);
        this.clock = clock;
    }

    /** Applies the CA module's migrations (the tables this class uses). */
    static void migrate(Database database) {
        database.migrate("ca", OfflineRoot.class.getClassLoader(), "db/ca");
    }

    /**
     * The offline root of {@code issuing}, when the key ceremony recorded one.
     *
     * @throws CaException when the stored root did not sign {@code issuing}
     */
    static Optional<OfflineRoot> find(Database database, X509Certificate issuing, String aliasPrefix,
            Duration arlValidity, Clock clock) {
        migrate(database);
        String issuer = JdbcCertificateRepository.issuerId(issuing);
        Optional<Object[]> row = database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT root_token, der FROM ca_root WHERE issuer = ?")) {
                ps.setString(1, issuer);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Object[] { rs.getString(1), rs.getBytes(2) })
                            : Optional.<Object[]>empty();
                }
            }
        });
        if (row.isEmpty()) {
            return Optional.empty();
        }
        X509Certificate root = CaHierarchy.toX509(holder((byte[]) row.get()[1]));
        try {
            issuing.verify(root.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "the root certificate stored for this issuing CA did"
                    + " not sign it; the database does not belong to this CA token", e);
        }
        OfflineRoot r = new OfflineRoot(database, root, (String) row.get()[0], aliasPrefix, arlValidity,
                clock);
        r.arl.set(r.latest().orElse(null));
        return Optional.of(r);
    }

    /**
     * Part of the key ceremony, inside its transaction (after {@link #migrate}): records the root of {@code hierarchy} (whose key is on
     * {@code rootToken}, still logged in) and signs the first ARL.
     */
    static OfflineRoot record(Database database, AuditLog audit, CaHierarchy hierarchy, Token rootToken,
            String rootTokenLabel, Duration arlValidity, Clock clock, String actor) {
        OfflineRoot r = new OfflineRoot(database, hierarchy.root(), rootTokenLabel,
                hierarchy.settings().aliasPrefix(), arlValidity, clock);
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO ca_root (issuer, root_token, der) VALUES (?, ?, ?)")) {
                ps.setString(1, JdbcCertificateRepository.issuerId(hierarchy.issuing()));
                ps.setString(2, rootTokenLabel);
                ps.setBytes(3, encoded(hierarchy.root()));
                ps.executeUpdate();
            }
            return null;
        });
        r.sign(rootToken, audit, actor);
        return r;
    }

    public X509Certificate root() {
        return root;
    }

    public String rootTokenLabel() {
        return rootTokenLabel;
    }

    /** The newest ARL, if one was ever signed. */
    public Optional<X509CRL> arl() {
        return Optional.ofNullable(arl.get());
    }

    /**
     * The ARL renewal ceremony: logs in to the root token with {@code pin}, signs a new ARL valid for the configured
     * time, stores and audits it, logs out.
     *
     * @throws CaException {@code INVALID_REQUEST} for a wrong PIN or a token that does not hold this root's key,
     *         {@code UNAVAILABLE} when the root token is not connected
     */
    public X509CRL renewArl(TokenDriver driver, char[] pin, AuditLog audit, String actor) {
        synchronized (renewLock) {
            try (Token rootToken = CaTokenCustody.loginRoot(driver, rootTokenLabel, pin)) {
                return sign(rootToken, audit, actor);
            }
        }
    }

    private X509CRL sign(Token rootToken, AuditLog audit, String actor) {
        String alias = aliasPrefix + "root";
        TokenKey key = rootToken.keys().stream().filter(k -> k.alias().equals(alias)).findFirst()
                .orElseThrow(() -> new CaException("the token '" + rootTokenLabel + "' holds no key " + alias
                        + ": it is not this CA's root token"));
        if (!key.publicKey().equals(root.getPublicKey())) {
            throw new CaException("the key " + alias + " on the token '" + rootTokenLabel + "' is not the key of the"
                    + " root certificate: it is not this CA's root token");
        }
        return database.inTransaction(c -> {
            Optional<X509CRL> previous = latest();
            long number = 1;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT MAX(arl_number) FROM ca_arl WHERE root = ?")) {
                ps.setString(1, rootId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        number = rs.getLong(1) + 1;
                    }
                }
            }
            Instant now = clock.instant();
            Instant next = now.plus(arlValidity);
            X509CRL made = build(rootToken, key, number, now, next, previous.orElse(null));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ca_arl (root, arl_number, this_update,"
                    + " next_update, der) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, rootId);
                ps.setLong(2, number);
                ps.setObject(3, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                ps.setObject(4, OffsetDateTime.ofInstant(next, ZoneOffset.UTC));
                ps.setBytes(5, made.getEncoded());
                ps.executeUpdate();
            } catch (CRLException e) {
                throw new CaException("the ARL cannot be encoded", e);
            }
            audit.append(AuditEvent.of(actor, "ca.arl.published", "arl:" + number, "root="
                    + root.getSubjectX500Principal().getName() + "\nthisUpdate=" + now + "\nnextUpdate=" + next
                    + "\nentries=" + (made.getRevokedCertificates() == null ? 0 : made.getRevokedCertificates().size())));
            arl.set(made);
            return made;
        });
    }

    private X509CRL build(Token rootToken, TokenKey key, long number, Instant now, Instant next, X509CRL previous) {
        try {
            X509v2CRLBuilder b = new X509v2CRLBuilder(X500Name.getInstance(root.getSubjectX500Principal().getEncoded()),
                    Date.from(now));
            b.setNextUpdate(Date.from(next));
            byte[] ski = root.getExtensionValue(Extension.subjectKeyIdentifier.getId());
            b.addExtension(Extension.authorityKeyIdentifier, false, ski == null
                    ? new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(root.getPublicKey())
                    : new AuthorityKeyIdentifier(SubjectKeyIdentifier.getInstance(
                            ASN1OctetString.getInstance(ski).getOctets()).getKeyIdentifier()));
            b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)));
            // an ARL: only CA certificates are in scope. No distribution point name: the list is complete for that
            // scope, so it also covers the root itself, which has no CRL distribution point (openssl -crl_check_all
            // checks the root too and refuses a CRL whose scope names a point the root does not carry)
            b.addExtension(Extension.issuingDistributionPoint, true, new IssuingDistributionPoint(
                    null, false, true, null, false, false));
            if (previous != null) {
                b.addCRL(new X509CRLHolder(previous.getEncoded()));
            }
            X509CRL made = new JcaX509CRLConverter().getCRL(b.build(new TokenContentSigner(rootToken, key.alias(),
                    TokenContentSigner.algorithmFor(key.algorithm()))));
            made.verify(root.getPublicKey());
            return made;
        } catch (IOException | GeneralSecurityException e) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "cannot build the ARL: " + e.getMessage(), e);
        }
    }

    private Optional<X509CRL> latest() {
        try {
            return database.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT der FROM ca_arl WHERE root = ? ORDER BY arl_number DESC")) {
                    ps.setMaxRows(1);
                    ps.setString(1, rootId);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(crl(rs.getBytes(1))) : Optional.<X509CRL>empty();
                    }
                }
            });
        } catch (StoreException e) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "the ARL cannot be read: " + e.getMessage(), e);
        }
    }

    private static X509CRL crl(byte[] der) {
        try {
            return new JcaX509CRLConverter().getCRL(new X509CRLHolder(der));
        } catch (IOException | CRLException e) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "a stored ARL cannot be decoded", e);
        }
    }

    private static org.bouncycastle.cert.X509CertificateHolder holder(byte[] der) {
        try {
            return new org.bouncycastle.cert.X509CertificateHolder(der);
        } catch (IOException e) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "the stored root certificate cannot be decoded", e);
        }
    }

    private static byte[] encoded(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new CaException("certificate cannot be encoded", e);
        }
    }

    private static Duration requirePositive(Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new CaException("the ARL validity must be positive");
        }
        return d;
    }
}
