package io.cachet.token.soft.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.TokenCapability;

class SoftTokenDriverComponentTest {

    @TempDir
    Path data;

    private static SoftTokenConfiguration config(String directory, int slots) {
        return new SoftTokenConfiguration() {
            @Override
            public String directory() {
                return directory;
            }

            @Override
            public int slots() {
                return slots;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return SoftTokenConfiguration.class;
            }
        };
    }

    @Test
    void tokensLiveInTheDataDirectoryByDefault() {
        SoftTokenDriverComponent component = new SoftTokenDriverComponent(data, config("", 3));
        assertEquals(data.resolve("tokens").toAbsolutePath(), component.driver().directory());
        assertEquals("soft", component.id());
        assertEquals(TokenCapability.values().length, component.capabilities().size(), "declares them all");
        component.initialize(0, "so-pin-1234".toCharArray(), "user-pin-1234".toCharArray(), "t",
                PinPolicy.TOKEN_DEFAULT);
        assertTrue(data.resolve("tokens").resolve("token-0.p12").toFile().isFile());
    }

    @Test
    void aConfiguredDirectoryWins() {
        Path elsewhere = data.resolve("elsewhere");
        SoftTokenDriverComponent component = new SoftTokenDriverComponent(data, config(" " + elsewhere + " ", 3));
        assertEquals(elsewhere.toAbsolutePath(), component.driver().directory());
    }

    @Test
    void theDataDirectoryDefaultsToCachetData() {
        assertEquals(Path.of("cachet-data"), SoftTokenDriverComponent.dataDirectory(null));
        assertEquals(Path.of("cachet-data"), SoftTokenDriverComponent.dataDirectory(" "));
        assertEquals(Path.of("/srv/cachet"), SoftTokenDriverComponent.dataDirectory("/srv/cachet"));
    }

    @Test
    void refusesASlotCountOutOfRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SoftTokenDriverComponent(data, config("", 0)));
        assertTrue(e.getMessage().contains("io.cachet.token.soft"), e.getMessage());
    }
}
