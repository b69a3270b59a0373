package io.cachet.token.pkcs11.internal;

import io.cachet.token.pkcs11.spi.Pkcs11Profile;

/** Standard PKCS#11 only: for modules no profile bundle knows. */
final class GenericProfile implements Pkcs11Profile {

    @Override
    public String name() {
        return "PKCS#11";
    }
}
