package io.cachet.ca.launch;

import java.time.Duration;

/**
 * What a CA writes into the certificates it issues.
 *
 * @param publicBaseUrl where relying parties reach the CA over plain http (CRL at {@code {base}/pki/crl}, OCSP at
 *        {@code {base}/ocsp}, issuer certificate at {@code {base}/pki/issuing-ca.cer})
 * @param pdsUrl the PKI disclosure statement (https)
 * @param pdsLanguage two-letter language of the PDS
 * @param policyOid the provider's certificate policy
 * @param crlValidity how long a CRL is valid (OCSP answers: as {@link LocalCa#ocspKey} is told)
 */
public record Publication(String publicBaseUrl, String pdsUrl, String pdsLanguage, String policyOid,
        Duration crlValidity) {
}
