package io.cachet.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.osgi.service.jakartars.runtime.dto.ApplicationDTO;
import org.osgi.service.jakartars.runtime.dto.DTOConstants;
import org.osgi.service.jakartars.runtime.dto.FailedResourceDTO;
import org.osgi.service.jakartars.runtime.dto.ResourceDTO;
import org.osgi.service.jakartars.runtime.dto.RuntimeDTO;

import io.cachet.api.health.HealthIndicator.Health;
import io.cachet.api.rest.RestApi;

/**
 * The rest health check over the whiteboard's runtime DTO: served resources settle, refused ones settle and are
 * named, one the whiteboard could not get from its bundle while it is still registered keeps the API unhealthy and
 * is asked for again a bounded number of times.
 */
class RestHealthTest {

    private static RuntimeDTO runtime(long[] served, FailedResourceDTO... failed) {
        ApplicationDTO app = new ApplicationDTO();
        app.name = RestApi.APPLICATION_NAME;
        app.resourceDTOs = new ResourceDTO[served.length];
        for (int i = 0; i < served.length; i++) {
            ResourceDTO r = new ResourceDTO();
            r.serviceId = served[i];
            app.resourceDTOs[i] = r;
        }
        RuntimeDTO dto = new RuntimeDTO();
        dto.applicationDTOs = new ApplicationDTO[] { app };
        dto.failedResourceDTOs = failed;
        return dto;
    }

    private static FailedResourceDTO failed(long id, int reason) {
        FailedResourceDTO f = new FailedResourceDTO();
        f.serviceId = id;
        f.name = "resource-" + id;
        f.failureReason = reason;
        return f;
    }

    @Test
    void servedAndRefusedResourcesSettleTheApi() {
        Health h = RestHealth.check(runtime(new long[] { 1, 2 },
                failed(3, DTOConstants.FAILURE_REASON_DUPLICATE_NAME)), Set.of(1L, 2L, 3L));
        assertTrue(h.healthy(), h.detail());
        assertTrue(h.detail().contains("resource-3"), h.detail());
    }

    @Test
    void aResourceNotYetServedKeepsItDown() {
        Health h = RestHealth.check(runtime(new long[] { 1 }), Set.of(1L, 2L));
        assertFalse(h.healthy());
        assertEquals("1 resource(s) or extension(s) not in " + RestApi.BASE_PATH + " yet", h.detail());
    }

    @Test
    void aResourceNotGettableButStillRegisteredKeepsItDownAndIsAskedForAgain() {
        RuntimeDTO dto = runtime(new long[] { 1 }, failed(7, DTOConstants.FAILURE_REASON_SERVICE_NOT_GETTABLE));
        Health h = RestHealth.check(dto, Set.of(1L, 7L));
        assertFalse(h.healthy(), "a resource the whiteboard never got is missing from the API");
        assertTrue(h.detail().contains("could not be got from their bundle"), h.detail());

        // gone meanwhile (its bundle stopped): nothing to wait for
        assertTrue(RestHealth.check(dto, Set.of(1L)).healthy());
        assertEquals(Set.of(), WhiteboardRetry.notGettable(dto, Set.of(1L)));

        WhiteboardRetry retry = new WhiteboardRetry();
        Set<Long> stuck = WhiteboardRetry.notGettable(dto, Set.of(1L, 7L));
        assertEquals(Set.of(7L), stuck);
        for (int i = 0; i < WhiteboardRetry.MAX_TRIES; i++) {
            assertFalse(retry.givenUp(7));
            assertTrue(retry.due(stuck), "try " + (i + 1));
        }
        assertTrue(retry.givenUp(7));
        assertFalse(retry.due(stuck), "asked for a bounded number of times");
        assertTrue(retry.due(Set.of(7L, 8L)), "another service has its own tries");
    }
}
