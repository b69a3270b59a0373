package io.cachet.token.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_CRYPTOKI_ALREADY_INITIALIZED;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.StaticLogger;

import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenException.Reason;

/**
 * One loaded and initialised PKCS#11 module, shared by every driver of this JVM on the same library: a module is
 * initialised once per process, so a second {@code C_Initialize} would fail and a {@code C_Finalize} by one driver
 * would end the sessions of all the others. Reference counted; finalised when the last driver lets go.
 */
final class SharedModule {

    private static final Logger LOG = LoggerFactory.getLogger(SharedModule.class);
    private static final Map<Path, SharedModule> OPEN = new HashMap<>();

    static {
        StaticLogger.setLogger(new WrapperLog());
    }

    final Path library;
    final PKCS11Module module;
    /**
     * Serial numbers of the tokens logged in through this module. PKCS#11 keeps one login state per application
     * and token, so a second login would succeed without checking its PIN: it is refused instead.
     */
    final Set<String> loggedIn = ConcurrentHashMap.newKeySet();
    private final boolean initializedHere;
    private int references;

    private SharedModule(Path library, PKCS11Module module, boolean initializedHere) {
        this.library = library;
        this.module = module;
        this.initializedHere = initializedHere;
    }

    /**
     * @throws IllegalArgumentException when the file does not exist
     * @throws TokenException {@code DEVICE_ERROR} when it cannot be loaded or initialised
     */
    static SharedModule acquire(String library) {
        Path path = Path.of(library);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("PKCS#11 library " + library + " does not exist: install the token "
                    + "vendor's PKCS#11 module or correct the configured library path");
        }
        Path key;
        try {
            key = path.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("PKCS#11 library " + library + " cannot be read: " + e.getMessage(), e);
        }
        synchronized (OPEN) {
            SharedModule shared = OPEN.get(key);
            if (shared == null) {
                shared = load(key);
                OPEN.put(key, shared);
            }
            shared.references++;
            return shared;
        }
    }

    private static SharedModule load(Path library) {
        PKCS11Module module;
        try {
            module = PKCS11Module.getInstance(library.toString());
        } catch (IOException | LinkageError e) {
            throw new TokenException(Reason.DEVICE_ERROR, "PKCS#11 library " + library + " cannot be loaded ("
                    + e.getMessage() + "): is it a PKCS#11 module for this platform (" + System.getProperty("os.arch")
                    + ")?", e);
        }
        boolean initializedHere = true;
        try {
            module.initialize();
        } catch (PKCS11Exception e) {
            if (e.getErrorCode() != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
                throw new TokenException(Reason.DEVICE_ERROR, "C_Initialize of PKCS#11 library " + library
                        + " failed with " + Errors.name(e.getErrorCode()), e);
            }
            // another user of the library in this process (e.g. SunPKCS11) initialised it: share, never finalise
            initializedHere = false;
            LOG.info("PKCS#11 library {} was already initialised in this JVM; sharing it", library);
        }
        return new SharedModule(library, module, initializedHere);
    }

    void release() {
        synchronized (OPEN) {
            if (--references > 0) {
                return;
            }
            OPEN.remove(library);
        }
        if (initializedHere) {
            try {
                module.finalize(null);
            } catch (PKCS11Exception e) {
                LOG.warn("C_Finalize of PKCS#11 library {} failed with {}", library, Errors.name(e.getErrorCode()));
            }
        }
    }
}
