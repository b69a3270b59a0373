package io.cachet.token.soft.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenCapability;
import io.cachet.api.token.TokenDriver;
import io.cachet.api.token.TokenInfo;

/**
 * Registers the {@link SoftTokenDriver} as the token driver {@code soft}, so that Cachet runs on a machine with no
 * HSM. Works without configuration: tokens then live in {@code ${cachet.data}/tokens}.
 */
@Component(name = SoftTokenDriverComponent.PID, service = TokenDriver.class,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = TokenDriver.ID + "=" + SoftTokenDriver.DRIVER_ID)
@Designate(ocd = SoftTokenConfiguration.class)
public class SoftTokenDriverComponent implements TokenDriver {

    static final String PID = "io.cachet.token.soft";
    static final String DATA_PROPERTY = "cachet.data";

    private static final Logger LOG = LoggerFactory.getLogger(SoftTokenDriverComponent.class);

    private final SoftTokenDriver driver;

    @Activate
    public SoftTokenDriverComponent(BundleContext context, SoftTokenConfiguration config) {
        this(dataDirectory(context.getProperty(DATA_PROPERTY)), config);
    }

    SoftTokenDriverComponent(Path dataDirectory, SoftTokenConfiguration config) {
        int slots = config.slots();
        if (slots < 1 || slots > SoftTokenDriver.MAX_SLOTS) {
            throw new IllegalArgumentException("slots of configuration PID " + PID + " must be 1 to "
                    + SoftTokenDriver.MAX_SLOTS + ", not " + slots);
        }
        String configured = config.directory() == null ? "" : config.directory().trim();
        Path directory;
        try {
            directory = configured.isEmpty() ? dataDirectory.resolve("tokens") : Path.of(configured);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("directory of configuration PID " + PID + " is not a path: "
                    + configured, e);
        }
        this.driver = new SoftTokenDriver(directory, slots);
        LOG.info("Software token driver over {} ({} slots); not a QSCD: keys are protected by their PIN only",
                driver.directory(), slots);
    }

    static Path dataDirectory(String property) {
        return Path.of(property == null || property.isBlank() ? "cachet-data" : property.trim());
    }

    /** The plain-Java driver behind the service, e.g. for {@link SoftTokenDriver#unblock}. */
    SoftTokenDriver driver() {
        return driver;
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
