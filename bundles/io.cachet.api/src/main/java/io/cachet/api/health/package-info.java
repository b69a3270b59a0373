/** Health: what each part of Cachet reports to {@code GET /health}. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.cachet.api.health;
