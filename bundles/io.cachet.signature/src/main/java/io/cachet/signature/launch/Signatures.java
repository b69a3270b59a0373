package io.cachet.signature.launch;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import eu.europa.esig.dss.token.SignatureTokenConnection;

import io.cachet.api.signature.SignatureException;
import io.cachet.api.signature.Signer;
import io.cachet.api.signature.SigningKey;
import io.cachet.api.signature.TrustedListSource;
import io.cachet.api.signature.TrustedListStatus;
import io.cachet.api.signature.TrustedLists;
import io.cachet.api.signature.ValidationOptions;
import io.cachet.api.signature.Validator;
import io.cachet.signature.internal.Certificates;
import io.cachet.signature.internal.DssSigner;
import io.cachet.signature.internal.DssTrustedLists;
import io.cachet.signature.internal.DssValidator;
import io.cachet.signature.internal.Network;
import io.cachet.signature.internal.TokenConnection;

/**
 * Plain-Java entry points, for the command line, the benchmarks and tests; inside OSGi the same objects are offered
 * as services ({@link Signer}, {@link Validator}) and this class is not needed.
 */
public final class Signatures {

    /** How long one HTTP exchange with a TSA, OCSP responder or CRL/AIA server may take by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    private Signatures() {
    }

    /** A signer fetching time-stamps, OCSP responses, CRLs and issuer certificates over HTTP. */
    public static Signer signer() {
        return signer(DEFAULT_TIMEOUT);
    }

    /** A signer whose HTTP exchanges (TSA, OCSP, CRL, AIA) each give up after {@code timeout}. */
    public static Signer signer(Duration timeout) {
        return new DssSigner(new Network(timeout));
    }

    public static Validator validator() {
        return validator(DEFAULT_TIMEOUT);
    }

    public static Validator validator(Duration timeout) {
        return new DssValidator(new Network(timeout));
    }

    /**
     * Reads and checks trusted lists now, for use in any number of validations
     * ({@link ValidationOptions#withTrustedLists}). A list that cannot be read, is badly signed or has expired is
     * kept out of the trust (its {@link TrustedListStatus} says why); it is not an error.
     *
     * @param timeout per download of a list given by an http(s) URL
     */
    public static TrustedLists trustedLists(List<TrustedListSource> sources, Duration timeout) {
        return DssTrustedLists.load(sources, new Network(timeout));
    }

    /**
     * Certificates from a PEM file (one or more {@code BEGIN CERTIFICATE} blocks, e.g. {@code chain.pem}) or a DER
     * certificate.
     *
     * @throws SignatureException {@code MALFORMED_INPUT} when the file holds no certificate, {@code IO} when it
     *         cannot be read
     */
    public static List<X509Certificate> readCertificates(Path file) {
        return Certificates.read(file);
    }

    /**
     * The key as EU DSS's own token connection, for code that drives DSS itself (the benchmarks compare DSS's
     * sample path with Cachet's). The same bridge Cachet's signer uses: the private key stays on its token, and every
     * signature value is checked against the certificate. Outside OSGi only: the DSS classes are embedded in this
     * bundle and not exported.
     */
    public static SignatureTokenConnection dssConnection(SigningKey key) {
        return new TokenConnection(key);
    }
}
