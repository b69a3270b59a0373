package io.cachet.ca.internal;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.FieldOption;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.ca.CertificateAuthority;
import io.cachet.api.ca.CertificateStatus;
import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.OcspKey;
import io.cachet.api.ca.PlatformSealKey;
import io.cachet.api.ca.RevocationListener;
import io.cachet.api.ca.RevocationReason;
import io.cachet.api.ca.SealCertificateRequest;
import io.cachet.api.ca.TimeStampKey;
import io.cachet.api.health.HealthIndicator;
import io.cachet.api.security.SecretFiles;
import io.cachet.api.security.SecretVault;
import io.cachet.api.store.Database;
import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenCustody;
import io.cachet.api.token.TokenDriver;
import io.cachet.api.token.TokenKey;

/**
 * Registers the {@link CertificateAuthority}: opens the CA token, runs the key ceremony on the first start (or
 * adopts an existing CA), then serves issuance, revocation, CRL and certificate status through
 * {@link TrustServices}, and refreshes the CRL on a schedule. It also registers the time-stamping unit's key
 * ({@link TimeStampKey}, on the CA token, with the {@code tsaPolicyOid} of this configuration) for the TSA of the
 * bundle {@code io.cachet.tsa}: the TSA and the audit anchor signer built on it depend on that key, not on the CA
 * service, and appear only once the CA is ready (so nothing closes a circle through the audit log while the CA
 * activates). Likewise the delegated OCSP signer's key ({@link OcspKey}, on the CA token, answers valid for
 * {@code ocspValidityMinutes}) for the OCSP responder of the bundle {@code io.cachet.ca.status}, which looks the
 * status of certificates up with {@link #status}.
 *
 * <p>The key ceremony puts the root key on a token of its own ({@code rootTokenLabel}), signs the issuing CA and
 * the root's first authority revocation list (ARL) with it, logs out and writes the root token's PINs once for the
 * operator ({@link CaTokenCustody#initialiseRoot}). The server keeps the root certificate and the ARLs in the
 * database; renewing the ARL is a {@link RootCeremony} where the operator gives the root PIN. A CA made before
 * (root key on the CA token) keeps working as it is, and {@code /health} warns that its root is online.
 *
 * <p>It also opens the platform's own seal ({@link PlatformSeal}: key {@code ca-seal} on the CA token, made with
 * its certificate from the issuing CA when missing, common name {@code platformSealCommonName}) and registers it as
 * {@link PlatformSealKey}; a seal that cannot be made leaves the CA working, unregistered and reported by /health.
 *
 * <p>Also the {@code ca} {@link HealthIndicator}: the CA token answers and holds its keys, the CRL and the ARL are
 * current (a WARNING, still healthy, some days before the ARL expires), the platform seal is there and valid (a
 * WARNING {@code arlWarningDays} before it expires).
 *
 * <p>The services ({@link CertificateAuthority}, {@link HealthIndicator}, {@link RootCeremony}, {@link TimeStampKey},
 * {@link OcspKey}, {@link PlatformSealKey}) are registered
 * by the component itself once the CA is ready, not by SCR before activation: a key ceremony takes longer than SCR
 * lets a consumer wait for a component that is still activating (its state lock), and the servlets that need the CA
 * would fail for good instead of waiting.
 */
@Component(name = CaComponent.PID, service = {}, immediate = true, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = CaConfiguration.class)
public class CaComponent implements CertificateAuthority, HealthIndicator, RootCeremony {

    static final String PID = "io.cachet.ca";
    /** The key ceremony's mark in {@code DATA/secrets} while it is not recorded ({@link #beginCeremony}). */
    static final String CEREMONY_MARKER = "key-ceremony.unfinished";
    private static final Logger LOG = LoggerFactory.getLogger(CaComponent.class);

