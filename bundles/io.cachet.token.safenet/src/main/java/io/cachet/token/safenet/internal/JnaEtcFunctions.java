package io.cachet.token.safenet.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.ptr.NativeLongByReference;

import io.cachet.api.token.TokenException;

/**
 * The ETC_* functions called through JNA. They are exported by the SAC library next to the PKCS#11 entry points
 * but are not in its function list, so the PKCS#11 wrapper cannot reach them. JNA opens the same library file the
 * driver has loaded and initialised, so the operating system hands back the same loaded module and the session
 * ETC_InitTokenInit opens lives in the module the driver uses.
 *
 * <p><b>Verified here</b> (against a stub library compiled in the tests): the marshalling, i.e. CK_ULONG as the
 * platform's {@code unsigned long}, PINs and the 32-byte blank-padded label as UTF-8 bytes, CK_BBOOL as one byte,
 * the session handle returned through a pointer, and CK_RV codes turned into {@link TokenException}s.
 *
 * <p><b>Only verifiable on SafeNet hardware</b> (none was available): that SAC's libraries export these symbols
 * (eTPKCS11 does per the SDK header; IDPrimePKCS11 may not, in which case the driver declares no policy
 * capability); that a {@code NULL} administrator password yields a token without administrator, so that a locked
 * PIN cannot be unblocked; how re-initialising a token that has an administrator password is authorised; and that
 * the administrator retry counter passed here ({@value #ADMIN_RETRIES}) is accepted.
 */
final class JnaEtcFunctions implements EtcFunctions {

    private static final Logger LOG = LoggerFactory.getLogger(JnaEtcFunctions.class);
    /** Wrong administrator passwords before it locks for good: SafeNet's published default for the 5110. */
    static final int ADMIN_RETRIES = 5;
    static final int LABEL_BYTES = 32;

    private final String library;
    private final Function initTokenInit;
    private final Function initPin;
    private final Function initTokenFinal;

    private JnaEtcFunctions(String library, NativeLibrary native_) {
        this.library = library;
        this.initTokenInit = native_.getFunction("ETC_InitTokenInit");
        this.initPin = native_.getFunction("ETC_InitPIN");
        this.initTokenFinal = native_.getFunction("ETC_InitTokenFinal");
    }

    /**
     * The ETC functions of {@code library}, or empty when it does not export them (a non-SafeNet module, the
     * IDPrime library) or JNA cannot run on this platform.
     */
    static Optional<EtcFunctions> load(String library) {
        try {
            return Optional.of(new JnaEtcFunctions(library, NativeLibrary.getInstance(library)));
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            LOG.debug("No ETC_* functions in {}: {}", library, e.toString());
            return Optional.empty();
        }
    }

    @Override
    public void initialize(long slotId, char[] adminPin, char[] userPin, String label, int userRetries,
            boolean mustChange) {
        Secret admin = adminPin == null ? null : new Secret(adminPin);
        Secret user = new Secret(userPin);
        try {
            NativeLongByReference session = new NativeLongByReference();
            check(initTokenInit.invoke(NativeLong.class, new Object[] {new NativeLong(slotId),
                admin == null ? null : admin.memory, new NativeLong(admin == null ? 0 : admin.length),
                new NativeLong(ADMIN_RETRIES), label(label), session}), "ETC_InitTokenInit on slot " + slotId);
            NativeLong handle = session.getValue();
            boolean finished = false;
            try {
                check(initPin.invoke(NativeLong.class, new Object[] {handle, user.memory,
                    new NativeLong(user.length), new NativeLong(userRetries), (byte) (mustChange ? 1 : 0)}),
                        "ETC_InitPIN on slot " + slotId);
                check(initTokenFinal.invoke(NativeLong.class, new Object[] {handle}),
                        "ETC_InitTokenFinal on slot " + slotId);
                finished = true;
            } finally {
                if (!finished) {
                    // best effort to release the initialisation session; the first error is the one reported
                    try {
                        initTokenFinal.invoke(NativeLong.class, new Object[] {handle});
                    } catch (RuntimeException e) {
                        LOG.debug("ETC_InitTokenFinal after a failure: {}", e.toString());
                    }
                }
            }
        } finally {
            if (admin != null) {
                admin.wipe();
            }
            user.wipe();
        }
    }

    /** A PIN as UTF-8 in native memory of our own, so that the copy can be wiped (JNA's copy of a byte[] is not). */
    private static final class Secret {
        final Memory memory;
        final int length;

        Secret(char[] pin) {
            ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(pin));
            length = encoded.remaining();
            memory = new Memory(Math.max(1, length));
            for (int i = 0; i < length; i++) {
                memory.setByte(i, encoded.get(i));
            }
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
        }

        void wipe() {
            memory.clear();
        }
    }

    /** CK_UTF8CHAR[32], blank-padded, not NUL-terminated. */
    static byte[] label(String label) {
        byte[] utf8 = label.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > LABEL_BYTES) {
            throw new IllegalArgumentException("Token label '" + label + "' is " + utf8.length + " bytes of UTF-8; at "
                    + "most " + LABEL_BYTES + " fit");
        }
        byte[] padded = Arrays.copyOf(utf8, LABEL_BYTES);
        Arrays.fill(padded, utf8.length, LABEL_BYTES, (byte) ' ');
        return padded;
    }

    private void check(Object rv, String what) {
        long code = ((NativeLong) rv).longValue();
        if (code != 0) {
            throw CkrCodes.exception(code, what + " (" + library + ")");
        }
    }
}
