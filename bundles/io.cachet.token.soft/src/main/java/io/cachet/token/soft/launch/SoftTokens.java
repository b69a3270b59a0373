package io.cachet.token.soft.launch;

import java.nio.file.Path;

import io.cachet.api.token.TokenDriver;
import io.cachet.token.soft.internal.SoftTokenDriver;

/** Opens Cachet's software token driver outside OSGi. */
public final class SoftTokens {

    private SoftTokens() {
    }

    /**
     * The software token driver keeping its tokens in {@code directory} (created when missing), with
     * {@code slotCount} slots; a slot without a token plays the blank token to initialise.
     */
    public static TokenDriver driver(Path directory, int slotCount) {
        return new SoftTokenDriver(directory, slotCount);
    }
}
