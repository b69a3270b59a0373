package io.cachet.ca.internal.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How the CA's REST resources read JSON request bodies: with limits a request body never needs (nesting,
 * string and document length), so that a hostile body costs little and is refused with a 400 that says why.
 */
final class JsonBodies {

    /** A request object nests an object or two; 32 leaves room and stops recursion bombs. */
    static final int MAX_NESTING = 32;
    /** The longest legitimate string is a PEM CSR of an RSA-4096 key (about 2 KB). */
    static final int MAX_STRING = 16 * 1024;

    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING)
                    .maxStringLength(MAX_STRING)
                    .maxDocumentLength(CertificatesResource.MAX_BODY)
                    .maxNumberLength(100)
                    .build())
            .build());

    private JsonBodies() {
    }

    /** {@code 'organisation.identifier': } for the value being read when a limit was hit, else nothing. */
    private static String field(JsonParser parser) {
        if (parser != null) {
            String pointer = parser.getParsingContext().pathAsPointer().toString();
            if (!pointer.isEmpty()) {
                return "'" + pointer.substring(1).replace('/', '.') + "': ";
            }
        }
        return "";
    }

    /** One sentence for the caller: what is wrong with the body and where ({@code parser}: the one that read it, or null). */
    static String problem(JsonProcessingException e, JsonParser parser) {
        if (e instanceof StreamConstraintsException) {
            return field(parser) + "The request body exceeds a limit: at most " + MAX_NESTING + " levels of nesting, strings of at"
                    + " most " + MAX_STRING / 1024 + " KiB, and " + CertificatesResource.MAX_BODY / 1024
                    + " KiB in all.";
        }
        JsonLocation at = e.getLocation();
        return "The request body is not valid JSON" + (at == null ? "." : " (line " + at.getLineNr() + ", column "
                + at.getColumnNr() + ").");
    }
}
