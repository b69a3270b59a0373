package io.cachet.api.order;

import java.util.Locale;

/** The part a person plays in an order; personal links, checks and e-mails name it. */
public enum OrderRole {
    CERTIFICATE_MANAGER, LEGAL_REPRESENTATIVE;

    /** {@code certificate-manager} or {@code legal-representative}, as in JSON and URLs. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
