package io.cachet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo}'s command line: what cannot start ends at once with one line and exit 2 (the journey: JourneyIT). */
class DemoCliTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = CachetCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void withoutAServerItSaysWhereItLookedAndExits2() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run r = run("demo", "--server", "http://127.0.0.1:" + port, "--api-key", "ck_x_y", "--out",
                dir.resolve("out").toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("no Cachet server answers at http://127.0.0.1:" + port), r.err());
        assertEquals(1, r.err().strip().lines().filter(l -> l.contains("no Cachet server")).count(), r.err());
        assertTrue(!r.err().contains("Exception"), r.err());
    }

    @Test
    void aBadMediumOrLanguageIsRefusedBeforeAnything() {
        Run medium = run("demo", "--api-key", "k", "--medium", "floppy", "--out", dir.toString());
        assertEquals(2, medium.exit());
        assertTrue(medium.err().contains("--medium must be cloud, usb-a or usb-c"), medium.err());
        Run language = run("demo", "--api-key", "k", "--language", "de", "--out", dir.toString());
        assertEquals(2, language.exit());
        assertTrue(language.err().contains("--language must be fr or en"), language.err());
    }

    @Test
    void aPkcs11ModuleGoesWithATokenMediumAndMustExist() {
        Run cloud = run("demo", "--api-key", "k", "--medium", "cloud", "--pkcs11-module",
                "/usr/lib/softhsm/libsofthsm2.so", "--out", dir.toString());
        assertEquals(2, cloud.exit());
        assertTrue(cloud.err().contains("--pkcs11-module goes with --medium usb-a or usb-c"), cloud.err());
        Run missing = run("demo", "--api-key", "k", "--medium", "usb-c", "--pkcs11-module", "/nowhere/lib.so",
                "--out", dir.toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("the PKCS#11 module /nowhere/lib.so does not exist"), missing.err());
    }
}
