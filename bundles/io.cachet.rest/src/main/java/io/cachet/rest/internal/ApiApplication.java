package io.cachet.rest.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.propertytypes.SatisfyingConditionTarget;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationBase;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsExtensionSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsName;

import jakarta.ws.rs.core.Application;

import io.cachet.api.health.Readiness;
import io.cachet.api.rest.RestApi;

/**
 * The {@code /api/v1} application of the Jakarta RESTful Web Services Whiteboard. Its base is {@code /}: the
 * whiteboard's servlet adapter serves the whole whiteboard under {@link RestApi#BASE_PATH}
 * ({@link WhiteboardConfiguration}), and this application, ranked above the implicit default one, takes that root so
 * the default application never claims {@code /*} of the web site. Resources and extensions join it with
 * {@code osgi.jakartars.application.select=}{@link RestApi#APPLICATION_SELECT}.
 *
 * <p>The application requires its own extensions ({@code osgi.jakartars.extension.select}): the whiteboard serves
 * it only once authentication, the JSON provider, the problem mapper and the body limit are all there, so no
 * resource is ever reachable without its authentication; and the API is assembled once instead of once per
 * extension as they arrive.
 *
 * <p>For the same reason the application is registered only once the start has settled
 * ({@link Readiness#SETTLED}: every bundle active, every component satisfied): the whiteboard assembles the whole
 * Jersey application again for every resource that joins it (at least 50 ms apart), and while Cachet starts the
 * resources of a dozen bundles arrive one by one. An integrator whose distribution lacks {@code io.cachet.web} (which
 * registers that condition) sets {@code osgi.ds.satisfying.condition.target} to {@code (osgi.condition.id=true)} in
 * this component's configuration.
 */
@Component(service = Application.class, property = "service.ranking:Integer=100")
@SatisfyingConditionTarget(Readiness.SETTLED_TARGET)
@JakartarsApplicationBase("/")
@JakartarsName(RestApi.APPLICATION_NAME)
@JakartarsExtensionSelect({ "(osgi.jakartars.name=" + ApiAuthentication.NAME + ")",
        "(osgi.jakartars.name=" + ApiAuthorization.NAME + ")",
        "(osgi.jakartars.name=" + JsonProvider.NAME + ")", "(osgi.jakartars.name=" + ProblemMapper.NAME + ")",
        "(osgi.jakartars.name=" + BodyLimitFilter.NAME + ")" })
public class ApiApplication extends Application {

    /**
     * Jersey settings: errors keep the body the problem mapper wrote (no container error page), a Location stays
     * as the resource wrote it (a path, as before), no WADL, no provider discovery through META-INF/services
     * (every extension is a whiteboard service): less to start.
     */
    static final Map<String, Object> PROPERTIES = Map.of(
            "jersey.config.server.response.setStatusOverSendError", Boolean.TRUE,
            "jersey.config.server.headers.location.relative.resolution.disabled", Boolean.TRUE,
            "jersey.config.server.wadl.disableWadl", Boolean.TRUE,
            "jersey.config.disableAutoDiscovery", Boolean.TRUE,
            "jersey.config.disableMetainfServicesLookup", Boolean.TRUE,
            "jersey.config.beanValidation.disable.server", Boolean.TRUE,
            "jersey.config.disableJsonProcessing", Boolean.TRUE,
            "jersey.config.disableMoxyJson", Boolean.TRUE);

    @Override
    public Map<String, Object> getProperties() {
        return PROPERTIES;
    }
}
