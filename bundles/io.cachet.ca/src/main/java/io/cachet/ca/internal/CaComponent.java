package io.cachet.ca.internal;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.ca.CertificateAuthority;
import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.RevocationReason;
import io.cachet.api.ca.SealCertificateRequest;
import io.cachet.api.store.Database;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenDriver;

/**
 * Registers the {@link CertificateAuthority}: opens the CA token, runs the key ceremony on the first start (or
 * adopts an existing CA), then serves issuance, revocation, CRL, OCSP and time-stamps through
 * {@link TrustServices}, and refreshes the CRL on a schedule.
 */
@Component(name = CaComponent.PID, service = CertificateAuthority.class, immediate = true,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = CaConfiguration.class)
public class CaComponent implements CertificateAuthority {

    static final String PID = "io.cachet.ca";
    private static final Logger LOG = LoggerFactory.getLogger(CaComponent.class);

    private final Token token;
    private final TrustServices services;
    private final ScheduledExecutorService crlSchedule;

    @Activate
    public CaComponent(BundleContext context, @Reference(name = "tokenDriver") TokenDriver driver,
            @Reference Database database, @Reference AuditLog audit, CaConfiguration config) {
        this(driver, database, audit, config, dataDirectory(context.getProperty("cachet.data")),
                context.getProperty("org.osgi.service.http.port"), Clock.systemUTC());
    }

