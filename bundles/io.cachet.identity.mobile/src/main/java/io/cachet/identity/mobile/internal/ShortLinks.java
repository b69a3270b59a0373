package io.cachet.identity.mobile.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.security.Digests;
import io.cachet.api.security.SecretVault;
import io.cachet.api.store.Database;

/**
 * Short links that carry a flow from a computer to a phone: {@code /identity/m/<code>}, a code of 8 characters
 * from an alphabet without look-alikes (40 bits), shown as {@code ABCD-EFGH} and in the QR code. Stored durably
 * (every node, every restart): the code only as its SHA-256, the flow token it leads to sealed with the master key.
 * A code expires after the configured validity; expired rows are deleted as new ones are made. Guessing is
 * bounded by the look-up limit per client (see {@link MobileServlet}). Thread-safe.
 */
final class ShortLinks {

    static final String ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    static final int LENGTH = 8;
    private static final String PURPOSE = "identity-mobile.short-link";

    /** What a valid code leads to. */
    record Target(String caseId, String flowToken, String language) {
    }

    private final Database database;
    private final SecretVault vault;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration validity;

    ShortLinks(Database database, SecretVault vault, AuditLog audit, Clock clock, SecureRandom random,
            Duration validity) {
        this.database = database;
        this.vault = vault;
        this.audit = audit;
        this.clock = clock;
        this.random = random;
        this.validity = validity;
    }

    static void migrate(Database database) {
        database.migrate("identity_mobile", ShortLinks.class.getClassLoader(), "db/identity_mobile");
    }

    Duration validity() {
        return validity;
    }

    /** A new code for the flow (earlier ones stay valid until they expire); audited. */
    String issue(String caseId, String flowToken, String language) {
        char[] c = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            c[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        String code = new String(c);
        byte[] flow = flowToken.getBytes(StandardCharsets.US_ASCII);
        String sealed = Base64.getEncoder().encodeToString(vault.seal(PURPOSE, flow));
        Instant now = clock.instant();
        database.inTransaction(conn -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "DELETE FROM identity_mobile_short WHERE expires_at < ?")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO identity_mobile_short (code_hash, case_id,"
                    + " flow_sealed, language, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, Digests.sha256Hex(code));
                ps.setString(2, caseId);
                ps.setString(3, sealed);
                ps.setString(4, language);
                ps.setTimestamp(5, Timestamp.from(now));
                ps.setTimestamp(6, Timestamp.from(now.plus(validity)));
                ps.executeUpdate();
            }
            audit.append(AuditEvent.of(MobileServlet.ACTOR, "identity.mobile.short-link.issued",
                    "identity-case:" + caseId, "valid " + validity.toMinutes() + " min"));
            return null;
        });
        return code;
    }

    /** The flow of a code typed or scanned (case, dashes and spaces ignored), while it has not expired. */
    Optional<Target> resolve(String typed) {
        String code = normalise(typed);
        if (code == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<String[]> row = database.inTransaction(conn -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT case_id, flow_sealed, language FROM"
                    + " identity_mobile_short WHERE code_hash = ? AND expires_at > ?")) {
                ps.setString(1, Digests.sha256Hex(code));
                ps.setTimestamp(2, Timestamp.from(now));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})
                            : Optional.<String[]>empty();
                }
            }
        });
        if (row.isEmpty()) {
            return Optional.empty();
        }
        try {
            byte[] flow = vault.open(PURPOSE, Base64.getDecoder().decode(row.get()[1]));
            try {
                return Optional.of(new Target(row.get()[0], new String(flow, StandardCharsets.US_ASCII),
                        row.get()[2]));
            } finally {
                Arrays.fill(flow, (byte) 0);
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** @return the code in canonical form (upper case, no separators), or null when it cannot be one */
    static String normalise(String typed) {
        if (typed == null) {
            return null;
        }
        String s = typed.toUpperCase(Locale.ROOT).replaceAll("[\\s-]", "");
        if (s.length() != LENGTH) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (ALPHABET.indexOf(s.charAt(i)) < 0) {
                return null;
            }
        }
        return s;
    }

    /** {@code ABCD-EFGH}. */
    static String display(String code) {
        return code.substring(0, 4) + "-" + code.substring(4);
    }

}
