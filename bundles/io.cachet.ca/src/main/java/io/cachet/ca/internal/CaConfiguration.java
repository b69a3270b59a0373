package io.cachet.ca.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "Cachet CA", description = "The qualified seal CA: its token, its names (used once, at the"
        + " key ceremony), the public URLs written into certificates, and the CRL schedule. Changing the token or"
        + " the names of an existing CA does not re-key it: the CA found on the token is reopened.")
public @interface CaConfiguration {

    @AttributeDefinition(name = "Token driver", description = "LDAP filter selecting the token driver holding the CA"
            + " keys, e.g. (token.driver=soft) or (token.driver=softhsm)")
    String tokenDriver_target() default "(token.driver=soft)";

    @AttributeDefinition(name = "Token label", description = "Label of the CA token on that driver")
    String tokenLabel() default "Cachet CA";

    @AttributeDefinition(name = "PIN file", required = false, description = "File whose first line is the CA token's"
            + " user PIN; empty = secrets/ca-token.pin in the data directory. Written at the key ceremony when"
            + " Cachet initialises the token itself.")
    String pinFile() default "";

    @AttributeDefinition(name = "Key ceremony at first start", description = "When the token holds no CA, make one"
            + " (initialising a blank token if there is no token with the label). Off: refuse to start without a CA.")
    boolean keyCeremony() default true;

    @AttributeDefinition(name = "Adopt an existing CA: root certificate", required = false, description = "PEM file of"
            + " the root that signed an existing issuing CA whose key pair and certificate are on the token under"
            + " 'ca-issuing'. When set, no root and issuing CA are made; only the OCSP and TSA keys are.")
    String adoptRootCertificate() default "";

    @AttributeDefinition(name = "Key algorithm", description = "Algorithm of the CA keys made at the ceremony",
            options = { @Option(label = "EC P-256", value = "EC_P256"), @Option(label = "EC P-384", value = "EC_P384"),
                    @Option(label = "RSA 3072", value = "RSA_3072"), @Option(label = "RSA 4096", value = "RSA_4096") })
    String keyAlgorithm() default "EC_P256";

    @AttributeDefinition(name = "Organisation", description = "organizationName of the CA certificates")
    String organization() default "Cachet Demo Trust Services";

    @AttributeDefinition(name = "Organisation identifier", description = "organizationIdentifier of the CA"
            + " (ETSI EN 319 412-1), e.g. NTRFR-<SIREN>")
    String organizationIdentifier() default "NTRFR-000000000";

    @AttributeDefinition(name = "Country", description = "Two-letter country code of the CA")
    String country() default "FR";

    @AttributeDefinition(name = "Root CA name")
    String rootCommonName() default "Cachet Root CA";

    @AttributeDefinition(name = "Issuing CA name")
    String issuingCommonName() default "Cachet Qualified Seal CA";

    @AttributeDefinition(name = "Root validity (years)", min = "1", max = "50")
    int rootYears() default 20;

    @AttributeDefinition(name = "Issuing CA validity (years)", min = "1", max = "50")
    int issuingYears() default 10;

    @AttributeDefinition(name = "OCSP and TSA certificates validity (years)", min = "1", max = "50")
    int serviceYears() default 5;

    @AttributeDefinition(name = "Public base URL", required = false, description = "Where relying parties reach this"
            + " server over plain http, written into certificates (CRL at /pki/crl, OCSP at /ocsp, CA at"
            + " /pki/issuing-ca.cer): http:// only (EN 319 412-2 wants the CRL over http). Empty ="
            + " http://localhost:<http port>, which nobody else can reach: a warning is logged at every start")
    String publicBaseUrl() default "";

    @AttributeDefinition(name = "PDS URL", required = false, description = "PKI disclosure statement (QcPDS), https://"
            + " only (EN 319 412-5); Cachet does not serve it. Empty = https://<host of the public base URL>/pki/pds")
    String pdsUrl() default "";

    @AttributeDefinition(name = "PDS language", description = "ISO 639-1 code of the PDS")
    String pdsLanguage() default "en";

    @AttributeDefinition(name = "Provider policy OID", description = "The provider's own certificate policy, added"
            + " next to the ETSI one (the default is under IANA's documentation arc 32473: replace it)")
    String providerPolicyOid() default "1.3.6.1.4.1.32473.1.1";

    @AttributeDefinition(name = "TSA policy OID", description = "Policy written into every time-stamp token")
    String tsaPolicyOid() default "1.3.6.1.4.1.32473.1.2";

    @AttributeDefinition(name = "CRL validity (hours)", min = "1", description = "nextUpdate - thisUpdate")
    int crlValidityHours() default 24;

    @AttributeDefinition(name = "OCSP validity (minutes)", min = "1", description = "nextUpdate - thisUpdate of OCSP"
            + " answers; at most the CRL validity")
    int ocspValidityMinutes() default 60;

    @AttributeDefinition(name = "Key usage of qscd seals", description = "nonRepudiation (EN 319 412-2 type A, the"
            + " preferred one for seals), digitalSignature, or both separated by a comma")
    String qscdKeyUsage() default "nonRepudiation";

    @AttributeDefinition(name = "Key usage of cloud seals", description = "as for qscd seals; add digitalSignature"
            + " only if these seals also authenticate (e.g. PSD2 QSealC), not just seal documents")
    String cloudKeyUsage() default "nonRepudiation";

    @AttributeDefinition(name = "CRL refresh (minutes)", min = "1", description = "A new CRL is made this often, and"
            + " on every revocation")
    int crlRefreshMinutes() default 60;

    @AttributeDefinition(name = "Root token label", description = "Label of the token that holds only the root key,"
            + " on the same driver as the CA token. The key ceremony initialises it on a second blank token; the"
            + " server never keeps it logged in nor keeps its PIN.")
    String rootTokenLabel() default "Cachet Root CA";

    @AttributeDefinition(name = "Root PIN file", required = false, description = "Where the key ceremony writes the"
            + " root token's PINs once, in clear and owner-only (<file> and <file>.so), for the operator to take"
            + " offline and delete; empty = secrets/root-token.pin in the data directory. Point it at a removable"
            + " medium to keep them off the server's disks.")
    String rootPinFile() default "";

    @AttributeDefinition(name = "ARL validity (days)", min = "1", description = "nextUpdate - thisUpdate of the"
            + " root's authority revocation list (the CRL of its sub-CAs), renewed at an operator ceremony")
    int arlValidityDays() default 365;

    @AttributeDefinition(name = "ARL warning (days)", min = "1", description = "/health says WARNING this long"
            + " before the ARL expires (and turns unhealthy once it has)")
    int arlWarningDays() default 30;

    @AttributeDefinition(name = "Platform seal name", description = "Common name of the platform's own seal"
            + " certificate (key ca-seal on the CA token, made when missing, certified by the issuing CA, organisation"
            + " as the CA's), with which Cachet seals the acceptance forms and evidence files it produces")
    String platformSealCommonName() default "Cachet Platform Seal";

    @AttributeDefinition(name = "Platform seal renewal (days)", description = "How many days before its end the"
            + " platform seal's certificate is renewed for the same key (checked at start and with each scheduled"
            + " CRL)")
    int platformSealRenewalDays() default 90;
}
