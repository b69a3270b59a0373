package io.cachet.store.launch;

import io.cachet.store.internal.JdbcDatabase;

/** Opens databases outside OSGi. */
public final class Databases {

    private Databases() {
    }

    /**
     * Opens a pool of {@code poolSize} connections to {@code jdbcUrl} ({@code jdbc:h2:...} or
     * {@code jdbc:postgresql:...}); the modules apply their own migrations through {@link LocalDatabase#migrate}.
     *
     * @param password wiped here once the pool has it
     * @throws io.cachet.api.store.StoreException when the database cannot be reached, with the reason
     */
    public static LocalDatabase open(String jdbcUrl, String user, char[] password, int poolSize) {
        return new JdbcDatabase(jdbcUrl, user, password, poolSize);
    }
}
