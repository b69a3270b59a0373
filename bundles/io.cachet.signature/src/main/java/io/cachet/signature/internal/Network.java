package io.cachet.signature.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

import eu.europa.esig.dss.enumerations.DigestAlgorithm;
import eu.europa.esig.dss.model.TimestampBinary;
import eu.europa.esig.dss.service.SecureRandomNonceSource;
import eu.europa.esig.dss.service.crl.OnlineCRLSource;
import eu.europa.esig.dss.service.http.commons.CommonsDataLoader;
import eu.europa.esig.dss.service.http.commons.OCSPDataLoader;
import eu.europa.esig.dss.service.http.commons.TimestampDataLoader;
import eu.europa.esig.dss.service.ocsp.OnlineOCSPSource;
import eu.europa.esig.dss.service.tsp.OnlineTSPSource;
import eu.europa.esig.dss.spi.x509.aia.DefaultAIASource;
import eu.europa.esig.dss.spi.x509.tsp.TSPSource;
import io.cachet.api.signature.SignatureException;
import io.cachet.api.signature.SignatureException.Reason;

/** The HTTP side of signing and validation: TSA, OCSP, CRL and AIA sources with one time limit. */
public final class Network {
    private final int timeoutMillis;

    public Network(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    }

    private <T extends CommonsDataLoader> T limited(T loader) {
        loader.setTimeoutConnection(timeoutMillis);
        loader.setTimeoutConnectionRequest(timeoutMillis);
        loader.setTimeoutResponse(timeoutMillis);
        loader.setTimeoutSocket(timeoutMillis);
        return loader;
    }

    /**
     * Asks with a nonce (RFC 8954): the answer is then made for this request, after the signature's time-stamp, and
     * not one a responder produced earlier and gives again to nonce-less requests (RFC 5019), which would leave an LT
     * signature with revocation data older than its time-stamp. A responder that echoes no nonce is still used (DSS
     * logs it); one that echoes another nonce is refused.
     */
    OnlineOCSPSource ocsp() {
        OnlineOCSPSource source = new OnlineOCSPSource(limited(new OCSPDataLoader()));
        source.setNonceSource(new SecureRandomNonceSource());
        return source;
    }

    OnlineCRLSource crl() {
        return new OnlineCRLSource(limited(new CommonsDataLoader()));
    }

    DefaultAIASource aia() {
        return new DefaultAIASource(limited(new CommonsDataLoader()));
    }

    /** The body of an HTTP GET, e.g. a trusted list. */
    byte[] download(String url) {
        return limited(new CommonsDataLoader()).get(url);
    }

    /** A TSA source whose failures say which TSA failed. */
    TSPSource tsa(URI url) {
        OnlineTSPSource online = new OnlineTSPSource(url.toString(), limited(new TimestampDataLoader()));
        return new NamedTspSource(online, url.toString());
    }

    private static final class NamedTspSource implements TSPSource {
        private static final long serialVersionUID = 1L;
        private final transient OnlineTSPSource delegate;
        private final String url;

        NamedTspSource(OnlineTSPSource delegate, String url) {
            this.delegate = delegate;
            this.url = url;
        }

        @Override
        public TimestampBinary getTimeStampResponse(DigestAlgorithm digestAlgorithm, byte[] digest) {
            try {
                TimestampBinary binary = delegate.getTimeStampResponse(digestAlgorithm, digest);
                if (binary == null) {
                    throw new SignatureException(Reason.TIMESTAMP_UNAVAILABLE,
                            "the time-stamp authority " + url + " gave no time-stamp");
                }
                return binary;
            } catch (SignatureException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new SignatureException(Reason.TIMESTAMP_UNAVAILABLE, "the time-stamp authority " + url
                        + " did not give a time-stamp: " + Failures.rootMessage(e), e);
            }
        }
    }
}
