package io.cachet.api.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** An upload's type is told by its first bytes only, never by a name or a declared type. */
class FileTypesTest {

    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0};

    @Test
    void theThreeAcceptedTypesAreToldByTheirSignatures() {
        assertEquals(FileTypes.PDF, FileTypes.of("%PDF-1.7\n%\u00e2\u00e3".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(FileTypes.JPEG, FileTypes.of(JPEG));
        assertEquals(FileTypes.PNG, FileTypes.of(PNG));
        assertEquals(FileTypes.JPEG, FileTypes.image(JPEG));
        assertEquals(FileTypes.PNG, FileTypes.image(PNG));
    }

    @Test
    void aPdfIsNotAnImage() {
        assertNull(FileTypes.image("%PDF-1.4".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void anythingElseIsNothing() {
        assertNull(FileTypes.of(null));
        assertNull(FileTypes.of(new byte[0]));
        assertNull(FileTypes.of("GIF89a....".getBytes(StandardCharsets.US_ASCII)));
        assertNull(FileTypes.of("<html><body>%PDF-1.7".getBytes(StandardCharsets.US_ASCII)), "the header must lead");
        assertNull(FileTypes.of(" %PDF-1.7".getBytes(StandardCharsets.US_ASCII)));
        assertNull(FileTypes.of("%PDF".getBytes(StandardCharsets.US_ASCII)), "cut before the dash");
        assertNull(FileTypes.of(new byte[] {(byte) 0xFF, (byte) 0xD8}), "a JPEG's start cut short");
        assertNull(FileTypes.of(java.util.Arrays.copyOf(PNG, 7)), "a PNG signature cut short");
        byte[] notPng = PNG.clone();
        notPng[4] = '\n'; // a signature mangled by a newline conversion, which is what the 0D 0A is there to catch
        assertNull(FileTypes.of(notPng));
    }
}
