package io.cachet.store.launch;

import org.osgi.annotation.versioning.ProviderType;

import io.cachet.api.store.Database;

/** A {@link Database} opened by this process, which closes it (and its connection pool) when done. */
@ProviderType
public interface LocalDatabase extends Database, AutoCloseable {

    /** Closes the connection pool; an H2 file database is then free for another process. Never throws. */
    @Override
    void close();
}
