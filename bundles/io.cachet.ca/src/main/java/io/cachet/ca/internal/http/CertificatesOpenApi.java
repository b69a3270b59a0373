package io.cachet.ca.internal.http;

import org.osgi.service.component.annotations.Component;

import io.cachet.api.rest.OpenApiContribution;

/** The {@code /certificates} paths of the OpenAPI description; kept as JSON beside this class. */
@Component(service = OpenApiContribution.class)
public class CertificatesOpenApi extends JsonOpenApi {

    public CertificatesOpenApi() {
        super("openapi-certificates.json");
    }
}
