package io.cachet.audit.launch;

import org.osgi.annotation.versioning.ProviderType;

import io.cachet.api.audit.AuditLog;

/** An {@link AuditLog} writing to an anchor journal file, which {@link #close()} releases. */
@ProviderType
public interface ClosableAuditLog extends AuditLog, AutoCloseable {

    /** Closes the anchor journal (not the database). Never throws. */
    @Override
    void close();
}
