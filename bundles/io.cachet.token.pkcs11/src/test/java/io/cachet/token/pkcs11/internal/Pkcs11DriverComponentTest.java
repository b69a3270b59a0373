package io.cachet.token.pkcs11.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.util.EnumSet;

import org.junit.jupiter.api.Test;

import io.cachet.api.token.TokenCapability;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenException.Reason;
import io.cachet.token.pkcs11.testing.SoftHsmFixture;

class Pkcs11DriverComponentTest {

    private static Pkcs11DriverConfiguration config(String library, String id, String... capabilities) {
        return new Pkcs11DriverConfiguration() {
            @Override
            public String library() {
                return library;
            }

            @Override
            public String token_driver() {
                return id;
            }

            @Override
            public int poolSize() {
                return 2;
            }

            @Override
            public long borrowTimeoutMillis() {
                return 1000;
            }

            @Override
            public String[] capabilities() {
                return capabilities;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return Pkcs11DriverConfiguration.class;
            }
        };
    }

    @Test
    void aMissingLibraryIsNamedWithTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Pkcs11DriverComponent(config("/opt/vendor/libnothing.so", "hsm")));
        assertTrue(e.getMessage().contains("/opt/vendor/libnothing.so"), e.getMessage());
        assertTrue(e.getMessage().contains("'library'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Pkcs11DriverComponent(config(" ", "hsm")));
    }

    @Test
    void theDriverIdAndCapabilitiesAreChecked() {
        String library = SoftHsmFixture.library();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Pkcs11DriverComponent(config(library, "")))
                .getMessage().contains("token.driver"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new Pkcs11DriverComponent(config(library, "hsm", "RSA_PSS", "FLYING"))).getMessage()
                .contains("FLYING"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new Pkcs11DriverComponent(config(library, "hsm", "PIN_RETRY_LIMIT"))).getMessage()
                .contains("vendor profile"));
    }

    @Test
    void aValidConfigurationGivesAWorkingDriverThatDeactivationCloses() {
        Pkcs11DriverComponent component = new Pkcs11DriverComponent(config(SoftHsmFixture.library(), "hsm",
                "RSA_PSS", " EC_P384 "));
        assertEquals("hsm", component.id());
        assertEquals(EnumSet.of(TokenCapability.RSA_PSS, TokenCapability.EC_P384), component.capabilities());
        assertTrue(component.tokens().stream().anyMatch(t -> t.manufacturer().equals("SoftHSM project")));
        assertEquals("driver.hsm", component.name());
        assertTrue(component.check().healthy(), component.check().detail());
        component.deactivate();
        assertEquals(Reason.CLOSED, assertThrows(TokenException.class, component::tokens).reason());
        // a driver whose module no longer answers is reported unhealthy, naming it
        assertFalse(component.check().healthy());
        assertTrue(component.check().detail().contains("'hsm' cannot list its slots"), component.check().detail());
    }
}
