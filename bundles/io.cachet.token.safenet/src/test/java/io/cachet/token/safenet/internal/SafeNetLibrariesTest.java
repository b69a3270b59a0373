package io.cachet.token.safenet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SafeNetLibrariesTest {

    @Test
    void eachOperatingSystemHasItsDefaultsInOrder() {
        assertEquals(java.util.List.of("/usr/lib/libeTPkcs11.so", "/usr/lib64/libeTPkcs11.so",
                "/usr/lib/libIDPrimePKCS11.so"), SafeNetLibraries.defaults("Linux"));
        assertEquals(java.util.List.of("/usr/local/lib/libeTPkcs11.dylib"), SafeNetLibraries.defaults("Mac OS X"));
        assertEquals(java.util.List.of("C:\\Windows\\System32\\eTPKCS11.dll"),
                SafeNetLibraries.defaults("Windows 11"));
    }

    @Test
    void theFirstExistingDefaultIsChosen() {
        Set<String> present = Set.of("/usr/lib64/libeTPkcs11.so", "/usr/lib/libIDPrimePKCS11.so");
        assertEquals(Optional.of("/usr/lib64/libeTPkcs11.so"),
                SafeNetLibraries.choose(null, "Linux", present::contains));
        assertEquals(Optional.of("/usr/lib/libIDPrimePKCS11.so"),
                SafeNetLibraries.choose("", "Linux", Set.of("/usr/lib/libIDPrimePKCS11.so")::contains));
        assertEquals(Optional.empty(), SafeNetLibraries.choose(" ", "Linux", p -> false));
        assertEquals(Optional.empty(), SafeNetLibraries.choose(null, "Windows 10", present::contains));
    }

    @Test
    void aConfiguredPathWinsEvenWhenMissingSoThatTheMistakeIsReported() {
        assertEquals(Optional.of("/opt/sac/libeTPkcs11.so"),
                SafeNetLibraries.choose(" /opt/sac/libeTPkcs11.so ", "Linux", p -> true));
        assertEquals(Optional.of("/opt/missing.so"), SafeNetLibraries.choose("/opt/missing.so", "Linux", p -> false));
    }
}
