/**
 * Health: what each part of Cachet reports to {@code GET /health}, and the background job whose last failure a part
 * reports there.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package io.cachet.api.health;
