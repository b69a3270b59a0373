package io.cachet.token.soft.internal;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

import io.cachet.api.token.TokenDriver;
import io.cachet.token.tck.TokenDriverCompliance;

/** The compliance kit against the software token: a fresh directory for every test. */
class SoftTokenComplianceTest extends TokenDriverCompliance {

    @TempDir
    Path directory;

    @Override
    protected TokenDriver driver() {
        return new SoftTokenDriver(directory, 4);
    }

    @Override
    protected TokenDriver reconnect(TokenDriver previous) {
        return new SoftTokenDriver(directory, 4);
    }
}
