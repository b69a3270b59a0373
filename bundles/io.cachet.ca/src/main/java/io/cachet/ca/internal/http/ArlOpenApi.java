package io.cachet.ca.internal.http;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.rest.OpenApiContribution;

/** The {@code /ca/arl} paths of the OpenAPI description; kept as JSON beside this class. */
@Component(service = OpenApiContribution.class)
public class ArlOpenApi extends JsonOpenApi {

    public ArlOpenApi() {
        super("openapi-arl.json");
    }
}
