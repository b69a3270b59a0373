/**
 * REST API: the {@code /api/v1} servlet context that every area's resources join, and the pieces of its
 * OpenAPI description.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.cachet.api.rest;
