package io.cachet.rest.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationBase;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsName;

import jakarta.ws.rs.core.Application;

import io.cachet.api.rest.RestApi;

/**
 * The {@code /api/v1} application of the Jakarta RESTful Web Services Whiteboard. Its base is {@code /}: the
 * whiteboard's servlet adapter serves the whole whiteboard under {@link RestApi#BASE_PATH}
 * ({@link WhiteboardConfiguration}), and this application, ranked above the implicit default one, takes that root so
 * the default application never claims {@code /*} of the web site. Resources and extensions join it with
 * {@code osgi.jakartars.application.select=}{@link RestApi#APPLICATION_SELECT}.
 */
@Component(service = Application.class, property = "service.ranking:Integer=100")
@JakartarsApplicationBase("/")
@JakartarsName(RestApi.APPLICATION_NAME)
public class ApiApplication extends Application {

    /**
     * Jersey settings: errors keep the body the problem mapper wrote (no container error page), no WADL, no
     * provider discovery through META-INF/services (every extension is a whiteboard service): less to start.
     */
    static final Map<String, Object> PROPERTIES = Map.of(
            "jersey.config.server.response.setStatusOverSendError", Boolean.TRUE,
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