    CaComponent(TokenDriver driver, Database database, AuditLog audit, CaConfiguration config, Path data,
            String httpPort, Clock clock) {
        CaSettings settings = caSettings(config);
        IssuerSettings issuerSettings = issuerSettings(config, httpPort);
        warnAboutDefaults(config, issuerSettings);
        if (config.crlRefreshMinutes() < 1) {
            throw new CaException("crlRefreshMinutes of configuration PID " + PID + " must be 1 or more");
        }
        Path pinFile = path(config.pinFile(), data.resolve("secrets").resolve("ca-token.pin"), "pinFile");
        X509Certificate adoptedRoot = config.adoptRootCertificate().isBlank() ? null
                : readCertificate(path(config.adoptRootCertificate(), null, "adoptRootCertificate"));

        this.token = CaTokenCustody.open(driver, config.tokenLabel(), pinFile, config.keyCeremony());
        try {
            CaHierarchy hierarchy = hierarchy(token, settings, issuerSettings, adoptedRoot, config.keyCeremony(),
                    database, audit);
            this.services = new TrustServices(hierarchy, issuerSettings, config.tsaPolicyOid(), database, audit, clock);
            services.refreshCrl();
            publishChain(hierarchy, data.resolve("keys").resolve("ca-chain.pem"));
        } catch (RuntimeException e) {
            token.close();
            throw e;
        }
        crlSchedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cachet-ca-crl");
            t.setDaemon(true);
            return t;
        });
        long every = config.crlRefreshMinutes();
        crlSchedule.scheduleWithFixedDelay(this::scheduledCrl, every, every, TimeUnit.MINUTES);
        LOG.info("CA ready: issuing CA '{}' on token '{}' (driver {}); CRL and OCSP at {}",
                services.hierarchy().issuing().getSubjectX500Principal().getName(), config.tokenLabel(), driver.id(),
                issuerSettings.publicBaseUrl());
    }

    private static CaHierarchy hierarchy(Token token, CaSettings settings, IssuerSettings publication,
            X509Certificate adoptedRoot, boolean ceremony, Database database, AuditLog audit) {
        if (CaHierarchy.present(token, settings) && CaHierarchy.hasCertificate(token, settings.aliasPrefix() + "ocsp")) {
            return CaHierarchy.load(token, settings, adoptedRoot);
        }
        if (adoptedRoot != null) {
            return database.inTransaction(c -> {
                CaHierarchy h = CaHierarchy.adopt(token, settings, adoptedRoot, publication);
                audit.append(AuditEvent.of("system", "ca.adopted", "ca:" + h.issuing().getSerialNumber().toString(16),
                        describe(h)));
                return h;
            });
        }
        String prefix = settings.aliasPrefix();
        if (token.keys().stream().anyMatch(k -> k.alias().startsWith(prefix))) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "the CA token holds keys named " + prefix
                    + "* but no complete CA (an interrupted ceremony?); delete them or restore the token");
        }
        if (!ceremony) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "the CA token holds no CA and the key ceremony is"
                    + " off (keyCeremony of configuration PID " + PID + ")");
        }
        return database.inTransaction(c -> {
            CaHierarchy h = CaHierarchy.create(token, settings, publication);
            audit.append(AuditEvent.of("system", "ca.ceremony.completed",
                    "ca:" + h.issuing().getSerialNumber().toString(16), describe(h)));
            LOG.info("Key ceremony done: root '{}', issuing CA '{}', OCSP signer and TSA keys made on the token",
                    h.root().getSubjectX500Principal().getName(), h.issuing().getSubjectX500Principal().getName());
            return h;
        });
    }

    /**
     * Writes the issuing CA and root as PEM next to the audit anchor key, so that {@code cachet-cli audit verify}
     * checks the RFC 3161 anchors offline.
     */
    private static void publishChain(CaHierarchy h, Path file) {
        String pem = io.cachet.ca.internal.http.Pem.of(h.issuing()) + io.cachet.ca.internal.http.Pem.of(h.root());
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file) || !Files.readString(file).equals(pem)) {
                Files.writeString(file, pem);
            }
        } catch (IOException e) {
            LOG.warn("Cannot write {} (used by the offline audit check): {}", file, e.getMessage());
        }
    }

    private static String describe(CaHierarchy h) {
        StringBuilder b = new StringBuilder();
        for (X509Certificate c : List.of(h.root(), h.issuing(), h.ocsp(), h.tsa())) {
            b.append(c.getSubjectX500Principal().getName()).append(" serial=")
                    .append(c.getSerialNumber().toString(16)).append('\n');
        }
        return b.toString();
    }

    static CaSettings caSettings(CaConfiguration config) {
        KeyAlgorithm algorithm;
        try {
            algorithm = KeyAlgorithm.valueOf(config.keyAlgorithm().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CaException("keyAlgorithm of configuration PID " + PID + " must be EC_P256, EC_P384, RSA_3072"
                    + " or RSA_4096, not " + config.keyAlgorithm());
        }
        return new CaSettings(algorithm, config.organization(), config.organizationIdentifier(), config.country(),
                config.rootCommonName(), config.issuingCommonName(), config.rootYears(), config.issuingYears(),
                config.serviceYears(), "ca-");
    }

    static IssuerSettings issuerSettings(CaConfiguration config, String httpPort) {
        String base = config.publicBaseUrl().isBlank()
                ? "http://localhost:" + (httpPort == null || httpPort.isBlank() ? "8080" : httpPort.trim())
                : config.publicBaseUrl().trim();
        base = base.replaceAll("/+$", "");
        String pds = config.pdsUrl().isBlank() ? defaultPdsUrl(base) : config.pdsUrl().trim();
        if (config.crlValidityHours() < 1) {
            throw new CaException("crlValidityHours of configuration PID " + PID + " must be 1 or more");
        }
        if (config.ocspValidityMinutes() < 1) {
            throw new CaException("ocspValidityMinutes of configuration PID " + PID + " must be 1 or more");
        }
        try {
            return new IssuerSettings(base, pds, config.pdsLanguage(), config.providerPolicyOid(),
                    Duration.ofHours(config.crlValidityHours()), Duration.ofMinutes(config.ocspValidityMinutes()),
                    IssuerSettings.keyUsage(config.qscdKeyUsage(), "qscdKeyUsage"),
                    IssuerSettings.keyUsage(config.cloudKeyUsage(), "cloudKeyUsage"));
        } catch (CaException e) {
            throw new CaException(e.getMessage() + " (configuration PID " + PID + ")", e);
        }
    }

    /**
     * The QcPDS when none is configured: https on the public base URL's host (where a provider's web site or a
     * TLS front end would publish it), path /pki/pds. Cachet does not serve it.
     */
    static String defaultPdsUrl(String base) {
        try {
            String host = java.net.URI.create(base).getHost();
            return host == null ? base + "/pki/pds" : "https://" + host + "/pki/pds";
        } catch (IllegalArgumentException e) {
            // the base URL itself is refused, with its own message, by IssuerSettings
            return base + "/pki/pds";
        }
    }

    /** Says, once per start, which public settings are still the local defaults. */
    private static void warnAboutDefaults(CaConfiguration config, IssuerSettings settings) {
        if (config.publicBaseUrl().isBlank()) {
            LOG.warn("publicBaseUrl of configuration PID {} is not set: certificates, CRLs and OCSP answers point at"
                    + " {}, which no relying party can reach and certificate linters refuse as an internal name."
                    + " Set publicBaseUrl (and pdsUrl) before issuing certificates for use outside this machine.",
                    PID, settings.publicBaseUrl());
        }
        if (config.pdsUrl().isBlank()) {
            LOG.warn("pdsUrl of configuration PID {} is not set: seals name {} as their PKI disclosure statement,"
                    + " which Cachet does not serve. Set pdsUrl to where you publish it (https).", PID,
                    settings.pdsUrl());
        }
    }

    static Path dataDirectory(String property) {
        return Path.of(property == null || property.isBlank() ? "cachet-data" : property.trim());
    }

    private static Path path(String configured, Path fallback, String what) {
        String value = configured == null ? "" : configured.trim();
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new CaException(what + " of configuration PID " + PID + " is not a path: " + value, e);
        }
    }

    static X509Certificate readCertificate(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | CertificateException | ClassCastException e) {
            throw new CaException("the root certificate " + file + " cannot be read (PEM or DER X.509 expected): "
                    + e.getMessage(), e);
        }
    }

    private void scheduledCrl() {
        try {
            services.refreshCrl();
        } catch (RuntimeException e) {
            // caught: an exception would silently end the periodic task
            LOG.error("The scheduled CRL could not be made: {}", e.getMessage());
        }
    }

    @Deactivate
    void deactivate() {
        crlSchedule.shutdown();
        try {
            crlSchedule.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        token.close();
    }

    /** The plain-Java services behind this component. */
    TrustServices services() {
        return services;
    }

    @Override
    public IssuedCertificate issue(SealCertificateRequest request, String actor) {
        return services.issue(request, actor);
    }

    @Override
    public IssuedCertificate revoke(BigInteger serial, RevocationReason reason, String actor) {
        return services.revoke(serial, reason, actor);
    }

    @Override
    public Optional<IssuedCertificate> find(BigInteger serial) {
        return services.find(serial);
    }

    @Override
    public List<X509Certificate> chain() {
        return services.chain();
    }

    @Override
    public X509CRL crl() {
        return services.crl();
    }

    @Override
    public byte[] ocsp(byte[] request) {
        return services.ocsp(request);
    }

    @Override
    public byte[] timestamp(byte[] request) {
        return services.timestamp(request);
    }

    @Override
    public X509Certificate timestampCertificate() {
        return services.timestampCertificate();
    }
}
