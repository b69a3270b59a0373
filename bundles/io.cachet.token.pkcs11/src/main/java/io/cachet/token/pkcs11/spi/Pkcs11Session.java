package io.cachet.token.pkcs11.spi;

import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.cachet.api.token.TokenException;

/**
 * A PKCS#11 session lent to a profile for the duration of one call: objects are found and attributes read as raw
 * bytes, so vendor-defined attributes need no support from the wrapper. Not thread-safe; never keep it.
 */
@ProviderType
public interface Pkcs11Session {

    /** PKCS#11 slot id of the session's token. */
    long slotId();

    /**
     * Object handles matching {@code template}, at most {@code max}.
     *
     * @param template attribute type to value: {@code Long} for CK_ULONG attributes (classes, types),
     *        {@code Boolean} for CK_BBOOL, {@code byte[]} for byte arrays, {@code String} for UTF-8 text
     * @throws TokenException as mapped from the module
     */
    long[] findObjects(Map<Long, Object> template, int max);

    /**
     * The raw value of one attribute, as the module returns it: for CK_ULONG attributes the bytes of the
     * platform's {@code unsigned long} in native byte order.
     *
     * @return empty when the object has no such attribute, or it is sensitive or unreadable
     * @throws TokenException as mapped from the module for other errors (e.g. a removed token)
     */
    Optional<byte[]> rawAttribute(long object, long type);
}
