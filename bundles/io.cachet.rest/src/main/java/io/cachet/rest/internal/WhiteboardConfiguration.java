package io.cachet.rest.internal;

import java.io.IOException;
import java.util.Hashtable;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cachet.api.rest.RestApi;

/**
 * Starts the whiteboard's servlet adapter (Eclipse OSGi Technology REST), which waits for a configuration: the
 * whole Jakarta RESTful Web Services Whiteboard is served under {@link RestApi#BASE_PATH} through the Servlet
 * Whiteboard of the server's one HTTP runtime, so that the server's HTTP guard (a whiteboard preprocessor: CSRF,
 * security headers, error pages) applies to the API as to everything else. A configuration an operator wrote
 * (DATA/deploy/JakartarsServletWhiteboardRuntimeComponent.cfg) is left alone.
 */
@Component(immediate = true)
public class WhiteboardConfiguration {

    static final String ADAPTER_PID = "JakartarsServletWhiteboardRuntimeComponent";

    @Activate
    public WhiteboardConfiguration(@Reference ConfigurationAdmin admin) throws IOException {
        Configuration c = admin.getConfiguration(ADAPTER_PID, "?");
        if (c.getProperties() == null) {
            Hashtable<String, Object> p = new Hashtable<>();
            p.put("jersey.context.path", RestApi.BASE_PATH);
            c.update(p);
        }
    }
}
