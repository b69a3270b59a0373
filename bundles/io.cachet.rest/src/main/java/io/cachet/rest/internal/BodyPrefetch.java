package io.cachet.rest.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsExtension;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsName;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;

import io.cachet.api.rest.RestApi;

/**
 * Reads a request body of announced length (up to {@link RestApi#DEFAULT_BODY_LIMIT}) as soon as the API gets
 * the request, before authenticating it. The server enforces a minimum request data rate (Jetty's, set by the
 * HTTP guard), which Jetty measures from the body's first byte to each read: a small body read after the
 * database lookup of the API key, or after the API's first-request warm-up, looked too slow (a 28-byte body read
 * 30 ms late, at 1 KiB/s) and the request failed with 408. Larger or chunked bodies stream as before;
 * {@link BodyLimitFilter} applies the resource's limit either way.
 */
@Component(service = ContainerRequestFilter.class)
@JakartarsExtension
@JakartarsName(BodyPrefetch.NAME)
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public class BodyPrefetch implements ContainerRequestFilter {

    static final String NAME = "cachet.api.bodyprefetch";

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        int length = request.getLength();
        if (length <= 0 || length > RestApi.DEFAULT_BODY_LIMIT || !request.hasEntity()) {
            return;
        }
        InputStream in = request.getEntityStream();
        byte[] body = in.readNBytes(length);
        request.setEntityStream(new Wiped(body));
    }

    /** The copy is zeroed when the stream is closed: a body may hold a secret (the root PIN of the ARL ceremony). */
    static final class Wiped extends ByteArrayInputStream {
        Wiped(byte[] body) {
            super(body);
        }

        @Override
        public void close() throws IOException {
            java.util.Arrays.fill(buf, (byte) 0);
            super.close();
        }
    }
}
