package io.cachet.store.testing;

import java.nio.file.Path;
import java.util.Map;

import io.cachet.api.security.SecretVault;
import io.cachet.store.internal.MasterKeyVault;

/**
 * The real master-key {@link SecretVault} for other modules' tests, without their reaching into the store's
 * internal package: the embedded default (a key file made in the data directory) or a given key.
 */
public final class TestVaults {
    private TestVaults() {
    }

    /** The vault a server on {@code dataDir} with no master key configured uses: {@code DATA/secrets/master.key}. */
    public static SecretVault embedded(Path dataDir) {
        return MasterKeyVault.locate(Map.of(), null, dataDir);
    }

    /** A vault on the master key {@code base64} (32 bytes), as {@code CACHET_MASTER_KEY} gives it. */
    public static SecretVault withKey(String base64, Path dataDir) {
        return MasterKeyVault.locate(Map.of(MasterKeyVault.ENV_KEY, base64), null, dataDir);
    }
}
