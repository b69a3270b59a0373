package io.cachet.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.osgi.service.servlet.runtime.dto.DTOConstants;
import org.osgi.service.servlet.runtime.dto.FailedServletDTO;
import org.osgi.service.servlet.runtime.dto.RuntimeDTO;

import io.cachet.api.health.HealthIndicator.Health;

/** The http health check: a servlet the whiteboard refused makes Cachet unhealthy and is named; shadowing does not. */
class HttpHealthTest {

    private static FailedServletDTO failed(String name, int reason, String... patterns) {
        FailedServletDTO f = new FailedServletDTO();
        f.name = name;
        f.patterns = patterns;
        f.failureReason = reason;
        return f;
    }

    @Test
    void nothingRefusedIsHealthy() {
        assertTrue(HttpHealth.check(new RuntimeDTO()).healthy());
    }

    @Test
    void aRefusedServletIsNamedWithItsPatternsAndWhy() {
        RuntimeDTO dto = new RuntimeDTO();
        dto.failedServletDTOs = new FailedServletDTO[] {
            failed("cachet-cloud-space", DTOConstants.FAILURE_REASON_VALIDATION_FAILED, "/space", "/space/") };
        Health h = HttpHealth.check(dto);
        assertFalse(h.healthy());
        assertEquals("the HTTP whiteboard refused servlet 'cachet-cloud-space' /space, /space/ (invalid registration,"
                + " e.g. a pattern)", h.detail());
    }

    @Test
    void aServletShadowedByAHigherRankedOneIsByDesign() {
        RuntimeDTO dto = new RuntimeDTO();
        dto.failedServletDTOs = new FailedServletDTO[] {
            failed("default", DTOConstants.FAILURE_REASON_SHADOWED_BY_OTHER_SERVICE, "/") };
        assertTrue(HttpHealth.check(dto).healthy());
    }
}
