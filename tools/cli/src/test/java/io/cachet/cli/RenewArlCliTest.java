package io.cachet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/**
 * {@code ca renew-arl} on its own; the exchange with the running server (wrong and right root PIN, audit) is
 * proved end to end by CaIT with the shipped jar.
 */
class RenewArlCliTest {
    @TempDir
    Path dir;

    @Test
    void thePinTravelsAsJsonWhateverItsCharacters() throws Exception {
        String pin = "a\"b\\c\u0001d é€";
        byte[] body = CaCommand.RenewArl.body(pin.toCharArray());
        assertEquals(pin, CaCommand.JSON.readTree(body).get("rootPin").asText());
    }

    @Test
    void noServerIsOneLineNamingTheUrlAndTheFix() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path key = Files.writeString(dir.resolve("api.key"), "k\n");
        Path pin = Files.writeString(dir.resolve("root.pin"), "p\n");
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            code = CachetCli.run("ca", "renew-arl", "--url", "http://127.0.0.1:" + port, "--api-key-file",
                    key.toString(), "--pin-file", pin.toString());
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String text = e.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, text);
        assertTrue(text.contains("no Cachet server answers at http://127.0.0.1:" + port) && text.contains("--url"), text);
        assertFalse(text.contains("\tat "), "no stack trace: " + text);
    }
}
