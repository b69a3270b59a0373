package io.cachet.api.rest;

import java.security.Principal;
import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

import io.cachet.api.operator.ApiKey;
import io.cachet.api.operator.Operator;

/**
 * Who made an authenticated API request: the operator (whose roles the key's scope has already cut down) and the
 * key used (its id and scope, never its secret). It is the user principal of the request's
 * {@code SecurityContext}: {@code ApiCaller.of(securityContext.getUserPrincipal())}.
 *
 * @param operator the operator the key belongs to
 * @param apiKey the key the request was made with
 */
@ProviderType
public record ApiCaller(Operator operator, ApiKey apiKey) implements Principal {

    public ApiCaller {
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(apiKey, "apiKey");
    }

    /** The operator's login. */
    @Override
    public String getName() {
        return operator.login();
    }

    /** The audit actor of what this caller does: {@code api:<login>}. */
    public String actor() {
        return "api:" + operator.login();
    }

    /**
     * @param principal the user principal of a request
     * @return it as a caller
     * @throws ApiException 401 when the request was not authenticated (a public resource asked)
     */
    public static ApiCaller of(Principal principal) {
        if (principal instanceof ApiCaller caller) {
            return caller;
        }
        throw new ApiException(401, "unauthorized", "Send your API key as 'Authorization: Bearer <api-key>'.");
    }
}
