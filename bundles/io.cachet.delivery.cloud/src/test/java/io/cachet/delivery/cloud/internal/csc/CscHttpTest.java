package io.cachet.delivery.cloud.internal.csc;

import static io.cachet.delivery.cloud.internal.csc.CscFixture.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import eu.europa.esig.dss.diagnostic.DiagnosticData;
import eu.europa.esig.dss.diagnostic.SignatureWrapper;
import eu.europa.esig.dss.enumerations.DigestAlgorithm;
import eu.europa.esig.dss.enumerations.Indication;
import eu.europa.esig.dss.enumerations.MimeTypeEnum;
import eu.europa.esig.dss.enumerations.SignatureLevel;
import eu.europa.esig.dss.model.DSSDocument;
import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.model.SignatureValue;
import eu.europa.esig.dss.model.ToBeSigned;
import eu.europa.esig.dss.model.x509.CertificateToken;
import eu.europa.esig.dss.pades.PAdESSignatureParameters;
import eu.europa.esig.dss.pades.signature.PAdESService;
import eu.europa.esig.dss.spi.DSSUtils;
import eu.europa.esig.dss.spi.validation.CommonCertificateVerifier;
import eu.europa.esig.dss.spi.x509.CommonTrustedCertificateSource;
import eu.europa.esig.dss.spi.x509.revocation.crl.ExternalResourcesCRLSource;
import eu.europa.esig.dss.validation.SignedDocumentValidator;
import eu.europa.esig.dss.validation.reports.Reports;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.delivery.cloud.internal.csc.CscFixture.Account;
import io.cachet.store.testing.TestDatabases;

/**
 * The CSC API over real HTTP (the servlet behind the JDK's server), driven by a client written from the specification:
 * a PAdES signature made with DSS's external-signature path through signHash validates; the errors arrive as the
 * specification lists them.
 */
class CscHttpTest {

    @TempDir
    Path dir;

    private static byte[] pdf() throws Exception {
        try (PDDocument d = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            d.addPage(new PDPage());
            d.save(out);
            return out.toByteArray();
        }
    }

