package io.cachet.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.core.Response;

import io.cachet.api.operator.ApiKey;
import io.cachet.api.operator.ApiKeyScope;
import io.cachet.api.operator.Operator;
import io.cachet.api.rest.ApiCaller;
import io.cachet.api.rest.ApiException;

class ProblemMapperTest {

    private final ProblemMapper mapper = new ProblemMapper();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(Response r) {
        return (Map<String, Object>) r.getEntity();
    }

    @Test
    void anApiExceptionIsAProblemWithTheFieldsClientsAlreadyRead() {
        Response r = mapper.toResponse(ApiException.conflict("The certificate is already revoked."));
        assertEquals(409, r.getStatus());
        assertEquals(Problems.MEDIA_TYPE, r.getMediaType().toString());
        assertEquals("no-store", r.getHeaderString("Cache-Control"));
        Map<String, Object> body = body(r);
        assertEquals("urn:cachet:problem:conflict", body.get("type"));
        assertEquals("Conflict", body.get("title"));
        assertEquals(409, body.get("status"));
        assertEquals("The certificate is already revoked.", body.get("detail"));
        assertEquals("conflict", body.get("error"));
        assertEquals("The certificate is already revoked.", body.get("error_description"));
    }

    @Test
    void extensionMembersJoinTheProblemButNeverReplaceTheStandardOnes() {
        java.util.List<Map<String, String>> errors = java.util.List.of(Map.of("field", "organisation.identifier",
                "code", "luhn", "message", "The SIREN's check digit is wrong."));
        Response r = mapper.toResponse(new ApiException(400, "invalid_request", "The order is invalid.",
                Map.of("errors", errors, "status", 200)));
        assertEquals(400, r.getStatus());
        assertEquals(errors, body(r).get("errors"));
        assertEquals(400, body(r).get("status"));
    }

    @Test
    void whatALibraryWrappedIsFoundAndA413FromTheStreamToo() {
        Response wrapped = mapper.toResponse(new IllegalStateException(ApiException.badRequest("Field 'x' is missing.")));
        assertEquals(400, wrapped.getStatus());
        Response tooLarge = mapper.toResponse(new IOException(new LimitedInputStream.TooLarge(
                BodyLimitFilter.tooLarge(64 * 1024, "a CSR and a few names fit in far less"))));
        assertEquals(413, tooLarge.getStatus());
        assertEquals("The request body is over 64 KiB; a CSR and a few names fit in far less.",
                body(tooLarge).get("detail"));
    }

    @Test
    void jakartaRestRefusalsSayWhatToDoToACallerAndNothingToAStranger() {
        Response anonymous = mapper.toResponse(new NotAllowedException("GET", new String[] { "OPTIONS" }));
        assertEquals(401, anonymous.getStatus());
        assertTrue(anonymous.getHeaderString("WWW-Authenticate").startsWith("Bearer"));
        mapper.security = new ApiAuthentication.CallerContext(new ApiCaller(new Operator("alice", Set.of(), false),
                new ApiKey("k1", "alice", null, ApiKeyScope.READ, Instant.EPOCH, null, null, null)), false);
        Response r = mapper.toResponse(new NotAllowedException("GET", new String[] { "OPTIONS" }));
        assertEquals(405, r.getStatus());
        assertEquals("method_not_allowed", body(r).get("error"));
        assertTrue(r.getHeaderString("Allow").contains("GET"));
    }

    @Test
    void theContainersOwnRefusalKeepsItsStatus() {
        Response slow = new ProblemMapper().toResponse(new java.io.UncheckedIOException(new java.io.IOException(
                new org.eclipse.jetty.http.BadMessageException(408, "Request content data rate < 1024 B/s"))));
        assertEquals(408, slow.getStatus());
        assertEquals(408, ProblemMapper.containerRefusal(new org.eclipse.jetty.http.BadMessageException(408)));
        assertEquals(0, ProblemMapper.containerRefusal(new IllegalStateException("x")));
    }

    @Test
    void anythingElseIsA500WithAReferenceAndNoInternals() {
        Response r = mapper.toResponse(new NullPointerException("secret internals at io.cachet.Foo"));
        assertEquals(500, r.getStatus());
        String detail = (String) body(r).get("detail");
        assertTrue(detail.matches("The request could not be completed\\. Quote reference [0-9a-f-]{36} to the operator\\."),
                detail);
        assertFalse(body(r).toString().contains("secret"));
    }
}
