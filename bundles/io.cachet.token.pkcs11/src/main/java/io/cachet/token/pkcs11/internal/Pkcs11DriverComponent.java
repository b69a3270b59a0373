package io.cachet.token.pkcs11.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

import io.cachet.api.health.HealthIndicator;
import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenCapability;
import io.cachet.api.token.TokenDriver;
import io.cachet.api.token.TokenInfo;
import io.cachet.token.pkcs11.spi.DriverHealth;

/**
 * One token driver per factory configuration of {@value #PID}: a PKCS#11 module with standard behaviour only.
 * Registered with {@code token.driver} = the configured id (component properties become service properties).
 * Immediate, so that the module is opened when the configuration arrives: a wrong configuration fails the
 * component at once (and {@code /health} names it) rather than on the first use of the driver. While it runs, its
 * {@code driver.<id>} health check lists the slots, so a module that stops answering makes {@code /health} 503.
 */
@Component(name = Pkcs11DriverComponent.PID, service = { TokenDriver.class, HealthIndicator.class },
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = Pkcs11DriverConfiguration.class, factory = true)
public class Pkcs11DriverComponent implements TokenDriver, HealthIndicator {

    static final String PID = "io.cachet.token.pkcs11";
    /** What a module can be trusted with without a profile that knows its vendor's PIN management. */
    static final Set<TokenCapability> ALLOWED = EnumSet.of(TokenCapability.RSA_PSS, TokenCapability.EC_P384,
            TokenCapability.RSA_4096);

    private final Pkcs11Driver driver;
    private final DriverHealth health;

    @Activate
    public Pkcs11DriverComponent(Pkcs11DriverConfiguration config) {
        String library = config.library() == null ? "" : config.library().trim();
        if (library.isEmpty()) {
            throw new IllegalArgumentException("Configuration " + PID + " needs 'library': the path of the "
                    + "vendor's PKCS#11 module");
        }
        if (!Files.isRegularFile(Path.of(library))) {
            throw new IllegalArgumentException("Configuration " + PID + ": PKCS#11 library " + library
                    + " does not exist; install the vendor's module or correct 'library'");
        }
        String id = config.token_driver() == null ? "" : config.token_driver().trim();
        if (id.isEmpty()) {
            throw new IllegalArgumentException("Configuration " + PID + " for " + library + " needs 'token.driver': "
                    + "the id deployments select this driver by");
        }
        driver = new Pkcs11Driver(library, id, capabilities(config.capabilities()), new GenericProfile(),
                config.poolSize(), Duration.ofMillis(config.borrowTimeoutMillis()));
        health = DriverHealth.of(id, driver);
    }

    @Override
    public String name() {
        return health.name();
    }

    @Override
    public Health check() {
        return health.check();
    }

    static Set<TokenCapability> capabilities(String[] names) {
        Set<TokenCapability> set = EnumSet.noneOf(TokenCapability.class);
        for (String name : names == null ? new String[0] : names) {
            if (name == null || name.isBlank()) {
                continue;
            }
            TokenCapability capability;
            try {
                capability = TokenCapability.valueOf(name.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Configuration " + PID + ": unknown capability '" + name
                        + "'; known: " + List.of(TokenCapability.values()));
            }
            if (!ALLOWED.contains(capability)) {
                throw new IllegalArgumentException("Configuration " + PID + ": capability " + capability
                        + " needs a vendor profile; a plain PKCS#11 driver can declare only " + ALLOWED);
            }
            set.add(capability);
        }
        return set;
    }

    @Deactivate
    void deactivate() {
        driver.close();
    }

    @Override
    public String id() {
        return driver.id();
    }

    @Override
    public Set<TokenCapability> capabilities() {
        return driver.capabilities();
    }

    @Override
    public List<TokenInfo> tokens() {
        return driver.tokens();
    }

    @Override
    public TokenInfo initialize(long slotId, char[] soPin, char[] userPin, String label, PinPolicy policy) {
        return driver.initialize(slotId, soPin, userPin, label, policy);
    }

    @Override
    public Token login(String serial, char[] userPin) {
        return driver.login(serial, userPin);
    }
}
