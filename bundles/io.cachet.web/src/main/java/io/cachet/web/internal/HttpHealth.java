package io.cachet.web.internal;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.service.servlet.runtime.dto.DTOConstants;
import org.osgi.service.servlet.runtime.dto.FailedFilterDTO;
import org.osgi.service.servlet.runtime.dto.FailedPreprocessorDTO;
import org.osgi.service.servlet.runtime.dto.FailedResourceDTO;
import org.osgi.service.servlet.runtime.dto.FailedServletDTO;
import org.osgi.service.servlet.runtime.dto.RuntimeDTO;

import io.cachet.api.health.HealthIndicator;

/**
 * Health check {@code http}: the servlets, filters, resources and preprocessors the HTTP whiteboard refused. A module
 * whose servlet the whiteboard refuses (an invalid pattern, say: {@code /space/} failed a whole servlet once) is
 * otherwise silent: its components are satisfied and its pages answer the site's 404. A service shadowed by another
 * of higher ranking on the same pattern is by design and not counted.
 */
@Component(service = HealthIndicator.class)
public class HttpHealth implements HealthIndicator {

    private volatile HttpServiceRuntime runtime;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setRuntime(HttpServiceRuntime runtime) {
        this.runtime = runtime;
    }

    void unsetRuntime(HttpServiceRuntime runtime) {
        if (this.runtime == runtime) {
            this.runtime = null;
        }
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public Health check() {
        HttpServiceRuntime r = runtime;
        if (r == null) {
            return new Health(false, "the HTTP whiteboard is not running yet");
        }
        return check(r.getRuntimeDTO());
    }

    static Health check(RuntimeDTO dto) {
        List<String> refused = new ArrayList<>();
        if (dto.failedServletDTOs != null) {
            for (FailedServletDTO f : dto.failedServletDTOs) {
                add(refused, "servlet", f.name, f.patterns, f.failureReason, f.serviceId);
            }
        }
        if (dto.failedFilterDTOs != null) {
            for (FailedFilterDTO f : dto.failedFilterDTOs) {
                add(refused, "filter", f.name, f.patterns, f.failureReason, f.serviceId);
            }
        }
        if (dto.failedResourceDTOs != null) {
            for (FailedResourceDTO f : dto.failedResourceDTOs) {
                add(refused, "resource", f.prefix, f.patterns, f.failureReason, f.serviceId);
            }
        }
        if (dto.failedPreprocessorDTOs != null) {
            for (FailedPreprocessorDTO f : dto.failedPreprocessorDTOs) {
                add(refused, "preprocessor", null, null, f.failureReason, f.serviceId);
            }
        }
        if (refused.isEmpty()) {
            return new Health(true, "every servlet, filter and resource is served");
        }
        return new Health(false, "the HTTP whiteboard refused " + String.join("; ", refused));
    }

    private static void add(List<String> refused, String what, String name, String[] patterns, int reason,
            long serviceId) {
        if (reason == DTOConstants.FAILURE_REASON_SHADOWED_BY_OTHER_SERVICE) {
            return;
        }
        refused.add(what + " " + (name == null ? "#" + serviceId : "'" + name + "'")
                + (patterns == null || patterns.length == 0 ? "" : " " + String.join(", ", patterns)) + " ("
                + reason(reason) + ")");
    }

    static String reason(int reason) {
        return switch (reason) {
        case DTOConstants.FAILURE_REASON_VALIDATION_FAILED -> "invalid registration, e.g. a pattern";
        case DTOConstants.FAILURE_REASON_SERVICE_NOT_GETTABLE -> "its component could not be got";
        case DTOConstants.FAILURE_REASON_EXCEPTION_ON_INIT -> "its init() failed";
        case DTOConstants.FAILURE_REASON_NO_SERVLET_CONTEXT_MATCHING -> "no servlet context matches its select";
        case DTOConstants.FAILURE_REASON_SERVLET_CONTEXT_FAILURE -> "its servlet context failed";
        case DTOConstants.FAILURE_REASON_SERVICE_IN_USE -> "the service is in use elsewhere";
        case DTOConstants.FAILURE_REASON_SERVLET_WRITE_TO_LOCATION_DENIED -> "cannot write its location";
        case DTOConstants.FAILURE_REASON_WHITEBOARD_WRITE_TO_DEFAULT_DENIED -> "cannot write the default location";
        case DTOConstants.FAILURE_REASON_SERVLET_READ_FROM_DEFAULT_DENIED -> "cannot read the default location";
        default -> "reason " + reason;
        };
    }
}
