/**
 * Pages for people: server-side templates (FreeMarker {@code .ftlh}) in a shared layout, in French and English,
 * in the look of the active {@linkplain io.cachet.api.brand.Brand brand} (or of the brand a servlet names for a page).
 *
 * <p>A bundle contributes pages by registering a {@link io.cachet.api.web.PageSource} (its templates, messages
 * and assets) and rendering them from its own servlets through the {@link io.cachet.api.web.Pages} service,
 * which sets the status, the security headers and the language, and lets the brand override any template,
 * any message, the logo and the colours. Operator pages under {@code /console/} log in and protect their forms
 * through {@link io.cachet.api.web.ConsoleAccess}. Public forms, which have no session, protect themselves with
 * {@link io.cachet.api.web.PublicFormTokens} and bound their use per client with {@link io.cachet.api.web.ClientLimiter}.
 * A bundle offers an operator something to do about an order on the order console's page of it with a
 * {@link io.cachet.api.web.ConsoleOrderAction} (1.4.0, a new interface: minor). Text made outside a page (a status
 * page action's link) reads the bundle's messages with {@link io.cachet.api.web.BundleMessages} (1.4.0). Pages show
 * an instant with {@link io.cachet.api.web.Pages#time} (1.5.0: Pages.time).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.5.0")
package io.cachet.api.web;
