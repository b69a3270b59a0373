package io.cachet.api.organisation;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An online look-up in a company register (France: the INSEE Sirene or INPI RNE services; elsewhere the national
 * register), plugged in by a deployment as an OSGi service (whiteboard). Without one, operators check the register
 * themselves: that is the default. When one {@linkplain #supports supports} the organisation's country, the
 * organisation check asks it once per uploaded extract and shows its answer to the operator as the {@code registry}
 * check; its answer never approves a case by itself.
 *
 * <p>Implementations must be thread-safe, answer within a few seconds (the caller does not wait longer than the
 * configured time) and never log personal data.
 */
@ConsumerType
public interface RegistryLookup {

    /** Service property naming the register, e.g. {@code sirene}. */
    String ID = "cachet.organisation.registry";

    /** @return whether this register knows organisations of {@code country} (ISO 3166-1 alpha-2, upper case) */
    boolean supports(String country);

    /**
     * @param country ISO 3166-1 alpha-2, upper case
     * @param identifier national registration number as the order has it (France: SIREN or SIRET, digits)
     * @return the register's record, or empty when it has no such organisation
     * @throws RuntimeException when the register cannot be reached: shown to the operator as {@code UNKNOWN}
     */
    Optional<Entry> lookup(String country, String identifier);

    /**
     * A register's record.
     *
     * @param name the organisation's registered name
     * @param identifier its registration number in the register
     * @param active whether the register shows it active (not struck off, not ceased)
     * @param representatives the legal representatives the register names ("First LAST"), may be empty
     * @param source the register's name and reference, for the record (e.g. "INSEE Sirene, 2026-12-01")
     * @param checkedAt when the register answered
     */
    record Entry(String name, String identifier, boolean active, List<String> representatives, String source,
            Instant checkedAt) {
        public Entry {
            representatives = representatives == null ? List.of() : List.copyOf(representatives);
        }
    }
}
