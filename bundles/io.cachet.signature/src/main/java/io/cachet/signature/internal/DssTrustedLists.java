package io.cachet.signature.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import eu.europa.esig.dss.model.DSSDocument;
import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.model.tsl.ParsingInfoRecord;
import eu.europa.esig.dss.model.tsl.TLInfo;
import eu.europa.esig.dss.model.tsl.ValidationInfoRecord;
import eu.europa.esig.dss.model.x509.CertificateToken;
import eu.europa.esig.dss.spi.client.http.DSSFileLoader;
import eu.europa.esig.dss.spi.tsl.TrustedListsCertificateSource;
import eu.europa.esig.dss.spi.x509.CommonCertificateSource;
import eu.europa.esig.dss.tsl.job.TLValidationJob;
import eu.europa.esig.dss.tsl.source.TLSource;
import eu.europa.esig.dss.tsl.sync.ExpirationAndSignatureCheckStrategy;
import io.cachet.api.signature.SignatureException;
import io.cachet.api.signature.SignatureException.Reason;
import io.cachet.api.signature.TrustedListSource;
import io.cachet.api.signature.TrustedListStatus;
import io.cachet.api.signature.TrustedLists;

/**
 * {@link TrustedLists} on DSS's {@link TLValidationJob}: each list is read (file or HTTP), parsed, its signature
 * checked against its source's signing certificates; only valid, unexpired lists feed the
 * {@link TrustedListsCertificateSource} that validations use.
 */
public final class DssTrustedLists implements TrustedLists {
    private final TrustedListsCertificateSource source;
    private final List<TrustedListStatus> status;

    private DssTrustedLists(TrustedListsCertificateSource source, List<TrustedListStatus> status) {
        this.source = source;
        this.status = List.copyOf(status);
    }

    public static DssTrustedLists load(List<TrustedListSource> sources, Network network) {
        if (sources.isEmpty()) {
            throw new SignatureException(Reason.INVALID_OPTIONS, "no trusted list given");
        }
        return Dss.call(() -> run(sources, network));
    }

    private static DssTrustedLists run(List<TrustedListSource> sources, Network network) {
        TrustedListsCertificateSource certificates = new TrustedListsCertificateSource();
        TLValidationJob job = new TLValidationJob();
        List<String> urls = new ArrayList<>();
        TLSource[] tls = new TLSource[sources.size()];
        for (int i = 0; i < tls.length; i++) {
            TrustedListSource s = sources.get(i);
            String url = url(s.location());
            urls.add(url);
            tls[i] = new TLSource();
            tls[i].setUrl(url);
            CommonCertificateSource signers = new CommonCertificateSource();
            for (X509Certificate c : s.signingCertificates()) {
                signers.addCertificate(new CertificateToken(c));
            }
            tls[i].setCertificateSource(signers);
        }
        job.setTrustedListSources(tls);
        job.setTrustedListCertificateSource(certificates);
        // nothing from a list that is badly signed or expired becomes a trust anchor
        ExpirationAndSignatureCheckStrategy strategy = new ExpirationAndSignatureCheckStrategy();
        strategy.setAcceptExpiredTrustedList(false);
        strategy.setAcceptInvalidTrustedList(false);
        job.setSynchronizationStrategy(strategy);
        job.setOfflineDataLoader(new Loader(network));
        // the job parses on its executor's threads: they need this bundle's class loader as context (DSS and JAXB
        // find their parts through it), and must not outlive the load
        ClassLoader loader = DssTrustedLists.class.getClassLoader();
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "cachet-trusted-lists");
            t.setDaemon(true);
            t.setContextClassLoader(loader);
            return t;
        });
        try {
            job.setExecutorService(executor);
            job.offlineRefresh();
        } finally {
            executor.shutdownNow();
        }
        List<TrustedListStatus> status = new ArrayList<>();
        List<TLInfo> infos = job.getSummary().getOtherTLInfos();
        for (String url : urls) {
            TLInfo info = infos.stream().filter(i -> url.equals(i.getUrl())).findFirst().orElse(null);
            status.add(status(url, info, strategy));
        }
        return new DssTrustedLists(certificates, status);
    }

    private static TrustedListStatus status(String url, TLInfo info, ExpirationAndSignatureCheckStrategy strategy) {
        List<String> problems = new ArrayList<>();
        if (info == null) {
            return new TrustedListStatus(url, false, false, null, 0, null, false, List.of("not processed"));
        }
        if (info.getDownloadCacheInfo().isError()) {
            problems.add("cannot be read: " + info.getDownloadCacheInfo().getExceptionMessage());
        }
        ParsingInfoRecord parsing = info.getParsingCacheInfo();
        boolean parsed = parsing != null && parsing.isSynchronized();
        if (parsing != null && parsing.isError()) {
            problems.add("cannot be parsed: " + parsing.getExceptionMessage());
        }
        ValidationInfoRecord validation = info.getValidationCacheInfo();
        boolean valid = validation != null && validation.isValid();
        if (parsed && !valid) {
            problems.add(validation == null || validation.getIndication() == null ? "its signature was not checked"
                    : "its signature is " + validation.getIndication() + (validation.getSubIndication() == null ? ""
                            : " (" + validation.getSubIndication() + ")") + ": it must be signed with one of the"
                            + " signing certificates given for it");
        }
        java.util.Date next = parsed ? parsing.getNextUpdateDate() : null;
        if (next != null && next.before(new java.util.Date())) {
            problems.add("expired: its next update was due " + next.toInstant());
        }
        if (parsed && parsing.getStructureValidationMessages() != null) {
            for (String m : parsing.getStructureValidationMessages()) {
                problems.add("structure: " + m);
            }
        }
        boolean trusted = parsed && strategy.canBeSynchronized(info);
        return new TrustedListStatus(url, parsed, valid, parsed ? parsing.getTerritory() : null,
                parsed ? parsing.getTSNumber() : 0, next == null ? null : next.toInstant(), trusted, problems);
    }

    /** File paths become file URLs, so that a list can be named either way. */
    static String url(String location) {
        String lower = location.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("file:")) {
            return location;
        }
        return Path.of(location).toAbsolutePath().normalize().toUri().toString();
    }

    /** The certificates of the services of the trusted lists, for the validator. */
    TrustedListsCertificateSource source() {
        return source;
    }

    @Override
    public List<TrustedListStatus> status() {
        return status;
    }

    /** Reads file URLs from the disk and http(s) URLs through {@link Network}, with its time limit. */
    private static final class Loader implements DSSFileLoader {
        private static final long serialVersionUID = 1L;
        private final transient Network network;

        Loader(Network network) {
            this.network = network;
        }

        @Override
        public DSSDocument getDocument(String url) {
            try {
                if (url.regionMatches(true, 0, "file:", 0, 5)) {
                    return new InMemoryDocument(Files.readAllBytes(Path.of(URI.create(url))), url);
                }
                return new InMemoryDocument(network.download(url), url);
            } catch (IOException e) {
                throw new eu.europa.esig.dss.model.DSSException("cannot read " + url + ": " + e.getMessage(), e);
            }
        }
    }
}
