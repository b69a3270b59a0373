/**
 * REST API: the names an area needs to add resources to {@code /api/v1}, which runs on the OSGi Jakarta RESTful
 * Web Services Whiteboard. A resource is a DS component registered with {@code osgi.jakartars.resource=true} and
 * {@code osgi.jakartars.application.select=}{@link RestApi#APPLICATION_SELECT}; it is authenticated before it runs
 * (an API key), finds the caller as the {@link ApiCaller} principal of its {@code SecurityContext}, states the roles
 * it needs with {@code jakarta.annotation.security.RolesAllowed} (or {@code PermitAll} for a public resource),
 * limits request bodies with {@link BodyLimit} and throws {@link ApiException} for a refusal, which the API turns
 * into an RFC 9457 {@code application/problem+json} answer.
 *
 * <p>2.0: the servlet context and its hand-written OpenAPI fragments ({@code OpenApiContribution}) are gone; the
 * OpenAPI description is generated from the resources' annotations.
 *
 * <p>2.1: {@link ApiException#extensions()}: more members of the problem body, e.g. the {@code errors} of an
 * invalid order.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.1.0")
package io.cachet.api.rest;
