package io.cachet.store.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Cachet database", description = "The database of this deployment. Leave the URL "
        + "empty for the embedded H2 database in the data directory; set a jdbc:postgresql:// URL for production.")
public @interface StoreConfiguration {

    @AttributeDefinition(name = "JDBC URL", required = false, description = "Empty: embedded H2 file in DATA/db. "
            + "PostgreSQL: jdbc:postgresql://host:5432/cachet")
    String url() default "";

    @AttributeDefinition(name = "User", required = false)
    String user() default "";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false)
    String password() default "";

    @AttributeDefinition(name = "Pool size", description = "Maximum open connections (2 or more)")
    int poolSize() default 10;

    @AttributeDefinition(name = "Retry interval (s)", description = "How often an unreachable database is tried again")
    int retrySeconds() default 5;

    @AttributeDefinition(name = "H2 housekeeping interval (ms)", description = "Embedded H2 only: how often the "
            + "database file's old chunks are compacted so that their space is used again (H2 writes every commit at "
            + "once here, which stops its own housekeeping). 0 = never: the file then grows with every commit until "
            + "an orderly stop compacts it")
    int h2HousekeepingMillis() default JdbcDatabase.H2_HOUSEKEEPING_MILLIS;

    @AttributeDefinition(name = "Force H2 commits to disk", description = "Embedded H2 only: after each commit, before "
            + "it is answered for, the database file is forced to disk, so that an acknowledged change survives a "
            + "power cut or a crash of the system (given a disk that keeps what it was told to). Off: it survives a "
            + "crash of Cachet only; the system writes it out within about 30 s")
    boolean h2SyncCommits() default true;
}
