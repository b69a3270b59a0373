package io.cachet.organisation.internal;

/**
 * The organisation check's configuration, validated.
 *
 * @param maxDocumentBytes largest document accepted
 * @param maxExtractAgeMonths how old an extract may be (issue date), in months
 * @param jobSeconds how often the background job reports outcomes not yet reported
 * @param registryTimeoutSeconds how long a register look-up may take
 */
record Settings(long maxDocumentBytes, int maxExtractAgeMonths, int jobSeconds, int registryTimeoutSeconds) {

    static final Settings DEFAULTS = new Settings(10L * 1024 * 1024, 3, 60, 5);

    Settings {
        if (maxDocumentBytes < 1024 || maxDocumentBytes > 50L * 1024 * 1024) {
            throw new IllegalArgumentException("The document size limit must be 1 KiB to 50 MiB");
        }
        if (maxExtractAgeMonths < 1 || maxExtractAgeMonths > 24) {
            throw new IllegalArgumentException("The extract's age limit must be 1 to 24 months");
        }
        if (jobSeconds < 1 || registryTimeoutSeconds < 1) {
            throw new IllegalArgumentException("Intervals must be positive");
        }
    }

    static Settings of(OrganisationConfiguration c) {
        return new Settings(c.maxDocumentMb() * 1024L * 1024L, c.maxExtractAgeMonths(), c.jobSeconds(),
                c.registryTimeoutSeconds());
    }
}
