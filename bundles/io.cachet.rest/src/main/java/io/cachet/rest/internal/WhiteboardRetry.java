package io.cachet.rest.internal;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.jakartars.runtime.dto.BaseDTO;
import org.osgi.service.jakartars.runtime.dto.DTOConstants;
import org.osgi.service.jakartars.runtime.dto.FailedExtensionDTO;
import org.osgi.service.jakartars.runtime.dto.FailedResourceDTO;
import org.osgi.service.jakartars.runtime.dto.RuntimeDTO;

/**
 * Resources and extensions the whiteboard could not get from their bundle while it assembled the API
 * ({@code FAILURE_REASON_SERVICE_NOT_GETTABLE}: the component was being activated by another thread, or its own
 * dependency was coming and going), although they are still registered. The whiteboard (osgitech 1.2.2) records them
 * as failed and never asks again until some service changes; a start-up race could leave part of {@code /api/v1}
 * answering 404 for good. This decides when to ask again: a few times per service, then it gives up and the failure
 * stays in the health detail. Thread-safe.
 */
final class WhiteboardRetry {

    /** How many times one service is asked for again. */
    static final int MAX_TRIES = 5;

    private final Map<Long, Integer> tries = new ConcurrentHashMap<>();

    /** The ids of the failed resources and extensions that were not gettable and are still registered. */
    static Set<Long> notGettable(RuntimeDTO dto, Set<Long> registered) {
        Set<Long> ids = new HashSet<>();
        add(ids, dto.failedResourceDTOs, registered);
        add(ids, dto.failedExtensionDTOs, registered);
        return ids;
    }

    private static void add(Set<Long> ids, BaseDTO[] failed, Set<Long> registered) {
        if (failed == null) {
            return;
        }
        for (BaseDTO f : failed) {
            int reason = f instanceof FailedResourceDTO r ? r.failureReason
                    : f instanceof FailedExtensionDTO e ? e.failureReason : -1;
            if (reason == DTOConstants.FAILURE_REASON_SERVICE_NOT_GETTABLE && registered.contains(f.serviceId)) {
                ids.add(f.serviceId);
            }
        }
    }

    /**
     * Whether to make the whiteboard assemble the API again for these services, counting one try for each that has
     * tries left.
     */
    boolean due(Set<Long> notGettable) {
        boolean due = false;
        for (Long id : notGettable) {
            int n = tries.merge(id, 1, Integer::sum);
            due |= n <= MAX_TRIES;
        }
        return due;
    }

    /** Whether a service was asked for {@link #MAX_TRIES} times and is still not gettable. */
    boolean givenUp(long serviceId) {
        return tries.getOrDefault(serviceId, 0) >= MAX_TRIES;
    }
}
