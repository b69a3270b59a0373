package io.cachet.api.order;

import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Something a person can do from their order's status page, contributed by the module that serves it (whiteboard):
 * e.g. "Upload the registry extract" from the organisation check. The portal asks every installed action each time
 * it renders a status page and shows those that answer as links, in service ranking order. The order module and the
 * portal never know the modules behind their actions.
 *
 * <p>Implementations are called on the page's request thread: they must be quick (no remote calls), thread-safe,
 * and must not fail; an exception is logged and the action left out.
 */
@ConsumerType
public interface StatusAction {

    /** The purpose of a person's status link ({@link io.cachet.api.link.PersonalLinks}): the token given to {@link #action}. */
    String STATUS_LINK_PURPOSE = "status";

    /**
     * @param order the order of the page
     * @param viewer whose personal link it is (when one person holds both roles, {@code CERTIFICATE_MANAGER})
     * @param statusToken the secret token of the viewer's status link (purpose {@value #STATUS_LINK_PURPOSE}): a module serving its
     *        own page for the person may put it in the link's URL and check it again with
     *        {@link io.cachet.api.link.PersonalLinks#open}; never log it
     * @param language {@code fr} or {@code en}, the page's language
     * @return the link to show, or empty when this action does not apply now (order state, role, check passed)
     */
    Optional<Link> action(Order order, OrderRole viewer, String statusToken, String language);

    /**
     * @param label the link's text in the page's language (plain text; the portal escapes it)
     * @param url a page of this server starting with {@code /} (without the context path), or an absolute
     *        {@code https} URL
     * @param hint one sentence under the link in the page's language, or empty
     */
    record Link(String label, String url, String hint) {
    }
}
