package io.cachet.organisation.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.audit.AuditRecord;
import io.cachet.api.link.PersonalLinks;
import io.cachet.api.order.Medium;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderCheck;
import io.cachet.api.order.OrderListener;
import io.cachet.api.order.OrderRequest;
import io.cachet.api.order.OrderState;
import io.cachet.api.order.Orders;
import io.cachet.api.order.Organisation;
import io.cachet.api.order.Person;
import io.cachet.api.order.PostalAddress;
import io.cachet.api.order.Price;
import io.cachet.api.order.Product;
import io.cachet.api.order.Submission;
import io.cachet.api.organisation.RegistryLookup;
import io.cachet.api.security.DataKeyCipher;
import io.cachet.api.security.SecretVault;
import io.cachet.api.testing.MutableClock;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.order.launch.OrderServices;
import io.cachet.portal.launch.LinkStores;
import io.cachet.store.testing.TestDatabases;
import io.cachet.store.testing.TestVaults;
import io.cachet.web.testing.RecordingNotifier;

/**
 * The organisation cases wired as in the framework, on a real database (H2 or PostgreSQL), with the real audit log,
 * vault, personal links and order state machine; the notifier records what it is asked to queue (the real one is
 * proven in the IT).
 */
final class Fixture implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    static final LocalDate TODAY = LocalDate.parse("2026-12-02");
    static final Person ANNA = new Person("Anna Maria", "Eriksson", LocalDate.parse("1974-08-12"), "anna@example.org",
            "+33612345678");
    static final Person JEAN = new Person("Jean", "Dupont", LocalDate.parse("1960-03-01"), "jean@example.org",
            "+33698765432");

    final TestDatabases.Handle db;
    final MutableClock clock = new MutableClock(T0);
    final AuditLog audit;
    final SecretVault vault;
    final PersonalLinks links;
    final RecordingNotifier notifier = new RecordingNotifier();
    final AtomicReference<Settings> settings = new AtomicReference<>(Settings.DEFAULTS);
    final List<RegistryLookup> registries = new CopyOnWriteArrayList<>();
    final OrganisationService service;
    final Orders orders;
    volatile boolean ordersDown;

    Fixture(String product, Path dir) {
        db = TestDatabases.open(product, dir);
        audit = AuditLogs.open(db.database(), List.of());
        vault = TestVaults.embedded(dir);
        Orders[] holder = new Orders[1];
        links = LinkStores.open(db.database(), audit, clock, new SecureRandom(), "http://localhost:8080",
                id -> holder[0].find(id).map(o -> o.state().ended()).orElse(true));
        OrganisationService.migrate(db.database());
        service = new OrganisationService(db.database(), audit,
                new DataKeyCipher(vault, OrganisationService.KEY_PURPOSE, new SecureRandom()), notifier,
                () -> ordersDown ? null : holder[0], () -> List.copyOf(registries), settings::get, clock,
                new SecureRandom());
        Product p = new Product("enterprise-plus", Map.of("fr", "Enterprise+", "en", "Enterprise+"), List.of(1, 2, 3),
                List.of(Medium.USB_A, Medium.USB_C, Medium.CLOUD),
                List.of(new Price(1, Medium.CLOUD, new BigDecimal("290.00"), "EUR")));
        List<OrderCheck> checks = List.of(new OrderCheck() {
            @Override
            public String kind() {
                return OrganisationService.KIND;
            }

            @Override
            public OrderState state() {
                return OrderState.VERIFICATION;
            }

            @Override
            public void entered(Order order) {
                service.open(order);
            }
        });
        List<OrderListener> listeners = List.of();
        orders = OrderServices.open(db.database(), audit, () -> List.of(p), () -> checks, () -> listeners,
                () -> "default", clock, Duration.ofDays(60));
        holder[0] = orders;
    }

    /** Submits an order of ACME SAS, SIREN 552100554 ({@code legalRepresentative} null = the manager is). */
    Order submit(Person legalRepresentative) {
        OrderRequest r = new OrderRequest("enterprise-plus", 1, Medium.CLOUD, ANNA, legalRepresentative,
                new Organisation("ACME SAS", "FR", "552100554", "FR96552100554",
                        new PostalAddress(List.of("1 rue de la Paix"), "75002", "Paris", "FR")),
                null);
        return orders.submit(r, new Submission("api:test", null, null, "en", null));
    }

    List<AuditRecord> records(String action) {
        return audit.read(1, 10_000).stream().filter(r -> r.action().equals(action)).toList();
    }

    /** A one-page PDF with these lines of text, as a register's extract downloaded as PDF would have. */
    static byte[] pdf(String... lines) {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream s = new PDPageContentStream(doc, page)) {
                s.beginText();
                s.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 11);
                s.newLineAtOffset(50, 740);
                for (String line : lines) {
                    s.showText(line);
                    s.newLineAtOffset(0, -16);
                }
                s.endText();
            }
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A K-bis-like extract of ACME SAS issued on {@code issued}, naming {@code representative}. */
    static byte[] kbis(LocalDate issued, String name, String siren, String representative) {
        String d = String.format("%02d/%02d/%04d", issued.getDayOfMonth(), issued.getMonthValue(), issued.getYear());
        return pdf("Greffe du Tribunal de Commerce de Paris",
                "Extrait Kbis",
                "EXTRAIT D'IMMATRICULATION PRINCIPALE AU REGISTRE DU COMMERCE ET DES SOCIETES",
                "à jour au " + d,
                "IDENTIFICATION DE LA PERSONNE MORALE",
                "Immatriculation au RCS, numéro " + siren.substring(0, 3) + " " + siren.substring(3, 6) + " "
                        + siren.substring(6) + " R.C.S. Paris",
                "Date d'immatriculation 01/03/1998",
                "Dénomination ou raison sociale " + name,
                "GESTION, DIRECTION, ADMINISTRATION, CONTRÔLE, ASSOCIÉS OU MEMBRES",
                "Président " + representative,
                "Date de naissance 12/08/1974");
    }

    /** The smallest valid PNG header bytes (enough for the type check) followed by padding. */
    static byte[] png() {
        byte[] b = new byte[64];
        byte[] sig = { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A };
        System.arraycopy(sig, 0, b, 0, sig.length);
        return b;
    }

    @Override
    public void close() {
        db.close();
    }
}
