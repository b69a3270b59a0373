package io.cachet.delivery.cloud.internal.csc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import javax.security.auth.x500.X500Principal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cachet.api.store.StoreException;
import io.cachet.delivery.cloud.internal.csc.CscService.Caller;
import io.cachet.delivery.cloud.internal.csc.CscService.Credential;

/**
 * The CSC API v2 over HTTP, without a container: one {@link Call} (method, path under {@code /csc/v2/}, the
 * {@code Authorization} header, the body) gives one {@link Answer} (status, headers, JSON). Requests are POST with a
 * JSON object (an empty body for the methods without parameters); answers are JSON, errors
 * {@code {error, error_description}} as the specification lists them; never a stack trace. The servlet at
 * {@value #BASE} and the OpenAPI resource both call this.
 */
public final class CscApi {

    public static final String BASE = "/csc/v2";
    public static final String SPECS = "2.0.0.2";
    /** The methods, as {@code info} lists them. */
    public static final List<String> METHODS = List.of("auth/login", "auth/revoke", "credentials/list",
            "credentials/info", "credentials/authorize", "signatures/signHash");
    /** Bodies larger than this are refused (100 SHA-512 hashes in Base64 take about 9 KiB). */
    public static final int MAX_BODY = 64 * 1024;

    static final String BASIC_CHALLENGE = "Basic realm=\"Cachet CSC\", charset=\"UTF-8\"";
    static final String BEARER_CHALLENGE = "Bearer realm=\"Cachet CSC\"";
    private static final Logger LOG = LoggerFactory.getLogger(CscApi.class);
    private static final DateTimeFormatter GENERALIZED = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'",
            Locale.ROOT).withZone(ZoneOffset.UTC);
    static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(16 * 1024)
                    .maxNumberLength(20).build())
            .build());

    /** An HTTP request to the API. */
    public record Call(String method, String path, String authorization, byte[] body, String client) {
    }

    /** The answer: status, headers (besides Content-Type application/json), the JSON body. */
    public record Answer(int status, Map<String, String> headers, String body) {
    }

    private final CscService service;

    public CscApi(CscService service) {
        this.service = service;
    }

    public Answer handle(Call call) {
        try {
            String path = call.path() == null ? "" : call.path();
            path = path.startsWith("/") ? path.substring(1) : path;
            if (!"POST".equals(call.method()) && !("GET".equals(call.method()) && "info".equals(path))) {
                if (!"info".equals(path) && !METHODS.contains(path)) {
                    return notFound(path);
                }
                return new Answer(405, Map.of("Allow", "info".equals(path) ? "POST, GET" : "POST"), error(
                        "invalid_request", "The CSC methods are called with POST and a JSON body."));
            }
            if (call.body() != null && call.body().length > MAX_BODY) {
                return new Answer(413, Map.of(), error("invalid_request", "The request body is over "
                        + MAX_BODY / 1024 + " KiB; a CSC request needs far less."));
            }
            return switch (path) {
                case "info" -> ok(serviceInfo(call));
                case "auth/login" -> ok(login(call));
                case "auth/revoke" -> revoke(call);
                case "credentials/list" -> ok(list(call));
                case "credentials/info" -> ok(info(call));
                case "credentials/authorize" -> ok(authorize(call));
                case "signatures/signHash" -> ok(signHash(call));
                default -> notFound(path);
            };
        } catch (CscException e) {
            Map<String, String> headers = new LinkedHashMap<>();
            if (e.status() == 401) {
                headers.put("WWW-Authenticate", "invalid_token".equals(e.error())
                        ? BEARER_CHALLENGE + ", error=\"invalid_token\"" : BASIC_CHALLENGE);
            }
            return new Answer(e.status(), headers, error(e.error(), e.getMessage()));
        } catch (StoreException e) {
            String reference = UUID.randomUUID().toString();
            LOG.error("CSC {} failed on the database, reference {}", call.path(), reference, e);
            return new Answer(503, Map.of("Retry-After", "30"), error("temporarily_unavailable", "The service"
                    + " cannot answer now; try again in a minute. Quote reference " + reference + " if it lasts."));
        } catch (RuntimeException e) {
            String reference = UUID.randomUUID().toString();
            LOG.error("CSC {} failed, reference {}", call.path(), reference, e);
            return new Answer(500, Map.of(), error("server_error", "The request could not be completed. Quote"
                    + " reference " + reference + " to the provider."));
        }
    }

    // ---------------------------------------------------------------- methods

    /**
     * info: a POST's body is still checked (a JSON object whose optional {@code lang} is a string, CSC 2.0 11.1), so
     * that a client sending something else hears it rather than believing it was understood; the answer is in the
     * service's one language whatever {@code lang} asks, which the specification allows ("lang" in the output).
     */
    private Map<String, Object> serviceInfo(Call call) {
        if ("POST".equals(call.method())) {
            string(body(call, true), "lang", false);
        }
        return info();
    }

    Map<String, Object> info() {
        CscSettings s = service.settings();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("specs", SPECS);
        m.put("name", s.name());
        m.put("logo", s.logo());
        m.put("region", s.region());
        m.put("lang", s.lang());
        m.put("description", s.description());
        m.put("authType", List.of("basic"));
        m.put("methods", METHODS);
        m.put("signAlgorithms", Map.of("algos", CscAlgorithms.SIGN_ALGORITHMS));
        return m;
    }

    private Map<String, Object> login(Call call) {
        JsonNode body = body(call, true);
        if (body.hasNonNull("refresh_token")) {
            throw CscException.invalid("Invalid parameter refresh_token: this service issues no refresh tokens;"
                    + " log in with HTTP Basic again.");
        }
        String header = call.authorization();
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw new CscException(401, "unauthorized_client", "Log in with HTTP Basic authentication: the e-mail"
                    + " address and the password of your customer space.", null);
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(header.substring(6).strip());
        } catch (IllegalArgumentException e) {
            throw new CscException(401, "unauthorized_client", "The HTTP Basic credentials are not valid Base64.",
                    null);
        }
        char[] chars;
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(decoded));
            chars = new char[cb.remaining()];
            cb.get(chars);
            Arrays.fill(cb.array(), '\0');
        } catch (CharacterCodingException e) {
            throw new CscException(401, "unauthorized_client", "The HTTP Basic credentials are not UTF-8.", null);
        } finally {
            Arrays.fill(decoded, (byte) 0);
        }
        int colon = -1;
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= 0) {
            Arrays.fill(chars, '\0');
            throw new CscException(401, "unauthorized_client", "The HTTP Basic credentials must be"
                    + " 'e-mail:password'.", null);
        }
        String email = new String(chars, 0, colon);
        char[] password = Arrays.copyOfRange(chars, colon + 1, chars.length);
        Arrays.fill(chars, '\0');
        CscService.Login login = service.login(email, password, call.client());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("access_token", login.accessToken());
        m.put("expires_in", login.expiresIn());
        return m;
    }

    private Answer revoke(Call call) {
        Caller caller = caller(call);
        JsonNode body = body(call, true);
        String token = string(body, "token", false);
        String hint = string(body, "token_type_hint", false);
        if (hint != null && !hint.equals("access_token") && !hint.equals("refresh_token")) {
            throw CscException.invalid("Invalid parameter token_type_hint: access_token or refresh_token.");
        }
        service.revoke(caller, token);
        return new Answer(204, Map.of(), "");
    }

    private Map<String, Object> list(Call call) {
        Caller caller = caller(call);
        JsonNode body = body(call, true);
        boolean infos = bool(body, "credentialInfo");
        String certificates = certificates(body);
        boolean certInfo = bool(body, "certInfo");
        boolean authInfo = bool(body, "authInfo");
        boolean onlyValid = bool(body, "onlyValid");
        if (body.hasNonNull("userID")) {
            throw CscException.invalid("userID parameter MUST be null: the access token already names you.");
        }
        List<String> ids = service.credentialIds(caller, onlyValid);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("credentialIDs", ids);
        if (infos) {
            List<Object> list = new ArrayList<>();
            for (String id : ids) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("credentialID", id);
                one.putAll(describe(service.credential(caller, id), certificates, certInfo, authInfo));
                list.add(one);
            }
            m.put("credentialInfos", list);
        }
        m.put("onlyValid", onlyValid);
        return m;
    }

    private Map<String, Object> info(Call call) {
        Caller caller = caller(call);
        JsonNode body = body(call, false);
        String id = credentialId(body);
        String certificates = certificates(body);
        return describe(service.credential(caller, id), certificates, bool(body, "certInfo"), bool(body, "authInfo"));
    }

    private Map<String, Object> authorize(Call call) {
        Caller caller = caller(call);
        JsonNode body = body(call, false);
        String id = credentialId(body);
        Integer num = integer(body, "numSignatures");
        List<String> hashes = strings(body, "hashes");
        String hashOid = string(body, "hashAlgorithmOID", false);
        char[] pin = null;
        String otp = null;
        JsonNode authData = body.get("authData");
        if (authData != null && !authData.isNull()) {
            if (!authData.isArray()) {
                throw CscException.invalid("Missing (or invalid type) array parameter authData.");
            }
            for (JsonNode d : authData) {
                if (!d.isObject() || !d.path("id").isTextual() || !d.path("value").isTextual()) {
                    throw CscException.invalid("Invalid parameter authData: each entry is {\"id\": ..., \"value\":"
                            + " ...}.");
                }
                switch (d.get("id").asText()) {
                    case "PIN" -> pin = d.get("value").asText().toCharArray();
                    case "OTP" -> otp = d.get("value").asText();
                    default -> throw CscException.invalid("Invalid parameter authData: unknown id '"
                            + printable(d.get("id").asText()) + "'; this service asks for PIN and OTP.");
                }
            }
        }
        CscService.Authorization a = service.authorize(caller, id, num, hashes, hashOid, pin, otp, call.client());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("SAD", a.sad());
        m.put("expiresIn", a.expiresIn());
        return m;
    }

    private Map<String, Object> signHash(Call call) {
        Caller caller = caller(call);
        JsonNode body = body(call, false);
        String id = credentialId(body);
        String sad = string(body, "SAD", true);
        List<String> hashes = strings(body, "hashes");
        String hashOid = string(body, "hashAlgorithmOID", false);
        String signAlgo = string(body, "signAlgo", true);
        String mode = string(body, "operationMode", false);
        if (mode != null && !mode.equals("S")) {
            throw CscException.invalid("Invalid parameter operationMode: this service signs synchronously only"
                    + " (S).");
        }
        if (body.hasNonNull("signAlgoParams") && !CscAlgorithms.SIGN_ALGORITHMS.contains(signAlgo)) {
            throw CscException.invalid("Invalid parameter signAlgoParams: the algorithms offered take none.");
        }
        List<byte[]> signatures = service.signHash(caller, id, sad, hashes, hashOid, signAlgo, call.client());
        return Map.of("signatures", signatures.stream().map(Base64.getEncoder()::encodeToString).toList());
    }

    /** credentials/info's answer (also each of credentials/list's credentialInfos). */
    Map<String, Object> describe(Credential c, String certificates, boolean certInfo, boolean authInfo) {
        X509Certificate cert = c.certificate();
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("status", c.enabled() ? "enabled" : "disabled");
        List<String> algo = new ArrayList<>();
        String family = CscAlgorithms.family(cert.getPublicKey());
        for (String a : CscAlgorithms.signAlgorithms(family)) {
            algo.add(a);
        }
        key.put("algo", algo);
        key.put("len", CscAlgorithms.keyLength(cert.getPublicKey()));
        Map<String, Object> certificate = new LinkedHashMap<>();
        certificate.put("status", c.status());
        if (!"none".equals(certificates)) {
            List<String> encoded = new ArrayList<>();
            encoded.add(der(cert));
            if ("chain".equals(certificates)) {
                c.chain().forEach(x -> encoded.add(der(x)));
            }
            certificate.put("certificates", encoded);
        }
        if (certInfo) {
            certificate.put("issuerDN", cert.getIssuerX500Principal().getName(X500Principal.RFC2253));
            certificate.put("serialNumber", cert.getSerialNumber().toString(16).toUpperCase(Locale.ROOT));
            certificate.put("subjectDN", cert.getSubjectX500Principal().getName(X500Principal.RFC2253));
            certificate.put("validFrom", GENERALIZED.format(cert.getNotBefore().toInstant()));
            certificate.put("validTo", GENERALIZED.format(cert.getNotAfter().toInstant()));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("description", "Cloud seal " + cert.getSubjectX500Principal().getName(X500Principal.RFC2253));
        m.put("key", key);
        m.put("cert", certificate);
        boolean otp = c.factors().contains("totp");
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("mode", "explicit");
        if (authInfo) {
            List<Object> objects = new ArrayList<>();
            objects.add(Map.of("type", "Password", "id", "PIN", "format", "A", "label", "Password",
                    "description", "The password of your customer space"));
            if (otp) {
                objects.add(Map.of("type", "Password", "id", "OTP", "format", "N", "generator", "totp",
                        "label", "Code", "description", "The 6-digit code of your authenticator app"));
            }
            auth.put("expression", otp ? "PIN AND OTP" : "PIN");
            auth.put("objects", objects);
        }
        m.put("auth", auth);
        m.put("SCAL", "2");
        m.put("multisign", service.settings().maxSignatures());
        m.put("lang", service.settings().lang());
        return m;
    }

    // ---------------------------------------------------------------- request parts

    private Caller caller(Call call) {
        String header = call.authorization();
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw CscException.invalidToken("Send the access token from auth/login as 'Authorization: Bearer"
                    + " <token>'.");
        }
        return service.authenticate(header.substring(7).strip());
    }

    /** The body as a JSON object; an empty body is {} where {@code emptyAllowed}. */
    private static JsonNode body(Call call, boolean emptyAllowed) {
        byte[] b = call.body();
        if (b == null || b.length == 0 || new String(b, StandardCharsets.UTF_8).isBlank()) {
            if (emptyAllowed) {
                return JSON.createObjectNode();
            }
            throw CscException.invalid("The request body is empty: send a JSON object.");
        }
        JsonNode node;
        try {
            node = JSON.readTree(b);
        } catch (JsonProcessingException e) {
            throw CscException.invalid("The request body is not valid JSON" + (e.getLocation() == null ? "."
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")."));
        } catch (IOException e) {
            throw CscException.invalid("The request body could not be read.");
        }
        if (!(node instanceof ObjectNode)) {
            throw CscException.invalid("The request body must be a JSON object.");
        }
        return node;
    }

    private static String credentialId(JsonNode body) {
        String id = string(body, "credentialID", true);
        if (id.length() > 64 || !id.matches("[A-Za-z0-9._:-]+")) {
            throw CscException.invalid("Invalid parameter credentialID: list yours with credentials/list.");
        }
        return id;
    }

    private static String certificates(JsonNode body) {
        String c = string(body, "certificates", false);
        if (c == null) {
            return "single";
        }
        if (!List.of("none", "single", "chain").contains(c)) {
            throw CscException.invalid("Invalid parameter certificates: none, single or chain.");
        }
        return c;
    }

    private static String string(JsonNode body, String name, boolean required) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            if (required) {
                throw CscException.invalid("Missing (or invalid type) string parameter " + name + ".");
            }
            return null;
        }
        if (!n.isTextual()) {
            throw CscException.invalid("Missing (or invalid type) string parameter " + name + ".");
        }
        return n.asText();
    }

    private static boolean bool(JsonNode body, String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw CscException.invalid("Missing (or invalid type) boolean parameter " + name + ".");
        }
        return n.asBoolean();
    }

    private static Integer integer(JsonNode body, String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isInt()) {
            throw CscException.invalid("Missing (or invalid type) integer parameter " + name + ".");
        }
        return n.asInt();
    }

    private static List<String> strings(JsonNode body, String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!(n instanceof ArrayNode a)) {
            throw CscException.invalid("Missing (or invalid type) array parameter " + name + ".");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : a) {
            if (!e.isTextual()) {
                throw CscException.invalid("Missing (or invalid type) array parameter " + name + ": strings only.");
            }
            out.add(e.asText());
        }
        return out;
    }

    // ---------------------------------------------------------------- answers

    private static Answer ok(Object body) {
        try {
            return new Answer(200, Map.of(), JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a CSC answer cannot be written", e);
        }
    }

    private static Answer notFound(String path) {
        return new Answer(404, Map.of(), error("invalid_request", "No CSC method " + printable(path) + " here: the"
                + " methods are info, " + String.join(", ", METHODS) + " under " + BASE + "/."));
    }

    static String error(String error, String description) {
        try {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("error", error);
            m.put("error_description", description);
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String der(X509Certificate c) {
        try {
            return Base64.getEncoder().encodeToString(c.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a certificate cannot be encoded", e);
        }
    }

    private static String printable(String s) {
        String t = s == null ? "" : s.replaceAll("[^\\x20-\\x7e]", "?");
        return t.length() > 60 ? t.substring(0, 60) + "…" : t;
    }
}
