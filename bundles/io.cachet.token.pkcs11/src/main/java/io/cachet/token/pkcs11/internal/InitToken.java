package io.cachet.token.pkcs11.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.PKCS11Module;

import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenException.Reason;

/**
 * {@code C_InitToken}, which the wrapper's object API lacks. Its JNI layer has it, in a package the wrapper bundle
 * does not export: it is reached through reflection on the module object, so this bundle imports nothing the
 * framework cannot resolve.
 */
final class InitToken {

    /** CK_TOKEN_INFO and C_InitToken take a 32-byte label, blank-padded, not NUL-terminated. */
    static final int LABEL_BYTES = 32;

    private InitToken() {
    }

    static void initToken(PKCS11Module module, long slotId, char[] soPin, String label) throws PKCS11Exception {
        char[] padded = pad(label);
        try {
            Object jni = PKCS11Module.class.getMethod("getPKCS11Module").invoke(module);
            Method initToken = jni.getClass().getMethod("C_InitToken", long.class, char[].class, char[].class,
                    boolean.class);
            initToken.invoke(jni, slotId, soPin, padded, true);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            Long code = errorCode(cause);
            if (code != null) {
                throw new PKCS11Exception(code);
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new TokenException(Reason.DEVICE_ERROR, "C_InitToken failed: " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new TokenException(Reason.UNSUPPORTED, "This version of the PKCS#11 wrapper offers no C_InitToken ("
                    + e + "): initialise the token with the vendor's tool", e);
        }
    }

    private static Long errorCode(Throwable t) {
        if (t == null) {
            return null;
        }
        try {
            Object code = t.getClass().getMethod("getErrorCode").invoke(t);
            return code instanceof Long l ? l : null;
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    /** {@code label} padded with blanks to exactly {@value #LABEL_BYTES} bytes of UTF-8. */
    static char[] pad(String label) {
        int bytes = label.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > LABEL_BYTES) {
            throw new IllegalArgumentException("Token label '" + label + "' is " + bytes + " bytes of UTF-8; at most "
                    + LABEL_BYTES + " fit");
        }
        char[] padded = Arrays.copyOf(label.toCharArray(), label.length() + LABEL_BYTES - bytes);
        Arrays.fill(padded, label.length(), padded.length, ' ');
        return padded;
    }
}
