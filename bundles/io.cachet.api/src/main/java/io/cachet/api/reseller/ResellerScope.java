package io.cachet.api.reseller;

import java.util.Collection;
import java.util.Optional;

import io.cachet.api.rest.ApiCaller;
import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.RestApi;

/**
 * For whom an API request acts on a resource that operators and resellers share (orders, their status links,
 * webhooks): the platform, or one reseller whose customers' data alone it may reach. The one rule for every such
 * resource, so that none ties a key to its reseller differently: a caller holding any of the resource's operator
 * roles acts for the platform; otherwise its account must hold the role {@code reseller}, be the account of a
 * reseller ({@link Resellers#byLogin}) and that reseller must be enabled.
 */
public final class ResellerScope {

    private ResellerScope() {
    }

    /**
     * @param caller the request's caller
     * @param operatorRoles the roles that act for the platform on this resource
     * @param resellers the resellers' service, or null when its module is not running
     * @return empty when the caller acts for the platform; its reseller otherwise
     * @throws ApiException 403 when the caller holds neither one of {@code operatorRoles} nor {@code reseller}, its
     *         account is no reseller's or its reseller is disabled; 503 for a reseller's key while
     *         {@code resellers} is null
     */
    public static Optional<Reseller> of(ApiCaller caller, Collection<String> operatorRoles, Resellers resellers) {
        if (caller.operator().hasAnyRole(operatorRoles)) {
            return Optional.empty();
        }
        if (!caller.operator().hasRole(RestApi.ROLE_RESELLER)) {
            throw ApiException.forbidden("Your account's roles do not allow this request.");
        }
        if (resellers == null) {
            throw new ApiException(503, "unavailable", "Resellers are not available right now; try again later.");
        }
        Reseller reseller = resellers.byLogin(caller.operator().login()).orElseThrow(() -> ApiException.forbidden(
                "This API account is not tied to a reseller."));
        if (reseller.disabledAt() != null) {
            throw ApiException.forbidden("This reseller is disabled.");
        }
        return Optional.of(reseller);
    }
}
