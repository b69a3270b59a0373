package io.cachet.token.safenet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

import io.cachet.api.testing.Processes;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenException.Reason;
import io.cachet.token.pkcs11.testing.SoftHsmFixture;

/**
 * How the ETC_* calls cross into C, against a stub library compiled from {@code etc-stub.c} with the machine's C
 * compiler (the test is skipped where there is none). What a real eToken does with these calls is not tested here.
 */
class JnaEtcFunctionsTest {

    @TempDir
    static Path dir;
    private static String stub;

    @BeforeAll
    static void compile() throws Exception {
        Path source = dir.resolve("etc-stub.c");
        try (InputStream in = JnaEtcFunctionsTest.class.getResourceAsStream("/etc-stub.c")) {
            Files.copy(in, source);
        }
        Path library = dir.resolve("libetcstub.so");
        boolean compiler = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, "cc")));
        assumeTrue(compiler, "no C compiler (cc) to build the ETC stub");
        // the tests' one process runner: output kept, a time limit that kills, a failure naming the command
        Processes.Result cc = Processes.run(dir, Duration.ofSeconds(60), "cc", "-shared", "-fPIC", "-o",
                library.toString(), source.toString());
        int exit = cc.exit();
        assertEquals(0, exit, cc.out());
        stub = library.toString();
    }

    private static String log() {
        NativeLibrary library = NativeLibrary.getInstance(stub);
        String text = library.getFunction("stub_log").invokePointer(new Object[0]).getString(0, "UTF-8");
        library.getFunction("stub_reset").invokeVoid(new Object[0]);
        return text;
    }

    @Test
    void theQualifiedSealSequenceReachesCWithItsArguments() {
        EtcFunctions etc = JnaEtcFunctions.load(stub).orElseThrow();
        log();
        etc.initialize(7, null, "user-pin-1".toCharArray(), "Cachet seal", 5, true);
        assertEquals("init slot=7 pin=(null) pinLen=0 retries=" + JnaEtcFunctions.ADMIN_RETRIES
                + " label=[Cachet seal" + " ".repeat(21) + "];"
                + "pin session=4242 pin=user-pin-1 retries=5 change=1;final session=4242;", log());
    }

    @Test
    void anAdministratorPasswordAndNonAsciiTextArePassedAsUtf8() {
        EtcFunctions etc = JnaEtcFunctions.load(stub).orElseThrow();
        log();
        etc.initialize(1, "adm\u00e9n".toCharArray(), "p\u00efn-1234".toCharArray(), "\u00e9t\u00e9", 15, false);
        assertEquals("init slot=1 pin=adm\u00e9n pinLen=6 retries=" + JnaEtcFunctions.ADMIN_RETRIES
                + " label=[\u00e9t\u00e9" + " ".repeat(27) + "];"
                + "pin session=4242 pin=p\u00efn-1234 retries=15 change=0;final session=4242;", log());
    }

    @Test
    void anErrorCodeBecomesATokenExceptionAndTheSessionIsStillFinished() {
        EtcFunctions etc = JnaEtcFunctions.load(stub).orElseThrow();
        log();
        TokenException e = assertThrows(TokenException.class,
                () -> etc.initialize(3, null, "user-pin-1".toCharArray(), "x", 14, false));
        assertEquals(Reason.PIN_INVALID, e.reason());
        assertTrue(e.getMessage().contains("ETC_InitPIN") && e.getMessage().contains("0xa1"), e.getMessage());
        assertTrue(log().endsWith("final session=4242;"));
    }

    @Test
    void aLibraryWithoutEtcFunctionsHasNone() {
        assertTrue(JnaEtcFunctions.load(SoftHsmFixture.LIBRARY).isEmpty());
        assertTrue(JnaEtcFunctions.load(dir.resolve("missing.so").toString()).isEmpty());
        Function f = NativeLibrary.getInstance(stub).getFunction("ETC_InitPIN");
        assertTrue(f != null);
    }
}
