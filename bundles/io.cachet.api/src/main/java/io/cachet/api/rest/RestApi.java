package io.cachet.api.rest;

/**
 * Names shared by the REST context and its resources.
 *
 * <p>A resource is a Jakarta servlet registered with the whiteboard properties
 * {@code osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=cachet.api)} and a pattern
 * under the context. The context authenticates every request ({@code Authorization: Bearer <api-key>})
 * before the servlet runs and puts the {@link io.cachet.api.operator.Operator} in the request attribute
 * {@link #OPERATOR_ATTRIBUTE}.
 */
public final class RestApi {

    /** Name of the whiteboard servlet context of the REST API. */
    public static final String CONTEXT_NAME = "cachet.api";

    /** Path of the REST API. */
    public static final String CONTEXT_PATH = "/api/v1";

    /** Request attribute holding the authenticated {@link io.cachet.api.operator.Operator}. */
    public static final String OPERATOR_ATTRIBUTE = "io.cachet.api.operator";

    /**
     * Request attribute holding the {@link io.cachet.api.operator.ApiKey} the request was made with (its id and
     * scope; never its secret).
     *
     * @since 1.1
     */
    public static final String API_KEY_ATTRIBUTE = "io.cachet.api.apikey";

    private RestApi() {
    }
}
