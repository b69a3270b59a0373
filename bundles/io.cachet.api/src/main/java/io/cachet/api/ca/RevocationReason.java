package io.cachet.api.ca;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** RFC 5280 CRLReason values a CA of seals uses ({@code certificateHold} is not offered: revocation is final). */
public enum RevocationReason {
    UNSPECIFIED(0),
    KEY_COMPROMISE(1),
    CA_COMPROMISE(2),
    AFFILIATION_CHANGED(3),
    SUPERSEDED(4),
    CESSATION_OF_OPERATION(5),
    PRIVILEGE_WITHDRAWN(9);

    private final int code;

    RevocationReason(int code) {
        this.code = code;
    }

    /**
     * The reasons a subscriber may give when they revoke their own certificate: not {@code cACompromise} (the CA's
     * to say) nor {@code privilegeWithdrawn} (the provider's decision), in the order a form offers them.
     *
     * @since 2.3
     */
    public static List<RevocationReason> bySubscriber() {
        return List.of(UNSPECIFIED, KEY_COMPROMISE, AFFILIATION_CHANGED, SUPERSEDED, CESSATION_OF_OPERATION);
    }

    /** The RFC 5280 code. */
    public int code() {
        return code;
    }

    /** The camel-case name RFC 5280 uses, e.g. {@code keyCompromise}. */
    public String rfcName() {
        String[] words = name().toLowerCase(Locale.ROOT).split("_");
        StringBuilder b = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            b.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        }
        return b.toString();
    }

    /** Parses {@code keyCompromise}, {@code KEY_COMPROMISE} or {@code key_compromise}. */
    public static Optional<RevocationReason> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (RevocationReason r : values()) {
            if (r.name().equalsIgnoreCase(text) || r.rfcName().equalsIgnoreCase(text)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    public static Optional<RevocationReason> ofCode(int code) {
        for (RevocationReason r : values()) {
            if (r.code == code) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
