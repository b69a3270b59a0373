package io.cachet.ca.internal;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The CA's unit tests' repository: issued and revoked certificates in memory, for tests of the CA core (issuance,
 * OCSP, CRL) that need no database. Nothing is durable; the CA itself always uses {@link JdbcCertificateRepository},
 * whose own tests ({@code TrustServicesTest}) run on H2 and PostgreSQL. Code outside this bundle gets a CA through
 * {@code io.cachet.ca.launch.LocalCa}, on a real database (H2 in memory will do).
 */
public final class InMemoryCertificateRepository implements CertificateRepository {
    private final ConcurrentHashMap<BigInteger, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong crlNumber = new AtomicLong();

    @Override
    public void add(X509Certificate certificate) {
        BigInteger serial = certificate.getSerialNumber();
        if (entries.putIfAbsent(serial, new Entry(serial, certificate, Optional.empty())) != null) {
            throw new CaException(CaException.Kind.CONFLICT, "serial " + serial.toString(16) + " already issued");
        }
    }

    @Override
    public Optional<Entry> find(BigInteger serial) {
        return Optional.ofNullable(entries.get(serial));
    }

    @Override
    public Entry revoke(BigInteger serial, Revocation revocation) {
        Entry[] result = new Entry[1];
        Entry updated = entries.computeIfPresent(serial, (s, e) -> {
            if (e.revocation().isPresent()) {
                return e;
            }
            result[0] = new Entry(s, e.certificate(), Optional.of(revocation));
            return result[0];
        });
        if (updated == null) {
            throw new CaException(CaException.Kind.NOT_FOUND, "serial " + serial.toString(16) + " was not issued by this CA");
        }
        if (result[0] == null) {
            throw new CaException(CaException.Kind.CONFLICT, "serial " + serial.toString(16) + " is already revoked");
        }
        return result[0];
    }

    @Override
    public List<Revoked> revoked() {
        return entries.values().stream().filter(e -> e.revocation().isPresent())
                .map(e -> new Revoked(e.serial(), e.revocation().get()))
                .sorted(java.util.Comparator.comparing((Revoked r) -> r.revocation().time()).thenComparing(Revoked::serial))
                .toList();
    }

    @Override
    public BigInteger nextCrlNumber() {
        return BigInteger.valueOf(crlNumber.incrementAndGet());
    }

    private volatile KeptCrl kept;

    @Override
    public long revokedCount() {
        return entries.values().stream().filter(e -> e.revocation().isPresent()).count();
    }

    @Override
    public void keepCrl(KeptCrl crl) {
        kept = crl;
    }

    @Override
    public Optional<KeptCrl> keptCrl() {
        return Optional.ofNullable(kept);
    }

    @Override
    public Optional<Status> status(BigInteger serial) {
        return find(serial).map(e -> new Status(serial, e.revocation()));
    }
}
