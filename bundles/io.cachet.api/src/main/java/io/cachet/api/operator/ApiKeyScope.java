package io.cachet.api.operator;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a request made with an API key may do: never more than the roles of the operator who owns the key, and
 * less when the key's scope is narrower. Resources keep checking roles ({@link Operator#hasRole}); the REST
 * context hands them an {@link Operator} whose roles the scope has already cut down.
 *
 * @since 1.1
 */
public enum ApiKeyScope {
    /** Everything the operator may do. Needs the role {@code admin}. */
    ADMIN,
    /** Day-to-day work (issuing, revoking) without administration: the role {@code admin} is dropped. */
    OPERATOR,
    /** Reading only: no role at all, so every resource that changes state refuses the request. */
    READ;

    /** The lower-case name used in JSON, forms and the database. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the scope named {@code id} ({@code admin}, {@code operator}, {@code read}), any case */
    public static Optional<ApiKeyScope> parse(String id) {
        if (id != null) {
            for (ApiKeyScope s : values()) {
                if (s.id().equalsIgnoreCase(id.strip())) {
                    return Optional.of(s);
                }
            }
        }
        return Optional.empty();
    }

    /** @return whether an operator with {@code roles} may hold a key of this scope */
    public boolean allowedFor(Set<String> roles) {
        return switch (this) {
            case ADMIN -> roles.contains("admin");
            // every working role but the auditor's (who reads only): a reseller's API account holds operator keys
            case OPERATOR -> roles.contains("admin") || roles.contains("operator") || roles.contains("ra-officer")
                    || roles.contains("support") || roles.contains("reseller");
            case READ -> true;
        };
    }

    /** @return whether this scope is at most {@code other} (READ &lt; OPERATOR &lt; ADMIN) */
    public boolean within(ApiKeyScope other) {
        return ordinal() >= other.ordinal();
    }

    /** @return the roles a request made with a key of this scope carries, out of the operator's {@code roles} */
    public Set<String> limit(Set<String> roles) {
        return switch (this) {
            case ADMIN -> Set.copyOf(roles);
            case OPERATOR -> roles.stream().filter(r -> !r.equals("admin")).collect(java.util.stream.Collectors.toUnmodifiableSet());
            case READ -> Set.of();
        };
    }
}
