package io.cachet.store.internal;

import java.nio.file.Path;
import java.security.GeneralSecurityException;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.health.HealthIndicator;
import io.cachet.api.security.SecretVault;

/**
 * Registers the master-key {@link SecretVault}. The key's source comes from the process environment or the
 * framework, never from ConfigAdmin: a configuration is stored in the data directory, which is what the
 * master key must not live with. When it does (the embedded default), a warning says so at every start and in
 * the operator view of {@code /health}, which stays healthy.
 */
@Component(immediate = true, service = { SecretVault.class, HealthIndicator.class })
public class VaultComponent implements SecretVault, HealthIndicator {
    private static final Logger LOG = LoggerFactory.getLogger(VaultComponent.class);

    private final MasterKeyVault vault;

    @Activate
    public VaultComponent(BundleContext context) {
        String data = context.getProperty(StoreComponent.DATA_PROPERTY);
        vault = MasterKeyVault.locate(System.getenv(), context.getProperty(MasterKeyVault.FILE_PROPERTY),
                Path.of(data == null || data.isBlank() ? "cachet-data" : data));
        if (vault.keptWithData()) {
            LOG.warn("The master key that seals Cachet's secrets at rest is kept in the data directory ({}): a copy of"
                    + " the data directory reveals them. Move it out: set {} (base64 of 32 bytes) or {} (a file"
                    + " outside the data directory); see README, Security.", vault.keySource(), MasterKeyVault.ENV_KEY,
                    MasterKeyVault.ENV_FILE);
        } else {
            LOG.info("Secrets at rest are sealed with the master key from {}", vault.keySource());
        }
    }

    @Deactivate
    void deactivate() {
        vault.destroy();
    }

    @Override
    public byte[] seal(String purpose, byte[] plaintext) {
        return vault.seal(purpose, plaintext);
    }

    @Override
    public byte[] open(String purpose, byte[] sealed) throws GeneralSecurityException {
        return vault.open(purpose, sealed);
    }

    @Override
    public String keySource() {
        return vault.keySource();
    }

    @Override
    public boolean keptWithData() {
        return vault.keptWithData();
    }

    @Override
    public String name() {
        return "secrets";
    }

    @Override
    public Health check() {
        return new Health(true, vault.keptWithData()
                ? "WARNING: the master key is kept in the data directory (" + vault.keySource() + "); set "
                        + MasterKeyVault.ENV_KEY + " or " + MasterKeyVault.ENV_FILE + " to move it out"
                : "master key from " + vault.keySource());
    }
}
