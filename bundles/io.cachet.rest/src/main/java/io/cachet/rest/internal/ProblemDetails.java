package io.cachet.rest.internal;

import io.swagger.v3.oas.annotations.media.Schema;

/** The body of every error answer, for the OpenAPI description only ({@link Problems} writes it). */
@Schema(name = "Problem", description = "RFC 9457 problem details, with the API's {error, error_description}")
record ProblemDetails(
        @Schema(description = "urn:cachet:problem:<error>", requiredMode = Schema.RequiredMode.REQUIRED) String type,
        @Schema(description = "The HTTP status's reason", requiredMode = Schema.RequiredMode.REQUIRED) String title,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) int status,
        @Schema(description = "What was wrong and what to do", requiredMode = Schema.RequiredMode.REQUIRED) String detail,
        @Schema(description = "Short machine-readable code, e.g. invalid_request", requiredMode = Schema.RequiredMode.REQUIRED) String error,
        @Schema(description = "Same as detail", requiredMode = Schema.RequiredMode.REQUIRED) String error_description) {
}
