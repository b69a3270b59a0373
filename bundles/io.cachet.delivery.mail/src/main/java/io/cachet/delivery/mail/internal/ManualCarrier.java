package io.cachet.delivery.mail.internal;

import io.cachet.api.delivery.Carrier;

/**
 * The built-in carrier: the operator hands the letter to the post office, types its tracking number and reports each
 * state. Never polled; accepts no webhook (the default {@link Carrier#event} refuses every call).
 */
final class ManualCarrier implements Carrier {

    static final String ID = "manual";
    static final ManualCarrier INSTANCE = new ManualCarrier();

    private ManualCarrier() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String name() {
        return "Manual (tracking number typed by the operator)";
    }
}
