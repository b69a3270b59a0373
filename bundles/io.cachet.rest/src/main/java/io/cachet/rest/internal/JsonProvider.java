package io.cachet.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.io.Reader;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsExtension;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsName;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.MessageBodyWriter;

import io.cachet.api.rest.ApiException;
import io.cachet.api.rest.RestApi;

/**
 * The API's one JSON provider: Jackson, configured once. Request bodies are read with limits no request needs
 * (nesting, string and number length), so that a hostile body costs little; whatever is wrong with a body is a 400
 * that says what and where, naming the field when it can. The total size is {@link BodyLimitFilter}'s. It takes
 * {@code application/json} and every {@code application/*+json} ({@code problem+json} above all): no
 * {@code @Produces}, as Jakarta REST has no pattern for structured suffixes; {@link #json} decides.
 *
 * <p>Cachet's own rather than jackson-jakarta-rs-json-provider: that provider answers parse errors itself (its own
 * exception mappers, its own wording) and would need the limits and the messages configured around it anyway.
 */
@Component(service = { MessageBodyReader.class, MessageBodyWriter.class })
@JakartarsExtension
@JakartarsName(JsonProvider.NAME)
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
public class JsonProvider implements MessageBodyReader<Object>, MessageBodyWriter<Object> {

    static final String NAME = "cachet.api.json";

    /** A request object nests an object or two; 32 leaves room and stops recursion bombs. */
    static final int MAX_NESTING = 32;
    /** The longest legitimate string is a PEM CSR of an RSA-4096 key (about 2 KB). */
    static final int MAX_STRING = 16 * 1024;

    static final ObjectMapper MAPPER = strict(JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING)
                    .maxStringLength(MAX_STRING)
                    .maxNumberLength(100)
                    .build())
            .build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            // a value of the wrong type is the caller's mistake, said so, never guessed at: "7" is not 7,
            // 7 is not "7", 1.5 is not 1, 0 is not the first constant of an enumeration (null stays "not given",
            // as an absent field is: Jackson cannot fail one without the other for a record's number)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .build());

    /** Jackson reads a number or a boolean into a text field unless told not to (databind 2.14+). */
    private static ObjectMapper strict(ObjectMapper mapper) {
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return json(mediaType) && !raw(type);
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return json(mediaType) && !raw(type);
    }

    static boolean json(MediaType mediaType) {
        return mediaType == null || mediaType.isWildcardType()
                || "application".equals(mediaType.getType()) && ("json".equals(mediaType.getSubtype())
                        || mediaType.getSubtype().endsWith("+json") || mediaType.isWildcardSubtype());
    }

    /** What Jakarta REST reads and writes itself, as bytes or text. */
    static boolean raw(Class<?> type) {
        return type == String.class || type == byte[].class || InputStream.class.isAssignableFrom(type)
                || Reader.class.isAssignableFrom(type) || StreamingOutput.class.isAssignableFrom(type)
                || type == java.io.File.class;
    }

    @Override
    public Object readFrom(Class<Object> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, String> httpHeaders, InputStream entityStream) throws IOException {
        return read(MAPPER.getTypeFactory().constructType(genericType), entityStream);
    }

    static Object read(JavaType type, InputStream body) throws IOException {
        try {
            PushbackInputStream in = new PushbackInputStream(body, 1);
            int first = in.read();
            if (first < 0) {
                throw empty();
            }
            in.unread(first);
            JsonParser parser = MAPPER.createParser(in);
            try (parser) {
                Object value = MAPPER.readValue(parser, type);
                if (value == null || value instanceof JsonNode node && (node.isNull() || node.isMissingNode())) {
                    throw empty();
                }
                return value;
            } catch (JsonProcessingException e) {
                if (e.getCause() instanceof LimitedInputStream.TooLarge tooLarge) {
                    throw tooLarge.problem();
                }
                throw ApiException.badRequest(problem(e, parser));
            }
        } catch (LimitedInputStream.TooLarge e) {
            throw e.problem();
        }
    }

    private static ApiException empty() {
        return ApiException.badRequest("The request body is empty: send a JSON object.");
    }

    /** One sentence for the caller: what is wrong with the body and where. */
    static String problem(JsonProcessingException e, JsonParser parser) {
        if (e instanceof StreamConstraintsException) {
            return field(parser) + "The request body exceeds a limit: at most " + MAX_NESTING + " levels of nesting"
                    + " and strings of at most " + MAX_STRING / 1024 + " KiB.";
        }
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            String field = m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : Integer.toString(r.getIndex()))
                    .collect(Collectors.joining("."));
            return "Field '" + field + "' " + expected(m.getTargetType()) + ".";
        }
        if (e instanceof JsonMappingException && !(e instanceof MismatchedInputException)) {
            return "The request body does not have the expected shape: send a JSON object.";
        }
        if (e instanceof MismatchedInputException) {
            return "The request body must be a JSON object.";
        }
        JsonLocation at = e.getLocation();
        return "The request body is not valid JSON" + (at == null ? "." : " (line " + at.getLineNr() + ", column "
                + at.getColumnNr() + ").");
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "has the wrong type";
        }
        if (type == String.class || type.isEnum()) {
            return "must be a string";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "must be a whole number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "must be true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "must be a number";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "must be an array";
        }
        return "must be an object";
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

    @Override
    public void writeTo(Object value, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, Object> httpHeaders, OutputStream entityStream) throws IOException {
        MAPPER.writeValue(new NonClosing(entityStream), value);
    }

    /** Jackson closes what it writes to; the container owns the response stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
