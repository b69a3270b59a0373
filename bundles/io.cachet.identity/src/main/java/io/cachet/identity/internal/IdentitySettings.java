package io.cachet.identity.internal;

import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The identity configuration, checked: a bad value is refused with the attribute named. */
record IdentitySettings(String defaultProvider, Map<String, String> resellerRules, Map<String, String> brandRules,
        int maxAttempts, boolean secondApproval, List<String> rejectionReasons, Duration reminderDelay,
        Duration linkValidity, Period retention, long uploadLimitBytes, String level, List<String> documents,
        int jobSeconds) {

    static final String PID = "io.cachet.identity";
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern CODE = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern RULE = Pattern.compile("(reseller|brand):([A-Za-z0-9_.-]{1,64})=([a-z0-9][a-z0-9-]{0,63})");

    static IdentitySettings of(IdentityConfiguration c) {
        String def = c.defaultProvider() == null ? "" : c.defaultProvider().strip();
        if (!ID.matcher(def).matches()) {
            throw bad("defaultProvider", "must be a provider id (lower case letters, digits, '-'), not '" + def + "'");
        }
        Map<String, String> resellers = new LinkedHashMap<>();
        Map<String, String> brands = new LinkedHashMap<>();
        for (String rule : c.providerRules() == null ? new String[0] : c.providerRules()) {
            String r = rule == null ? "" : rule.strip();
            if (r.isEmpty()) {
                continue;
            }
            var m = RULE.matcher(r);
            if (!m.matches()) {
                throw bad("providerRules", "entry '" + r + "' is not reseller:<id>=<provider> or brand:<id>=<provider>");
            }
            (m.group(1).equals("reseller") ? resellers : brands).put(m.group(2), m.group(3));
        }
        if (c.maxAttempts() < 1 || c.maxAttempts() > 10) {
            throw bad("maxAttempts", "must be 1 to 10");
        }
        List<String> reasons = java.util.Arrays.stream(c.rejectionReasons() == null ? new String[0]
                : c.rejectionReasons()).map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (reasons.isEmpty()) {
            throw bad("rejectionReasons", "needs at least one code");
        }
        for (String r : reasons) {
            if (!CODE.matcher(r).matches()) {
                throw bad("rejectionReasons", "code '" + r + "' must be lower case letters, digits and '-'");
            }
        }
        if (c.reminderHours() < 1 || c.reminderHours() > 720) {
            throw bad("reminderHours", "must be 1 to 720");
        }
        if (c.linkValidityDays() < 1 || c.linkValidityDays() > 90) {
            throw bad("linkValidityDays", "must be 1 to 90");
        }
        Period retention;
        try {
            retention = Period.parse(c.retention() == null ? "" : c.retention().strip());
        } catch (DateTimeParseException e) {
            throw bad("retention", "must be an ISO-8601 period such as P7Y, P6M or P30D, not '" + c.retention() + "'");
        }
        if (retention.isNegative() || retention.isZero()) {
            throw bad("retention", "must be a positive period");
        }
        if (c.uploadLimitMb() < 1 || c.uploadLimitMb() > 50) {
            throw bad("uploadLimitMb", "must be 1 to 50");
        }
        String level = c.proofingLevel() == null ? "" : c.proofingLevel().strip();
        if (level.isEmpty() || level.length() > 64) {
            throw bad("proofingLevel", "must be given (at most 64 characters)");
        }
        if (c.jobSeconds() < 5 || c.jobSeconds() > 3600) {
            throw bad("jobSeconds", "must be 5 to 3600");
        }
        List<String> documents = java.util.Arrays.stream(c.documents() == null ? new String[0] : c.documents())
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (!documents.isEmpty()) {
            try {
                io.cachet.identity.internal.evidence.DocumentCatalogue.parse(documents.toArray(String[]::new));
            } catch (IllegalArgumentException e) {
                throw bad("documents", "is wrong: " + e.getMessage());
            }
        }
        return new IdentitySettings(def, Map.copyOf(resellers), Map.copyOf(brands), c.maxAttempts(),
                c.secondApproval(), List.copyOf(reasons), Duration.ofHours(c.reminderHours()),
                Duration.ofDays(c.linkValidityDays()), retention, c.uploadLimitMb() * 1024L * 1024L, level, documents,
                c.jobSeconds());
    }

    /** The provider a new case of this reseller (or null) and brand (or null) uses. */
    String providerFor(String reseller, String brand) {
        if (reseller != null && resellerRules.containsKey(reseller)) {
            return resellerRules.get(reseller);
        }
        if (brand != null && brandRules.containsKey(brand)) {
            return brandRules.get(brand);
        }
        return defaultProvider;
    }

    private static IllegalArgumentException bad(String attribute, String what) {
        return new IllegalArgumentException(attribute + " of configuration PID " + PID + " " + what);
    }
}
