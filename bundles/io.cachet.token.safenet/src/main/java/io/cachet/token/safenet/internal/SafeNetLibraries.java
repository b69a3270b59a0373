package io.cachet.token.safenet.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/** Where SafeNet Authentication Client installs its PKCS#11 modules, per operating system. */
final class SafeNetLibraries {

    /**
     * Linux: the eToken library first, then its 64-bit location on RPM-based systems, then the Gemalto-origin
     * IDPrime library that IDPrime-based models such as the eToken 5110 CC use.
     */
    static final List<String> LINUX = List.of("/usr/lib/libeTPkcs11.so", "/usr/lib64/libeTPkcs11.so",
            "/usr/lib/libIDPrimePKCS11.so");
    static final List<String> MAC = List.of("/usr/local/lib/libeTPkcs11.dylib");
    static final List<String> WINDOWS = List.of("C:\\Windows\\System32\\eTPKCS11.dll");

    private SafeNetLibraries() {
    }

    /** The default paths to probe, in order, on the operating system named {@code osName} ({@code os.name}). */
    static List<String> defaults(String osName) {
        String os = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            return WINDOWS;
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return MAC;
        }
        return LINUX;
    }

    /**
     * The module to use: the configured path when one is given (whether it exists or not, so that a wrong
     * configuration is reported rather than silently replaced), else the first default that exists.
     */
    static Optional<String> choose(String configured, String osName, Predicate<String> exists) {
        if (configured != null && !configured.isBlank()) {
            return Optional.of(configured.trim());
        }
        return defaults(osName).stream().filter(exists).findFirst();
    }

    static Optional<String> choose(String configured) {
        return choose(configured, System.getProperty("os.name"), p -> Files.isRegularFile(Path.of(p)));
    }
}
