package io.cachet.api.order;

import java.util.Locale;
import java.util.Optional;

/** Where the certificate's key lives and how it reaches its holder. */
public enum Medium {
    /** A physical token with a USB-A connector, shipped by registered mail. */
    USB_A("usb-a"),
    /** A physical token with a USB-C connector, shipped by registered mail. */
    USB_C("usb-c"),
    /** A key in the platform's HSM, used from the customer space. */
    CLOUD("cloud");

    private final String id;

    Medium(String id) {
        this.id = id;
    }

    /** The name used in JSON, forms and the database: {@code usb-a}, {@code usb-c}, {@code cloud}. */
    public String id() {
        return id;
    }

    /** @return whether this medium is a physical token (a delivery address is then required) */
    public boolean token() {
        return this != CLOUD;
    }

    /** @return the medium named {@code id}, any case */
    public static Optional<Medium> parse(String id) {
        if (id != null) {
            String s = id.strip().toLowerCase(Locale.ROOT);
            for (Medium m : values()) {
                if (m.id.equals(s)) {
                    return Optional.of(m);
                }
            }
        }
        return Optional.empty();
    }
}
