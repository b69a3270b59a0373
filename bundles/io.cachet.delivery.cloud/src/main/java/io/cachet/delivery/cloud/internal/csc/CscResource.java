package io.cachet.delivery.cloud.internal.csc;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.security.SecuritySchemes;
import io.swagger.v3.oas.annotations.servers.Server;
import io.swagger.v3.oas.annotations.tags.Tag;

import io.cachet.api.rest.BodyLimit;
import io.cachet.api.rest.RestApi;

import jakarta.annotation.security.PermitAll;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The CSC API in the OpenAPI description of the REST API ({@code /api/v1/openapi.json}). The API itself is served at
 * {@value CscApi#BASE} by {@link CscServlet}, outside {@code /api/v1} whose authentication takes every
 * {@code Authorization} header for an operator's API key; each operation therefore names the server {@code /}. The
 * methods answer here too, through the same {@link CscApi}, but under {@code /api/v1} only {@code info} works (the
 * others need an {@code Authorization} header, which the API's authentication refuses): clients use {@value CscApi#BASE}.
 */
@Component(service = CscResource.class)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.APPLICATION_SELECT)
@Path(CscApi.BASE)
@Produces(MediaType.APPLICATION_JSON)
@Consumes({ MediaType.APPLICATION_JSON, MediaType.WILDCARD })
@PermitAll
@BodyLimit(value = CscApi.MAX_BODY, hint = "a CSC request needs far less")
@Tag(name = "CSC", description = "Cloud Signature Consortium API v2 (" + CscApi.SPECS + ") subset: remote signing"
        + " with a cloud seal from the holder's own software. Served at " + CscApi.BASE + "/… on this host (not under"
        + " /api/v1). POST with a JSON body; errors {error, error_description} as the CSC specification lists them."
        + " SCAL2: credentials/authorize binds the SAD to the hashes, their algorithm and numSignatures; signHash"
        + " signs only those hashes, each once, before the SAD expires.")
@SecuritySchemes({
    @SecurityScheme(name = CscResource.BASIC, type = SecuritySchemeType.HTTP, scheme = "basic",
            description = "The holder's customer-space e-mail and password (auth/login only)"),
    @SecurityScheme(name = CscResource.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
            description = "The access_token of auth/login") })
public class CscResource {

    static final String BASIC = "cscBasic";
    static final String BEARER = "cscToken";
    private static final String ROOT = "/";
    private static final String SERVED = "Served at the host's root: " + CscApi.BASE + "/";

    private final CscApi api;

    @Activate
    public CscResource(@Reference CscComponent component) {
        this(component.api());
    }

    CscResource(CscApi api) {
        this.api = api;
    }

    // ------------------------------------------------------------------ documentation of the bodies

    @Schema(name = "CscError", description = "An error as the CSC specification lists them")
    public record Error(@Schema(example = "invalid_request") String error,
            @Schema(example = "Hash is not authorized by the SAD: hash 2 is not one of the hashes authorised with"
                    + " credentials/authorize.") String error_description) {
    }

    @Schema(name = "CscInfo")
    public record Info(@Schema(example = CscApi.SPECS) String specs, String name, String logo,
            @Schema(example = "FR") String region, @Schema(example = "en") String lang, String description,
            @ArraySchema(schema = @Schema(example = "basic")) List<String> authType, List<String> methods,
            @Schema(description = "{algos: [OID]}: the signature algorithms offered") Object signAlgorithms) {
    }

    @Schema(name = "CscLoginRequest")
    public record LoginRequest(@Schema(description = "Ignored: no refresh token is issued") Boolean rememberMe) {
    }

    @Schema(name = "CscLogin")
    public record Login(String access_token, @Schema(description = "Seconds") long expires_in) {
    }

    @Schema(name = "CscRevokeRequest")
    public record RevokeRequest(@Schema(description = "The token to revoke; the request's own when absent")
    String token, @Schema(allowableValues = { "access_token", "refresh_token" }) String token_type_hint) {
    }

    @Schema(name = "CscListRequest")
    public record ListRequest(Boolean credentialInfo,
            @Schema(allowableValues = { "none", "single", "chain" }, defaultValue = "single") String certificates,
            Boolean certInfo, Boolean authInfo, Boolean onlyValid) {
    }

    @Schema(name = "CscList")
    public record ListResponse(@Schema(description = "The ids of the caller's cloud seals (their orders' ids)")
    List<String> credentialIDs, List<CredentialInfo> credentialInfos, Boolean onlyValid) {
    }

    @Schema(name = "CscInfoRequest")
    public record InfoRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String credentialID,
            @Schema(allowableValues = { "none", "single", "chain" }, defaultValue = "single") String certificates,
            Boolean certInfo, Boolean authInfo) {
    }

    @Schema(name = "CscCredentialInfo")
    public record CredentialInfo(String credentialID, String description,
            @Schema(description = "{status: enabled|disabled, algo: [OID], len: bits}") Object key,
            @Schema(description = "{status: valid|expired|revoked, certificates: [Base64 DER], issuerDN,"
                    + " serialNumber (hex), subjectDN, validFrom, validTo (YYYYMMDDHHMMSSZ)}") Object cert,
            @Schema(description = "{mode: explicit, expression, objects: [{type, id: PIN|OTP, format, …}]}")
            Object auth, @Schema(example = "2") String SCAL, int multisign, String lang) {
    }

    @Schema(name = "CscAuthData")
    public record AuthData(@Schema(allowableValues = { "PIN", "OTP" }) String id,
            @Schema(description = "PIN: the customer-space password; OTP: the authenticator app's code") String value) {
    }

    @Schema(name = "CscAuthorizeRequest")
    public record AuthorizeRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String credentialID,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) int numSignatures,
            @ArraySchema(schema = @Schema(description = "Base64 hash", format = "byte"))
            List<String> hashes, @Schema(example = CscAlgorithms.SHA256) String hashAlgorithmOID,
            List<AuthData> authData) {
    }

    @Schema(name = "CscAuthorization")
    public record Authorization(@Schema(description = "Signature activation data, bound to the hashes") String SAD,
            @Schema(description = "Seconds") long expiresIn) {
    }

    @Schema(name = "CscSignHashRequest")
    public record SignHashRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String credentialID,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String SAD,
            @ArraySchema(schema = @Schema(format = "byte")) List<String> hashes,
            @Schema(example = CscAlgorithms.SHA256) String hashAlgorithmOID,
            @Schema(example = CscAlgorithms.ECDSA_SHA256) String signAlgo, String signAlgoParams,
            @Schema(allowableValues = "S") String operationMode) {
    }

    @Schema(name = "CscSignatures")
    public record Signatures(@ArraySchema(schema = @Schema(format = "byte", description = "Base64: PKCS#1 v1.5 for"
            + " RSA, DER ECDSA-Sig-Value for EC")) List<String> signatures) {
    }

    // ------------------------------------------------------------------ operations

    @POST
    @Path("info")
    @Operation(summary = "CSC info: the service and what it offers", description = SERVED + "info. No"
            + " authentication.", servers = @Server(url = ROOT), requestBody = @RequestBody(required = false,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = "object"))))
    @ApiResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Info.class)))
    public Response info(byte[] body, @HeaderParam("Authorization") String authorization,
            @Context HttpServletRequest request) {
        return call("info", body, authorization, request);
    }

    @POST
    @Path("auth/login")
    @Operation(summary = "CSC auth/login: an access token for the holder", description = SERVED + "auth/login."
            + " HTTP Basic with the customer-space e-mail and password; throttled and audited.",
            servers = @Server(url = ROOT), security = @SecurityRequirement(name = BASIC),
            requestBody = @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(
                    implementation = LoginRequest.class))))
    @ApiResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Login.class)))
    @ApiResponse(responseCode = "401", description = "unauthorized_client: wrong e-mail or password",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Error.class)))
    @ApiResponse(responseCode = "429", description = "too_many_requests: too many failures",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Error.class)))
    public Response login(byte[] body, @HeaderParam("Authorization") String authorization,
            @Context HttpServletRequest request) {
        return call("auth/login", body, authorization, request);
    }

    @POST
    @Path("auth/revoke")
    @Operation(summary = "CSC auth/revoke: revokes an access token", description = SERVED + "auth/revoke.",
            servers = @Server(url = ROOT), security = @SecurityRequirement(name = BEARER),
            requestBody = @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RevokeRequest.class))))
    @ApiResponse(responseCode = "204", description = "Revoked")
    @ApiResponse(responseCode = "401", description = "invalid_token",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Error.class)))
    public Response revoke(byte[] body, @HeaderParam("Authorization") String authorization,
            @Context HttpServletRequest request) {
        return call("auth/revoke", body, authorization, request);
    }

    @POST
    @Path("credentials/list")
    @Operation(summary = "CSC credentials/list: the holder's cloud seals", description = SERVED
            + "credentials/list. The credential IDs are the cloud orders' ids, newest first.",
            servers = @Server(url = ROOT), security = @SecurityRequirement(name = BEARER),
            requestBody = @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(
                    implementation = ListRequest.class))))
    @ApiResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ListResponse.class)))
    @ApiResponse(responseCode = "401", description = "invalid_token",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Error.class)))
    public Response list(byte[] body, @HeaderParam("Authorization") String authorization,
            @Context HttpServletRequest request) {
        return call("credentials/list", body, authorization, request);
    }

    @POST
    @Path("credentials/info")
    @Operation(summary = "CSC credentials/info: a seal's key, certificate and authorisation", description = SERVED
            + "credentials/info.", servers = @Server(url = ROOT), security = @SecurityRequirement(name = BEARER),
            requestBody = @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InfoRequest.class))))
    @ApiResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CredentialInfo.class)))
    @ApiResponse(responseCode = "400", description = "invalid_request: Invalid parameter credentialID (not one of"
            + " the caller's)", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Error.class)))
    @ApiResponse(responseCode = "401", description = "invalid_token",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Error.class)))
    public Response credentialInfo(byte[] body, @HeaderParam("Authorization") String authorization,
            @Context HttpServletRequest request) {
        return call("credentials/info", body, authorization, request);
    }

    @POST
    @Path("credentials/authorize")
    @Operation(summary = "CSC credentials/authorize: a SAD bound to the hashes (SCAL2)", description = SERVED
            + "credentials/authorize. authData: PIN = the customer-space password, OTP = the authenticator app's"
            + " code when one is enrolled (a holder whose only second factor is a security key must enrol an"
            + " authenticator app to sign through the API). hashes and hashAlgorithmOID are required; numSignatures"
            + " equals the number of hashes.", servers = @Server(url = ROOT),
            security = @SecurityRequirement(name = BEARER), requestBody = @RequestBody(content = @Content(
                    schema = @Schema(implementation = AuthorizeRequest.class))))
    @ApiResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Authorization.class)))
    @ApiResponse(responseCode = "400", description = "invalid_request: The PIN is invalid, The OTP is invalid, PIN"
            + " locked, Invalid digest value length, Numbers of signatures is too high, …",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Error.class)))
    @ApiResponse(responseCode = "401", description = "invalid_token",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Error.class)))
    public Response authorize(byte[] body, @HeaderParam("Authorization") String authorization,
            @Context HttpServletRequest request) {
        return call("credentials/authorize", body, authorization, request);
    }

    @POST
    @Path("signatures/signHash")
    @Operation(summary = "CSC signatures/signHash: signs authorised hashes", description = SERVED
            + "signatures/signHash. Each hash must be one the SAD authorised and not signed with it yet; the"
            + " hash algorithm the authorised one; signAlgo one the key makes with that hash.",
            servers = @Server(url = ROOT), security = @SecurityRequirement(name = BEARER),
            requestBody = @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SignHashRequest.class))))
    @ApiResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Signatures.class)))
    @ApiResponse(responseCode = "400", description = "invalid_request: Invalid parameter SAD, SAD expired, Hash is"
            + " not authorized by the SAD, Invalid parameter signAlgo, …",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Error.class)))
    @ApiResponse(responseCode = "401", description = "invalid_token",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Error.class)))
    @ApiResponse(responseCode = "503", description = "temporarily_unavailable: the cloud key token cannot sign now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Error.class)))
    public Response signHash(byte[] body, @HeaderParam("Authorization") String authorization,
            @Context HttpServletRequest request) {
        return call("signatures/signHash", body, authorization, request);
    }

    private Response call(String method, byte[] body, String authorization, HttpServletRequest request) {
        CscApi.Answer a = api.handle(new CscApi.Call("POST", method, authorization, body,
                request == null ? "" : request.getRemoteAddr()));
        Response.ResponseBuilder b = Response.status(a.status()).header("Cache-Control", "no-store");
        a.headers().forEach(b::header);
        if (a.status() != 204) {
            b.entity(a.body()).type(MediaType.APPLICATION_JSON_TYPE);
        }
        return b.build();
    }
}