    private final TokenDriver driver;
    private final AuditLog audit;
    private final Clock clock;
    private final String tokenLabel;
    private final Token token;
    private final TrustServices services;
    private final OfflineRoot offlineRoot;
    private final boolean rootOnline;
    private final Path rootPinFile;
    /** Present from the key ceremony's first step until the database holds its CA ({@link #beginCeremony}). */
    private final Path ceremonyMarker;
    private final Duration arlWarning;
    private final ScheduledExecutorService crlSchedule;
    private ServiceRegistration<?> registration;
    private ServiceRegistration<TimeStampKey> timeStampKey;
    private ServiceRegistration<OcspKey> ocspKey;
    private ServiceRegistration<PlatformSealKey> platformSealKey;
    private final PlatformSeal platformSeal;
    private final String platformSealCommonName;
    /** How long before its end the platform seal's certificate is renewed. */
    private final Duration platformSealRenewal;
    private final String platformSealProblem;

    /** The {@link RevocationListener} services (whiteboard), told of each revocation in its transaction. */
    @Reference(service = RevocationListener.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            fieldOption = FieldOption.UPDATE)
    private final List<RevocationListener> revocationListeners = new CopyOnWriteArrayList<>();

    @Activate
    public CaComponent(BundleContext context, @Reference(name = "tokenDriver") TokenDriver driver,
            @Reference Database database, @Reference AuditLog audit, @Reference SecretVault vault,
            CaConfiguration config) {
        this(driver, database, audit, vault, config, dataDirectory(context.getProperty("cachet.data")),
                context.getProperty("org.osgi.service.http.port"), Clock.systemUTC());
        try {
            registration = context.registerService(new String[] { CertificateAuthority.class.getName(),
                    HealthIndicator.class.getName(), RootCeremony.class.getName() }, this,
                    FrameworkUtil.asDictionary(Map.of("component.name", PID)));
            timeStampKey = context.registerService(TimeStampKey.class, services.timeStampKey(),
                    FrameworkUtil.asDictionary(Map.of("component.name", PID)));
            ocspKey = context.registerService(OcspKey.class, services.ocspKey(),
                    FrameworkUtil.asDictionary(Map.of("component.name", PID)));
            if (platformSeal != null) {
                platformSealKey = context.registerService(PlatformSealKey.class, platformSeal,
                        FrameworkUtil.asDictionary(Map.of("component.name", PID)));
            }
        } catch (RuntimeException e) {
            deactivate();
            throw e;
        }
    }

