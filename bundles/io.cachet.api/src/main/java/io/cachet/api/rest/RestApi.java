package io.cachet.api.rest;

/**
 * Names shared by the REST API's application (bundle {@code io.cachet.rest}) and the resources that areas, and
 * resellers' bundles, add to it.
 *
 * <pre>
 * &#64;Component(service = CertificatesResource.class, scope = ServiceScope.PROTOTYPE)
 * &#64;JakartarsResource
 * &#64;JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
 * &#64;Path("/certificates")
 * </pre>
 */
public final class RestApi {

    /** {@code osgi.jakartars.name} of the application that serves {@link #BASE_PATH}. */
    public static final String APPLICATION_NAME = "cachet.api";

    /** The filter a resource or extension selects the application with. */
    public static final String APPLICATION_SELECT = "(osgi.jakartars.name=" + APPLICATION_NAME + ")";

    /** Where the API is served; resource paths are relative to it. */
    public static final String BASE_PATH = "/api/v1";

    /** Role of the people who administer Cachet (operators, keys, the root's ceremonies). */
    public static final String ROLE_ADMIN = "admin";

    /** Role of the people who do the day-to-day work (issue, revoke). */
    public static final String ROLE_OPERATOR = "operator";

    /** Role of the people who read the audit trail. */
    public static final String ROLE_AUDITOR = "auditor";

    /** Role of the registration officers who review identities and organisations and decide on orders. */
    public static final String ROLE_RA_OFFICER = "ra-officer";

    /** Role of the support staff who read orders and help customers (resend links, cancel on request). */
    public static final String ROLE_SUPPORT = "support";

    /** Role of a reseller's API account: it submits and reads its own orders only. */
    public static final String ROLE_RESELLER = "reseller";

    /** Request bodies larger than this are refused with 413 unless a resource says otherwise ({@link BodyLimit}). */
    public static final int DEFAULT_BODY_LIMIT = 64 * 1024;

    private RestApi() {
    }
}
