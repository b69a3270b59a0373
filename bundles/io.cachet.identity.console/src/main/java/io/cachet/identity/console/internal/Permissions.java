package io.cachet.identity.console.internal;

import java.util.Set;

import io.cachet.api.rest.RestApi;

/**
 * Who may do what on the identity review pages.
 *
 * <ul>
 * <li><b>The evidence and the decisions</b> (a case's page, its images, approve and reject): registration officers
 * ({@value RestApi#ROLE_RA_OFFICER}) only. The images are a person's identity document and face: they are shown
 * on a need-to-know basis to the people whose job is to decide on them (ETSI TS 119 461: trained registration
 * staff), not to administrators, support or auditors (auditors read who looked at what in the audit log).</li>
 * <li><b>The queue</b> (which cases wait, since when, how many attempts; no name, no image): registration officers,
 * and support ({@value RestApi#ROLE_SUPPORT}), who answer customers asking where their identification stands.</li>
 * </ul>
 * Administrators who need to review must be given the registration officer role (an audited change of their account).
 */
final class Permissions {

    /** The roles that open the queue. */
    static final Set<String> QUEUE = Set.of(RestApi.ROLE_RA_OFFICER, RestApi.ROLE_SUPPORT);

    private Permissions() {
    }

    static boolean canSeeQueue(Set<String> roles) {
        return QUEUE.stream().anyMatch(roles::contains);
    }

    /** Whether the operator may see a case's evidence (page and images) and decide on it. */
    static boolean canReview(Set<String> roles) {
        return roles.contains(RestApi.ROLE_RA_OFFICER);
    }
}