    CaComponent(TokenDriver driver, Database database, AuditLog audit, SecretVault vault, CaConfiguration config,
            Path data, String httpPort, Clock clock) {
        CaSettings settings = caSettings(config);
        IssuerSettings issuerSettings = issuerSettings(config, httpPort);
        warnAboutDefaults(config, issuerSettings);
        if (config.platformSealRenewalDays() < 1) {
            throw new CaException("platformSealRenewalDays of configuration PID " + PID + " must be 1 or more");
        }
        if (config.crlRefreshMinutes() < 1) {
            throw new CaException("crlRefreshMinutes of configuration PID " + PID + " must be 1 or more");
        }
        if (config.arlValidityDays() < 1 || config.arlWarningDays() < 1
                || config.arlWarningDays() >= config.arlValidityDays()) {
            throw new CaException("arlValidityDays and arlWarningDays of configuration PID " + PID + " must be 1 or"
                    + " more, the warning shorter than the validity");
        }
        String rootLabel = config.rootTokenLabel() == null ? "" : config.rootTokenLabel().trim();
        if (rootLabel.isEmpty() || rootLabel.equals(config.tokenLabel())) {
            throw new CaException("rootTokenLabel of configuration PID " + PID + " must name a token other than the"
                    + " CA token");
        }
        Path pinFile = path(config.pinFile(), data.resolve("secrets").resolve("ca-token.pin"), "pinFile");
        this.rootPinFile = path(config.rootPinFile(), data.resolve("secrets").resolve("root-token.pin"),
                "rootPinFile");
        this.ceremonyMarker = data.resolve("secrets").resolve(CEREMONY_MARKER);
        X509Certificate adoptedRoot = config.adoptRootCertificate().isBlank() ? null
                : readCertificate(path(config.adoptRootCertificate(), null, "adoptRootCertificate"));
        this.driver = driver;
        this.audit = audit;
        this.clock = clock;
        this.tokenLabel = config.tokenLabel();
        this.arlWarning = Duration.ofDays(config.arlWarningDays());
        Duration arlValidity = Duration.ofDays(config.arlValidityDays());

        this.token = CaTokenCustody.open(driver, config.tokenLabel(), pinFile, config.keyCeremony(), vault);
        X509CRL firstCrl;
        try {
            Opened opened = hierarchy(settings, issuerSettings, adoptedRoot, config.keyCeremony(), rootLabel,
                    arlValidity, database);
            this.offlineRoot = opened.offlineRoot();
            this.rootOnline = opened.rootOnline();
            this.services = new TrustServices(opened.hierarchy(), issuerSettings, config.tsaPolicyOid(), database,
                    audit, clock);
            services.tellRevocationsTo(revocationListeners);
            // the CRL the last run kept while it is current, else a new one; the schedule below replaces it when
            // it is refreshPeriod old
            firstCrl = services.openCrl(Duration.ofMinutes(config.crlRefreshMinutes()));
            publishChain(opened.hierarchy(), data.resolve("keys").resolve("ca-chain.pem"));
        } catch (RuntimeException e) {
            token.close();
            throw e;
        }
        PlatformSeal seal = null;
        String sealProblem = null;
        try {
            seal = PlatformSeal.open(services, config.platformSealCommonName(), issuerSettings.publicBaseUrl(), audit);
            LOG.info("Platform seal '{}' (key {} on the CA token) valid until {}",
                    seal.certificate().getSubjectX500Principal().getName(), seal.alias(),
                    seal.certificate().getNotAfter().toInstant());
        } catch (RuntimeException e) {
            // the CA itself works without it; /health says what is wrong and nothing registers the seal service
            sealProblem = e.getMessage();
            LOG.error("The platform seal cannot be made or opened: {}", e.getMessage());
        }
        this.platformSeal = seal;
        this.platformSealProblem = sealProblem;
        this.platformSealCommonName = config.platformSealCommonName();
        this.platformSealRenewal = Duration.ofDays(config.platformSealRenewalDays());
        renewPlatformSeal();
        crlSchedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cachet-ca-crl");
            t.setDaemon(true);
            return t;
        });
        long every = TimeUnit.MINUTES.toSeconds(config.crlRefreshMinutes());
        long age = Math.max(0, Duration.between(firstCrl.getThisUpdate().toInstant(), clock.instant()).toSeconds());
        crlSchedule.scheduleWithFixedDelay(this::scheduledCrl, Math.max(1, every - age), every, TimeUnit.SECONDS);
        LOG.info("CA ready: issuing CA '{}' on token '{}' (driver {}); CRL and OCSP at {}",
                services.hierarchy().issuing().getSubjectX500Principal().getName(), config.tokenLabel(), driver.id(),
                issuerSettings.publicBaseUrl());
        if (rootOnline) {
            LOG.warn("The root key of this CA is on the CA token, online next to the issuing key (a CA made before"
                    + " Cachet kept the root on a token of its own). It keeps working; to take the root offline, make"
                    + " a new CA (see README, The CA).");
        }
        if (Files.exists(rootPinFile) || Files.exists(Path.of(rootPinFile + ".so"))) {
            LOG.warn("The root token's PINs are still in {} and {}.so: copy them offline and delete both files.",
                    rootPinFile, rootPinFile);
        }
    }

    /** The hierarchy found or made on the CA token, with its offline root if it has one. */
    private record Opened(CaHierarchy hierarchy, OfflineRoot offlineRoot, boolean rootOnline) {
    }

    private Opened hierarchy(CaSettings settings, IssuerSettings publication, X509Certificate adoptedRoot,
            boolean ceremony, String rootLabel, Duration arlValidity, Database database) {
        String prefix = settings.aliasPrefix();
        OfflineRoot.migrate(database);
        boolean unfinished = Files.exists(ceremonyMarker);
        if (CaHierarchy.present(token, settings) && CaHierarchy.hasCertificate(token, prefix + "ocsp")) {
            if (adoptedRoot != null) {
                return new Opened(CaHierarchy.load(token, settings, adoptedRoot), null, false);
            }
            if (CaHierarchy.hasCertificate(token, prefix + "root")) {
                return new Opened(CaHierarchy.load(token, settings), null, true);
            }
            X509Certificate issuing = token.certificate(prefix + "issuing").orElseThrow();
            Optional<OfflineRoot> root = OfflineRoot.find(database, issuing, prefix, arlValidity, clock);
            if (root.isPresent()) {
                ceremonyRecorded(); // a crash after the ceremony was recorded may have left the marker
                return new Opened(CaHierarchy.load(token, settings, root.get().root()), root.get(), false);
            }
            if (!unfinished) {
                throw new CaException(CaException.Kind.UNAVAILABLE, "the root certificate of the issuing CA on the"
                        + " CA token is not in the database (table ca_root); restore the database that belongs to"
                        + " this token");
            }
            // the ceremony made the CA on the tokens and the process died before the database recorded it: nothing
            // was issued under it, so the ceremony is finished below with new certificates for the same keys
        } else if (adoptedRoot != null) {
            return new Opened(database.inTransaction(c -> {
                CaHierarchy h = CaHierarchy.adopt(token, settings, adoptedRoot, publication);
                audit.append(AuditEvent.of("system", "ca.adopted", "ca:" + h.issuing().getSerialNumber().toString(16),
                        describe(h)));
                return h;
            }), null, false);
        }
        if (!unfinished && token.keys().stream().anyMatch(k -> k.alias().startsWith(prefix))) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "the CA token holds keys named " + prefix
                    + "* but no complete CA, and no key ceremony of this data directory was interrupted ("
                    + ceremonyMarker + " is absent); delete them or restore the token");
        }
        if (!ceremony) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "the CA token holds no CA and the key ceremony is"
                    + " off (keyCeremony of configuration PID " + PID + ")");
        }
        if (!unfinished) {
            beginCeremony(rootLabel);
        }
        try (Token rootToken = CaTokenCustody.initialiseRoot(driver, rootLabel, rootPinFile)) {
            Opened opened = database.inTransaction(c -> {
                CaHierarchy h = unfinished ? CaHierarchy.resume(token, rootToken, settings, publication)
                        : CaHierarchy.create(token, rootToken, settings, publication);
                audit.append(AuditEvent.of("system", "ca.ceremony.completed",
                        "ca:" + h.issuing().getSerialNumber().toString(16), describe(h) + "rootToken=" + rootLabel
                                + (unfinished ? "\nresumed after an interruption" : "")));
                OfflineRoot root = OfflineRoot.record(database, audit, h, rootToken, rootLabel, arlValidity,
                        clock, "system");
                LOG.info("Key ceremony done: root '{}' on its own token '{}' (now logged out), issuing CA '{}', OCSP"
                        + " signer and TSA keys on the CA token", h.root().getSubjectX500Principal().getName(),
                        rootLabel, h.issuing().getSubjectX500Principal().getName());
                return new Opened(h, root, false);
            });
            ceremonyRecorded();
            return opened;
        }
    }

    /**
     * Marks the key ceremony as begun, before its first step on the root token, so that a start after a crash
     * finishes it on the tokens as they are ({@link CaHierarchy#resume}) instead of taking its half-made keys for
     * a CA of unknown origin; {@link #ceremonyRecorded} removes the mark once the database holds the CA.
     */
    private void beginCeremony(String rootLabel) {
        if (TokenCustody.labelled(driver.tokens(), rootLabel).isPresent()) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "a token labelled '" + rootLabel + "' already"
                    + " exists on driver '" + driver.id() + "' but the CA token holds no CA; re-initialise or"
                    + " remove it, or set another rootTokenLabel");
        }
        Path rootSoFile = Path.of(rootPinFile + TokenCustody.SO);
        if (Files.exists(rootPinFile) || Files.exists(rootSoFile)) {
            throw new CaException(CaException.Kind.UNAVAILABLE, rootPinFile + " or " + rootSoFile + " already"
                    + " exists: they would be overwritten; move them away before the key ceremony");
        }
        try {
            SecretFiles.writeNew(ceremonyMarker, ("A key ceremony began at " + clock.instant() + " with the root"
                    + " token '" + rootLabel + "'. Cachet deletes this file once the CA is recorded; while it is"
                    + " here, a start finishes that ceremony on the tokens as they are.\n")
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CaException(CaException.Kind.UNAVAILABLE, "cannot write " + ceremonyMarker + ": "
                    + e.getMessage(), e);
        }
    }

    private void ceremonyRecorded() {
        try {
            Files.deleteIfExists(ceremonyMarker);
        } catch (IOException e) {
            LOG.warn("Cannot delete {} (the key ceremony is recorded; delete it by hand): {}", ceremonyMarker,
                    e.getMessage());
        }
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
        renewPlatformSeal();
    }

    /** Renews the platform seal's certificate when it is due; a failure keeps the current one (and is retried). */
    private void renewPlatformSeal() {
        if (platformSeal == null) {
            return;
        }
        try {
            if (platformSeal.renewIfDue(services, platformSealCommonName, audit, clock.instant(), platformSealRenewal)) {
                LOG.info("Platform seal renewed: serial {} valid until {} (same key {})",
                        platformSeal.serial().toString(16), platformSeal.certificate().getNotAfter().toInstant(),
                        platformSeal.alias());
            }
        } catch (RuntimeException e) {
            // caught: the scheduled task must go on; the current certificate stays in use, /health warns near its end
            LOG.error("The platform seal's certificate could not be renewed (tried again with the next CRL): {}",
                    e.getMessage());
        }
    }

    @Override
    public String name() {
        return "ca";
    }

    /**
     * The CA token answers and holds the issuing, OCSP and TSA keys; the CRL's nextUpdate is ahead; the ARL is
     * current (WARNING {@code arlWarningDays} before it expires, unhealthy after). Also warns, staying healthy, while
     * the root key is online (a CA made before the root had a token of its own) or its PINs are still on disk.
     */
    @Override
    public Health check() {
        Instant now = clock.instant();
        List<String> warnings = new ArrayList<>();
        try {
            token.info();
            List<String> aliases = token.keys().stream().map(TokenKey::alias).toList();
            String prefix = services.hierarchy().settings().aliasPrefix();
            List<String> missing = new ArrayList<>();
            List<String> expected = platformSeal == null ? List.of("issuing", "ocsp", "tsa")
                    : List.of("issuing", "ocsp", "tsa", PlatformSeal.SUFFIX);
            for (String k : expected) {
                if (!aliases.contains(prefix + k)) {
                    missing.add(prefix + k);
                }
            }
            if (!missing.isEmpty()) {
                return new Health(false, "the CA token '" + tokenLabel + "' lacks the keys " + missing
                        + "; restore the token");
            }
        } catch (RuntimeException e) {
            return new Health(false, "the CA token '" + tokenLabel + "' on driver '" + driver.id()
                    + "' cannot be used: " + e.getMessage() + "; reconnect or restore it, then restart the CA");
        }
        Optional<X509CRL> crl = services.currentCrl();
        if (crl.isEmpty() || !crl.get().getNextUpdate().toInstant().isAfter(now)) {
            return new Health(false, "the CRL is out of date (nextUpdate "
                    + crl.map(c -> c.getNextUpdate().toInstant().toString()).orElse("none") + "): CRL refresh fails,"
                    + " see the log");
        }
        if (offlineRoot != null) {
            Optional<X509CRL> arl = offlineRoot.arl();
            if (arl.isEmpty()) {
                return new Health(false, "the root has no ARL; renew it: cachet-cli ca renew-arl");
            }
            Instant next = arl.get().getNextUpdate().toInstant();
            if (!next.isAfter(now)) {
                return new Health(false, "the root's ARL expired at " + next + ": relying parties can no longer check"
                        + " the issuing CA; renew it now: cachet-cli ca renew-arl (needs the root token and its PIN)");
            }
            if (!next.isAfter(now.plus(arlWarning))) {
                warnings.add("the root's ARL expires at " + next + " (in " + Duration.between(now, next).toDays()
                        + " days); renew it: cachet-cli ca renew-arl (needs the root token and its PIN)");
            }
        }
        if (platformSeal == null) {
            return new Health(false, "the platform seal is not available: " + platformSealProblem
                    + "; see the log, fix it and restart the CA");
        }
        Instant sealEnd = platformSeal.certificate().getNotAfter().toInstant();
        if (!sealEnd.isAfter(now)) {
            return new Health(false, "the platform seal certificate expired at " + sealEnd + " and could not be"
                    + " renewed: see the log (a new issuing CA is due when it ends first)");
        }
        // renewed platformSealRenewal before its end: a certificate this close to it was not (said from the closer
        // of the two, so that a renewal window set below arlWarningDays is not reported as failed before it is due)
        if (!sealEnd.isAfter(now.plus(arlWarning.compareTo(platformSealRenewal) < 0 ? arlWarning
                : platformSealRenewal))) {
            warnings.add("the platform seal certificate expires at " + sealEnd + " and could not be renewed: see"
                    + " the log (a new issuing CA is due when it ends first)");
        }
        if (rootOnline) {
            warnings.add("the root key is online on the CA token (a CA made before the root had its own token);"
                    + " see README, The CA");
        }
        if (Files.exists(rootPinFile) || Files.exists(Path.of(rootPinFile + ".so"))) {
            warnings.add("the root token's PINs are still in " + rootPinFile + ": copy them offline and delete them");
        }
        String ok = "CA token '" + tokenLabel + "' holds its keys; CRL until "
                + crl.get().getNextUpdate().toInstant() + "; platform seal serial "
                + platformSeal.serial().toString(16) + " until " + sealEnd
                + offlineRoot().map(r -> "; ARL until " + r.arl().orElseThrow().getNextUpdate().toInstant()).orElse("");
        return new Health(true, warnings.isEmpty() ? ok : "WARNING: " + String.join("; ", warnings) + " (" + ok + ")");
    }

    private Optional<OfflineRoot> offlineRoot() {
        return Optional.ofNullable(offlineRoot);
    }

    @Override
    public Optional<X509CRL> arl() {
        return offlineRoot().flatMap(OfflineRoot::arl);
    }

    @Override
    public X509CRL renewArl(char[] rootPin, String actor) {
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("an actor is required for the audit log");
        }
        if (offlineRoot == null) {
            throw new CaException(CaException.Kind.CONFLICT, rootOnline
                    ? "this CA was made before the root had a token of its own: it publishes no ARL"
                    : "this CA's root is not managed by Cachet (adopted CA): its own operator publishes the ARL");
        }
        try {
            X509CRL made = offlineRoot.renewArl(driver, rootPin, audit, actor);
            LOG.info("ARL renewed by {}: valid until {}", actor, made.getNextUpdate().toInstant());
            return made;
        } catch (CaException e) {
            audit.append(AuditEvent.of(actor, "ca.arl.refused", "root:" + offlineRoot.rootTokenLabel(),
                    e.getMessage()));
            throw e;
        }
    }

    @Deactivate
    void deactivate() {
        if (platformSealKey != null) {
            try {
                platformSealKey.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregisters the services of a stopping bundle itself
            }
            platformSealKey = null;
        }
        if (ocspKey != null) {
            try {
                ocspKey.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregisters the services of a stopping bundle itself
            }
            ocspKey = null;
        }
        if (timeStampKey != null) {
            try {
                timeStampKey.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregisters the services of a stopping bundle itself
            }
            timeStampKey = null;
        }
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregisters the services of a stopping bundle itself
            }
            registration = null;
        }
        crlSchedule.shutdown();
        try {
            crlSchedule.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        token.close();
    }

    /** The platform seal, empty when it could not be made or opened (see /health). */
    Optional<PlatformSeal> platformSeal() {
        return Optional.ofNullable(platformSeal);
    }

    /** The plain-Java services behind this component. */
    TrustServices services() {
        return services;
    }

    @Override
    public IssuedCertificate issue(SealCertificateRequest request, String actor, String requestId) {
        return services.issue(request, actor, requestId);
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
    public Optional<CertificateStatus> status(BigInteger serial) {
        return services.status(serial);
    }

}
