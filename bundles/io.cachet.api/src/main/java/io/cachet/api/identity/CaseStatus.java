package io.cachet.api.identity;

/** Where an identity case stands. */
public enum CaseStatus {
    /** Waiting for the person to open their link and start (again, after a rejection with attempts left). */
    OPEN,
    /** The person is going through the provider's flow (an attempt is open). */
    IN_PROGRESS,
    /** Evidence complete: waiting for an operator's decision (or a second operator's approval). */
    REVIEW,
    /** Approved by the operator(s): the order's identity check has passed. */
    APPROVED,
    /** Rejected and no attempt left (or the operator refused further attempts): the check has failed. */
    REJECTED,
    /** The order ended before the case did. */
    CANCELLED;

    /** @return whether nothing more can happen to the case */
    public boolean ended() {
        return this == APPROVED || this == REJECTED || this == CANCELLED;
    }
}
