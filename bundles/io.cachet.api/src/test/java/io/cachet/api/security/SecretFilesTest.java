package io.cachet.api.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFilesTest {

    @TempDir
    Path dir;

    private char[] firstLine(String content) throws Exception {
        return SecretFiles.firstLine(Files.writeString(dir.resolve("secret"), content, StandardCharsets.UTF_8));
    }

    @Test
    void theSecretIsTheFirstLineWithoutItsLineEndSpacesIncluded() throws Exception {
        assertArrayEquals("1234".toCharArray(), firstLine("1234"));
        assertArrayEquals("1234".toCharArray(), firstLine("1234\nsecond line"));
        assertArrayEquals("1234".toCharArray(), firstLine("1234\r\n"), "a file written on Windows");
        assertArrayEquals("1234".toCharArray(), firstLine("1234\r"));
        assertArrayEquals(" p\u00e4ss w\u00f6rd ".toCharArray(), firstLine(" p\u00e4ss w\u00f6rd \n"), "UTF-8, spaces kept");
        assertEquals(0, firstLine("\nsecond line").length, "an empty first line: the caller says what is wrong");
        assertEquals(0, firstLine("").length);
    }

    @Test
    void aFileThatIsNotUtf8OrIsMissingIsRefused() throws Exception {
        Path latin1 = Files.write(dir.resolve("latin1"), new byte[] {'p', (byte) 0xe4, 's', 's'});
        assertThrows(CharacterCodingException.class, () -> SecretFiles.firstLine(latin1));
        assertThrows(NoSuchFileException.class, () -> SecretFiles.firstLine(dir.resolve("none")));
    }

    @Test
    void theCallersBytesAreLeftForTheCallerToWipe() throws Exception {
        byte[] content = "pin\n".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals("pin".toCharArray(), SecretFiles.firstLine(content));
        assertArrayEquals("pin\n".getBytes(StandardCharsets.UTF_8), content);
    }
}
