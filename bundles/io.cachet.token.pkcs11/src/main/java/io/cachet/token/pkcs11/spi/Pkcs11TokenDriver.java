package io.cachet.token.pkcs11.spi;

import org.osgi.annotation.versioning.ProviderType;

import io.cachet.api.token.TokenDriver;

/**
 * A {@link TokenDriver} on a PKCS#11 module that holds the module open until {@link #close()}.
 */
@ProviderType
public interface Pkcs11TokenDriver extends TokenDriver, AutoCloseable {

    /** The module path this driver was opened on. */
    String library();

    /**
     * Logs out and closes every token this driver opened and releases the module ({@code C_Finalize} once no
     * other driver in this JVM uses the same module). Idempotent; the driver answers
     * {@link io.cachet.api.token.TokenException.Reason#CLOSED} afterwards.
     */
    @Override
    void close();
}