    private static X509Certificate certificate(String base64) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
    }

    static Stream<Arguments> keys() {
        return TestDatabases.products().flatMap(p -> Stream.of(Arguments.of(p, KeyAlgorithm.EC_P256),
                Arguments.of(p, KeyAlgorithm.RSA_2048)));
    }

    @ParameterizedTest
    @MethodSource("keys")
    void aPadesSignatureMadeThroughSignHashValidates(String product, KeyAlgorithm algorithm) throws Exception {
        boolean rsa = algorithm.family().equals("RSA");
        try (CscFixture f = new CscFixture(product, dir);
                ServletBridge server = new ServletBridge(CscApi.BASE, new CscServlet(f.api))) {
            Account anna = f.holders.add("anna@example.org");
            anna.factors.add("totp");
            anna.totp = "287082";
            String order = f.cloudOrder(anna, algorithm);
            CscClient client = new CscClient(server.base());

            JsonNode info = client.info();
            assertEquals("2.0.0.2", info.get("specs").asText());
            assertTrue(info.get("methods").toString().contains("signatures/signHash"));
            client.login("anna@example.org", PASSWORD);
            List<String> credentials = client.list();
            assertEquals(List.of(order), credentials);
            JsonNode credential = client.credentialInfo(order);
            assertEquals("enabled", credential.at("/key/status").asText());
            assertEquals("valid", credential.at("/cert/status").asText());
            assertEquals("2", credential.get("SCAL").asText());
            assertEquals("PIN AND OTP", credential.at("/auth/expression").asText());
            assertTrue(credential.at("/cert/validTo").asText().matches("\\d{14}Z"));
            List<X509Certificate> chain = new ArrayList<>();
            for (JsonNode c : credential.at("/cert/certificates")) {
                chain.add(certificate(c.asText()));
            }
            assertEquals(3, chain.size(), "the seal, its issuing CA and the root");
            assertEquals(chain.get(0).getSerialNumber().toString(16).toUpperCase(),
                    credential.at("/cert/serialNumber").asText());

            PAdESService pades = new PAdESService(new CommonCertificateVerifier());
            PAdESSignatureParameters parameters = new PAdESSignatureParameters();
            parameters.setSignatureLevel(SignatureLevel.PAdES_BASELINE_B);
            parameters.setDigestAlgorithm(DigestAlgorithm.SHA256);
            parameters.setSigningCertificate(new CertificateToken(chain.get(0)));
            parameters.setCertificateChain(chain.stream().map(CertificateToken::new).toList());
            DSSDocument document = new InMemoryDocument(pdf(), "contract.pdf", MimeTypeEnum.PDF);
            ToBeSigned toBeSigned = pades.getDataToSign(document, parameters);
            byte[] digest = DSSUtils.digest(DigestAlgorithm.SHA256, toBeSigned.getBytes());

            String sad = client.authorize(order, List.of(digest), CscAlgorithms.SHA256, PASSWORD, "287082");
            List<byte[]> signatures = client.signHash(order, sad, List.of(digest), CscAlgorithms.SHA256,
                    rsa ? CscAlgorithms.SHA256_RSA : CscAlgorithms.ECDSA_SHA256);
            assertEquals(1, signatures.size());
            DSSDocument signed = pades.signDocument(document, parameters, new SignatureValue(rsa
                    ? eu.europa.esig.dss.enumerations.SignatureAlgorithm.RSA_SHA256
                    : eu.europa.esig.dss.enumerations.SignatureAlgorithm.ECDSA_SHA256, signatures.get(0)));

            SignedDocumentValidator validator = SignedDocumentValidator.fromDocument(signed);
            CommonCertificateVerifier verifier = new CommonCertificateVerifier();
            CommonTrustedCertificateSource trusted = new CommonTrustedCertificateSource();
            trusted.addCertificate(new CertificateToken(chain.get(1)));
            verifier.setTrustedCertSources(trusted);
            verifier.setCrlSource(new ExternalResourcesCRLSource(new InMemoryDocument(f.ca.crl().getEncoded())));
            verifier.setAIASource(null);
            verifier.setOcspSource(null);
            validator.setCertificateVerifier(verifier);
            Reports reports = validator.validateDocument();
            DiagnosticData diagnostic = reports.getDiagnosticData();
            assertEquals(1, diagnostic.getSignatures().size());
            SignatureWrapper signature = diagnostic.getSignatures().get(0);
            assertTrue(signature.isSignatureIntact(), "the signed bytes are intact");
            assertTrue(signature.isSignatureValid(), "the signature value verifies");
            assertEquals(chain.get(0).getSerialNumber().toString(),
                    diagnostic.getCertificateById(signature.getSigningCertificate().getId()).getSerialNumber()
                            .toString());
            String id = reports.getSimpleReport().getFirstSignatureId();
            assertEquals(Indication.TOTAL_PASSED, reports.getSimpleReport().getIndication(id),
                    () -> "DSS: " + reports.getSimpleReport().getSubIndication(id) + " "
                            + reports.getSimpleReport().getAdESValidationErrors(id));

            Path file = dir.resolve("signed.pdf");
            try (var in = signed.openStream()) {
                Files.write(file, in.readAllBytes());
            }
            Process pdfsig = new ProcessBuilder("pdfsig", file.toString()).redirectErrorStream(true).start();
            String out = new String(pdfsig.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(pdfsig.waitFor(60, TimeUnit.SECONDS));
            assertTrue(out.contains("Signature Validation: Signature is Valid."), out);

            assertEquals(List.of("csc.login", "csc.authorized", "csc.signed"), f.audit.actions());

            CscClient.Failure again = assertThrows(CscClient.Failure.class, () -> client.signHash(order, sad,
                    List.of(digest), CscAlgorithms.SHA256, rsa ? CscAlgorithms.RSA : CscAlgorithms.EC));
            assertEquals(400, again.status);
            assertEquals("invalid_request", again.error);
            assertTrue(again.description.startsWith("Invalid parameter SAD"), again.description);
        }
    }

    static Stream<String> products() {
        return TestDatabases.products();
    }

    @ParameterizedTest
    @MethodSource("products")
    void errorsAsTheSpecificationListsThem(String product) throws Exception {
        try (CscFixture f = new CscFixture(product, dir);
                ServletBridge server = new ServletBridge(CscApi.BASE, new CscServlet(f.api))) {
            Account anna = f.holders.add("anna@example.org");
            Account bob = f.holders.add("bob@example.org");
            String order = f.cloudOrder(anna, KeyAlgorithm.EC_P256);
            String bobs = f.cloudOrder(bob, KeyAlgorithm.EC_P256);
            CscClient client = new CscClient(server.base());

            CscClient.Failure noToken = assertThrows(CscClient.Failure.class, client::list);
            assertEquals(401, noToken.status);
            assertEquals("invalid_token", noToken.error);
            assertTrue(noToken.challenge.startsWith("Bearer"), noToken.challenge);

            CscClient.Failure wrong = assertThrows(CscClient.Failure.class, () -> client.login("anna@example.org",
                    "not it"));
            assertEquals(401, wrong.status);
            assertEquals("unauthorized_client", wrong.error);
            assertTrue(wrong.challenge.startsWith("Basic"), wrong.challenge);

            client.login("anna@example.org", PASSWORD);
            CscClient.Answer infos = client.send("POST", "credentials/list", "Bearer " + client.accessToken(),
                    "{\"credentialInfo\": true, \"certificates\": \"none\", \"certInfo\": true}"
                            .getBytes(StandardCharsets.UTF_8));
            assertEquals(200, infos.status());
            assertEquals(order, infos.body().at("/credentialInfos/0/credentialID").asText());
            assertTrue(infos.body().at("/credentialInfos/0/cert/certificates").isMissingNode());
            assertTrue(infos.body().at("/credentialInfos/0/cert/subjectDN").asText().contains("ACME"));
            assertEquals(1, infos.body().get("credentialIDs").size(), "Bob's seal is not listed");
            CscClient.Failure others = assertThrows(CscClient.Failure.class, () -> client.credentialInfo(bobs));
            assertEquals(400, others.status);
            assertTrue(others.description.startsWith("Invalid parameter credentialID"));

            byte[] one = DSSUtils.digest(DigestAlgorithm.SHA256, "one".getBytes(StandardCharsets.UTF_8));
            byte[] two = DSSUtils.digest(DigestAlgorithm.SHA256, "two".getBytes(StandardCharsets.UTF_8));
            CscClient.Failure badPin = assertThrows(CscClient.Failure.class, () -> client.authorize(order,
                    List.of(one), CscAlgorithms.SHA256, "guess", null));
            assertEquals("The PIN is invalid", badPin.description.substring(0, 18));
            String sad = client.authorize(order, List.of(one), CscAlgorithms.SHA256, PASSWORD, null);
            CscClient.Failure notBound = assertThrows(CscClient.Failure.class, () -> client.signHash(order, sad,
                    List.of(two), CscAlgorithms.SHA256, CscAlgorithms.ECDSA_SHA256));
            assertEquals(400, notBound.status);
            assertTrue(notBound.description.startsWith("Hash is not authorized by the SAD"));
            f.clock.advance(Duration.ofMinutes(5));
            CscClient.Failure expired = assertThrows(CscClient.Failure.class, () -> client.signHash(order, sad,
                    List.of(one), CscAlgorithms.SHA256, CscAlgorithms.ECDSA_SHA256));
            assertTrue(expired.description.startsWith("SAD expired"));

            CscClient.Answer malformed = client.send("POST", "credentials/info", "Bearer " + client.accessToken(),
                    "{\"credentialID\": ".getBytes(StandardCharsets.UTF_8));
            assertEquals(400, malformed.status());
            assertTrue(malformed.body().get("error_description").asText().startsWith("The request body is not"
                    + " valid JSON"));
            CscClient.Answer wrongType = client.send("POST", "credentials/authorize", "Bearer "
                    + client.accessToken(), "{\"credentialID\": 7}".getBytes(StandardCharsets.UTF_8));
            assertEquals("Missing (or invalid type) string parameter credentialID.",
                    wrongType.body().get("error_description").asText());
            CscClient.Answer get = client.send("GET", "signatures/signHash", null, null);
            assertEquals(405, get.status());
            assertEquals("POST", get.response().headers().firstValue("Allow").orElseThrow());
            CscClient.Answer unknown = client.send("POST", "signatures/signDoc", null, null);
            assertEquals(404, unknown.status());
            assertEquals("invalid_request", unknown.body().get("error").asText());
            CscClient.Answer large = client.send("POST", "credentials/list", "Bearer " + client.accessToken(),
                    new byte[CscApi.MAX_BODY + 1]);
            assertEquals(413, large.status());
            assertFalse(large.response().body().contains("Exception"));

            client.revoke();
            assertEquals(401, assertThrows(CscClient.Failure.class, client::list).status);
            assertNotNull(f.audit.details("csc.revoked").get(0));
        }
    }
}
