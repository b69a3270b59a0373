package io.cachet.delivery.mail.internal;

import static io.cachet.api.store.Columns.instant;
import static io.cachet.api.store.Columns.time;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.brand.Brand;
import io.cachet.api.delivery.Carrier;
import io.cachet.api.delivery.Carrier.CarrierEvent;
import io.cachet.api.delivery.DeliveryException;
import io.cachet.api.delivery.DeliveryException.Kind;
import io.cachet.api.delivery.Shipment;
import io.cachet.api.delivery.ShipmentListener;
import io.cachet.api.delivery.ShipmentState;
import io.cachet.api.delivery.Shipments;
import io.cachet.api.order.Delivery;
import io.cachet.api.order.Order;
import io.cachet.api.order.Orders;
import io.cachet.api.order.PostalAddress;
import io.cachet.api.security.DataKeyCipher;
import io.cachet.api.security.Digests;
import io.cachet.api.security.RandomTokens;
import io.cachet.api.store.Database;
import io.cachet.api.web.FileTypes;

/**
 * The shipments on the deployment's database. Plain Java, thread-safe, safe with several nodes on one database: every
 * change locks the shipment's row and is one transaction with its audit record (subject {@code order:<id>}; the
 * details name ids and states only, never an address). The {@link ShipmentListener}s are told after the transaction
 * committed (when the caller runs no transaction of its own: a caller's outer transaction commits later), on the
 * changing thread; a listener's failure is logged and changes nothing. Receipt scans are encrypted with the
 * shipment's data key ({@link DataKeyCipher}, purpose {@value #KEY_PURPOSE}, bound to its shipment and media type by
 * {@link #receiptAad}) and never logged.
 */
public final class ShipmentService implements Shipments {

    /** The vault purpose the shipments' data keys are sealed under. Stored keys are: never change it. */
    static final String KEY_PURPOSE = "shipment.receipt-key";
    private static final Logger LOG = LoggerFactory.getLogger(ShipmentService.class);
    private static final Pattern TRACKING = Pattern.compile("[A-Z0-9][A-Z0-9-]{3,39}");
    private static final Pattern REFERENCE = Pattern.compile("[\\p{Alnum}][\\p{Alnum} ._:/-]{0,99}");
    private static final String COLUMNS = "s.id, s.order_id, s.attempt, s.reference, s.recipient, s.address_lines,"
            + " s.postal_code, s.city, s.country, s.brand, s.language, s.carrier, s.tracking_number, s.state, s.note,"
            + " s.data_key, s.created_at, s.updated_at, s.sent_at, s.delivered_at,"
            + " (SELECT COUNT(*) FROM shipment_receipt r WHERE r.shipment_id = s.id) AS receipts";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM shipment s";

    private final Database database;
    private final AuditLog audit;
    private final DataKeyCipher cipher;
    private final Supplier<Orders> orders;
    private final Supplier<? extends Collection<Carrier>> carriers;
    private final Supplier<? extends Collection<ShipmentListener>> listeners;
    private final Function<String, Optional<Brand>> brands;
    private final Supplier<MailSettings> settings;
    private final Clock clock;
    private final SecureRandom random;

    /**
     * @param orders the order service, or a supplier of null while it is missing (preparing is then refused)
     * @param carriers the installed carrier integrations (the manual one is built in)
     * @param listeners the installed shipment listeners
     * @param brands the installed brand of an id, if any
     * @param settings the current configuration (read at each use: it changes while running)
     * @param cipher the receipt cipher, on purpose {@value #KEY_PURPOSE}
     */
    public ShipmentService(Database database, AuditLog audit, DataKeyCipher cipher, Supplier<Orders> orders,
            Supplier<? extends Collection<Carrier>> carriers,
            Supplier<? extends Collection<ShipmentListener>> listeners, Function<String, Optional<Brand>> brands,
            Supplier<MailSettings> settings, Clock clock, SecureRandom random) {
        this.database = Objects.requireNonNull(database);
        this.audit = Objects.requireNonNull(audit);
        this.cipher = Objects.requireNonNull(cipher);
        if (!KEY_PURPOSE.equals(cipher.purpose())) {
            throw new IllegalArgumentException("The receipt cipher must seal its keys for " + KEY_PURPOSE);
        }
        this.orders = Objects.requireNonNull(orders);
        this.carriers = Objects.requireNonNull(carriers);
        this.listeners = Objects.requireNonNull(listeners);
        this.brands = Objects.requireNonNull(brands);
        this.settings = Objects.requireNonNull(settings);
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
    }

    /**
     * What binds a receipt blob to its shipment and media type, so that a blob moved to another row does not open.
     * Stored blobs carry it: never change it.
     */
    static byte[] receiptAad(String shipmentId, String mediaType) {
        return ("cachet-shipment-receipt|" + shipmentId + "|" + mediaType).getBytes(StandardCharsets.UTF_8);
    }

    /** Applies this module's migrations. */
    public static void migrate(Database database) {
        database.migrate("shipment", ShipmentService.class.getClassLoader(), "db/shipment");
    }

    // ------------------------------------------------------------------ preparing

    @Override
    public Shipment prepare(String orderId, String reference, String actor) {
        String ref = reference == null ? "" : reference.strip();
        if (!REFERENCE.matcher(ref).matches()) {
            throw new DeliveryException(Kind.INVALID, "The reference (the token's serial number) must be 1 to 100"
                    + " letters, digits, spaces or . _ : / -.");
        }
        Optional<Shipment> open = openFor(orderId, ref);
        if (open.isPresent()) {
            return open.get();
        }
        Orders o = orders.get();
        if (o == null) {
            throw new DeliveryException(Kind.UNAVAILABLE, "The order service is not running; nothing was prepared. Try"
                    + " again in a moment.");
        }
        Order order = o.find(orderId).orElseThrow(() -> new DeliveryException(Kind.NOT_FOUND, "No order " + orderId
                + "."));
        Delivery delivery = order.request().delivery();
        if (!order.request().medium().token() || delivery == null || delivery.address() == null) {
            throw new DeliveryException(Kind.CONFLICT, "Order " + orderId + " has no delivery address (its medium is "
                    + order.request().medium().id() + "): there is nothing to ship.");
        }
        if (order.state().ended()) {
            throw new DeliveryException(Kind.CONFLICT, "Order " + orderId + " has ended (" + order.state()
                    + "): nothing is shipped for it.");
        }
        String who = actor(actor);
        MailSettings s = settings.get();
        // the database keeps one open letter per order and token, and one attempt number per order: a caller that
        // loses a race to another (node) reads the other's letter, or tries again with the next attempt number
        RuntimeException failed = null;
        for (int tries = 0; tries < 3; tries++) {
            try {
                return insert(order, delivery, ref, who, s);
            } catch (RuntimeException e) {
                Optional<Shipment> theirs = openFor(orderId, ref);
                if (theirs.isPresent()) {
                    return theirs.get();
                }
                failed = e;
            }
        }
        throw failed;
    }

    private Shipment insert(Order order, Delivery delivery, String ref, String who, MailSettings s) {
        String orderId = order.id();
        return database.inTransaction(c -> {
            Optional<Row> again = openRow(c, orderId, ref);
            if (again.isPresent()) {
                return again.get().view();
            }
            int attempt = 1;
            try (PreparedStatement ps = c.prepareStatement("SELECT MAX(attempt) FROM shipment WHERE order_id = ?")) {
                ps.setString(1, orderId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        attempt = rs.getInt(1) + 1;
                    }
                }
            }
            String id = "shp_" + RandomTokens.urlSafe(random, 18);
            Instant now = clock.instant();
            PostalAddress a = delivery.address();
            String recipient = delivery.beneficiary() == null || delivery.beneficiary().isBlank()
                    ? order.request().certificateManager().fullName() : delivery.beneficiary().strip();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO shipment (id, order_id, attempt, reference,"
                    + " recipient, address_lines, postal_code, city, country, brand, language, carrier, state,"
                    + " data_key, created_at, updated_at, open_reference) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    + " ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, orderId);
                ps.setInt(3, attempt);
                ps.setString(4, ref);
                ps.setString(5, recipient);
                ps.setString(6, String.join("\n", a.lines()));
                ps.setString(7, a.postalCode() == null ? "" : a.postalCode());
                ps.setString(8, a.city() == null ? "" : a.city());
                ps.setString(9, a.country() == null ? "" : a.country());
                ps.setString(10, order.brand());
                ps.setString(11, "en".equals(order.language()) ? "en" : "fr");
                ps.setString(12, s.defaultCarrier());
                ps.setString(13, ShipmentState.PREPARED.name());
                ps.setString(14, cipher.newSealedKeyText());
                ps.setObject(15, time(now));
                ps.setObject(16, time(now));
                ps.setString(17, ref);
                ps.executeUpdate();
            }
            Row row = byId(c, id, false).orElseThrow();
            audit(who, "shipment.prepared", row, Map.of("attempt", attempt, "carrier", row.carrier));
            return row.view();
        });
    }

    private Optional<Shipment> openFor(String orderId, String reference) {
        return database.inTransaction(c -> openRow(c, orderId, reference).map(Row::view));
    }

    private static Optional<Row> openRow(Connection c, String orderId, String reference) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE s.order_id = ? AND s.open_reference = ?")) {
            ps.setString(1, orderId);
            ps.setString(2, reference);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    // ------------------------------------------------------------------ reading

    @Override
    public Optional<Shipment> find(String shipmentId) {
        if (shipmentId == null) {
            return Optional.empty();
        }
        return database.inTransaction(c -> byId(c, shipmentId, false).map(Row::view));
    }

    @Override
    public List<Shipment> forOrder(String orderId) {
        if (orderId == null) {
            return List.of();
        }
        return list(SELECT + " WHERE s.order_id = ? ORDER BY s.attempt", orderId);
    }

    @Override
    public List<Shipment> inState(ShipmentState state, int limit) {
        int max = Math.max(1, Math.min(limit, 1000));
        return list(SELECT + " WHERE s.state = ? ORDER BY s.created_at, s.order_id, s.attempt FETCH FIRST " + max
                + " ROWS ONLY", state.name());
    }

    /** Every shipment, newest first, at most {@code limit} (the console's and the API's list without a state). */
    List<Shipment> latest(int limit) {
        int max = Math.max(1, Math.min(limit, 1000));
        return database.inTransaction(c -> {
            List<Shipment> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(SELECT + " ORDER BY s.created_at DESC, s.order_id,"
                    + " s.attempt DESC FETCH FIRST " + max + " ROWS ONLY"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs).view());
                }
            }
            return out;
        });
    }

    private List<Shipment> list(String sql, String value) {
        return database.inTransaction(c -> {
            List<Shipment> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, value);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs).view());
                    }
                }
            }
            return out;
        });
    }

    /** The carriers new shipments may have: the built-in manual one, then the installed ones by id. */
    List<Carrier> carriers() {
        List<Carrier> out = new ArrayList<>();
        out.add(ManualCarrier.INSTANCE);
        carriers.get().stream().filter(k -> !ManualCarrier.ID.equals(safeId(k)))
                .sorted(java.util.Comparator.comparing(ShipmentService::safeId)).forEach(out::add);
        return out;
    }

    // ------------------------------------------------------------------ moving

    @Override
    public Shipment move(String shipmentId, ShipmentState state, String trackingNumber, String note, String actor) {
        Objects.requireNonNull(state, "state");
        String tracking = trackingNumber == null || trackingNumber.isBlank() ? null : normalise(trackingNumber);
        if (tracking != null && !TRACKING.matcher(tracking).matches()) {
            throw new DeliveryException(Kind.INVALID, "The tracking number must be 4 to 40 letters, digits or '-' (as"
                    + " printed on the carrier's receipt, e.g. 1A01234567890).");
        }
        String text = note == null || note.isBlank() ? null : note.strip();
        if (text != null && text.length() > 500) {
            throw new DeliveryException(Kind.INVALID, "The note is over 500 characters; shorten it.");
        }
        String who = actor(actor);
        List<Runnable> after = new ArrayList<>();
        Shipment result = database.inTransaction(c -> {
            Row r = byId(c, shipmentId, true).orElseThrow(() -> notFound(shipmentId));
            ShipmentState from = r.state;
            if (from == state) {
                return r.view();
            }
            if (!from.canMoveTo(state)) {
                throw new DeliveryException(Kind.CONFLICT, "Shipment " + shipmentId + " is " + from + ": it cannot"
                        + " become " + state + (from.terminal() ? " (that state is final)." : ".")
                        + " Allowed from " + from + ": " + allowed(from) + ".");
            }
            String number = r.tracking;
            if (tracking != null) {
                if (number != null && !number.equals(tracking)) {
                    throw new DeliveryException(Kind.INVALID, "Shipment " + shipmentId + " already has tracking number "
                            + number + "; leave the field empty or type that one.");
                }
                number = tracking;
            }
            if (state == ShipmentState.SENT && number == null) {
                throw new DeliveryException(Kind.INVALID, "Type the tracking number of the registered letter to mark"
                        + " it sent.");
            }
            Instant now = clock.instant();
            try (PreparedStatement ps = c.prepareStatement("UPDATE shipment SET state = ?, tracking_number = ?,"
                    + " note = ?, updated_at = ?, sent_at = COALESCE(sent_at, ?), delivered_at = ?,"
                    + " open_reference = CASE WHEN ? THEN NULL ELSE open_reference END WHERE id = ?")) {
                ps.setString(1, state.name());
                ps.setString(2, number);
                ps.setString(3, text);
                ps.setObject(4, time(now));
                ps.setObject(5, state == ShipmentState.SENT ? time(now) : null);
                ps.setObject(6, state == ShipmentState.DELIVERED ? time(now) : null);
                ps.setBoolean(7, state == ShipmentState.LOST || state == ShipmentState.RETURNED);
                ps.setString(8, shipmentId);
                ps.executeUpdate();
            }
            Row moved = byId(c, shipmentId, false).orElseThrow();
            audit(who, "shipment." + state.name().toLowerCase(Locale.ROOT), moved, Map.of("from", from.name(),
                    "to", state.name(), "carrier", moved.carrier));
            Shipment view = moved.view();
            after.add(() -> tell(view, from));
            return view;
        });
        after.forEach(Runnable::run);
        return result;
    }

    private void tell(Shipment shipment, ShipmentState previous) {
        for (ShipmentListener l : listeners.get()) {
            try {
                l.changed(shipment, previous);
            } catch (RuntimeException e) {
                LOG.warn("A shipment listener ({}) failed on shipment {} becoming {}; the change stands: {}",
                        l.getClass().getName(), shipment.id(), shipment.state(), e.toString());
            }
        }
    }

    private static String allowed(ShipmentState from) {
        List<String> out = new ArrayList<>();
        for (ShipmentState s : ShipmentState.values()) {
            if (from.canMoveTo(s)) {
                out.add(s.name());
            }
        }
        return out.isEmpty() ? "nothing" : String.join(", ", out);
    }

    static String normalise(String trackingNumber) {
        return trackingNumber.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
    }

    // ------------------------------------------------------------------ carriers

    /** What a carrier's webhook call did. */
    record Received(String carrier, Optional<Shipment> shipment) {
    }

    /**
     * A carrier's webhook call: the carrier checks it came from it and reads it; the letter it names moves.
     *
     * @throws DeliveryException {@code NOT_FOUND} for an unknown carrier or tracking number, {@code CONFLICT} for a
     *         move the shipment's state refuses
     * @throws SecurityException when the carrier did not prove the call (audited {@code shipment.webhook.refused})
     * @throws IllegalArgumentException when the carrier cannot read the body
     */
    Received receive(String carrierId, Map<String, String> headers, byte[] body) {
        Carrier carrier = carriers.get().stream().filter(k -> carrierId != null && carrierId.equals(safeId(k)))
                .findFirst().orElse(null);
        if (carrier == null) {
            // not audited: anyone can call an unknown path; a carrier that exists and refuses the call is
            throw new DeliveryException(Kind.NOT_FOUND, "No carrier " + carrierId + " is installed.");
        }
        Map<String, String> lower = new LinkedHashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        Optional<CarrierEvent> event;
        try {
            event = carrier.event(Map.copyOf(lower), body == null ? new byte[0] : body.clone());
        } catch (SecurityException e) {
            refused(carrier.id(), "not proven to come from the carrier");
            throw e;
        }
        if (event.isEmpty()) {
            return new Received(carrier.id(), Optional.empty());
        }
        return new Received(carrier.id(), Optional.of(apply(carrier.id(), event.get())));
    }

    private void refused(String carrierId, String why) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("carrier", carrierId);
        d.put("reason", why);
        audit.append(AuditEvent.ofFields("carrier:" + carrierId, "shipment.webhook.refused", "carrier:" + carrierId,
                d));
    }

    private Shipment apply(String carrierId, CarrierEvent e) {
        if (e.state() == null || e.state() == ShipmentState.PREPARED || e.trackingNumber() == null) {
            throw new IllegalArgumentException("The carrier's event names no tracking number or no state after"
                    + " PREPARED.");
        }
        String number = normalise(e.trackingNumber());
        String id = database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM shipment WHERE carrier = ? AND"
                    + " tracking_number = ? ORDER BY created_at DESC, attempt DESC")) {
                ps.setString(1, carrierId);
                ps.setString(2, number);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
        if (id == null) {
            throw new DeliveryException(Kind.NOT_FOUND, "No shipment of carrier " + carrierId + " has tracking number "
                    + number + ".");
        }
        String note = e.note() == null || e.note().isBlank() ? null : truncate(e.note().strip(), 500);
        return move(id, e.state(), null, note, "carrier:" + carrierId);
    }

    /**
     * Asks the installed carriers about letters they carry that are {@code SENT} and were not asked within
     * {@link MailSettings#pollMinutes}; each letter is claimed first, so several nodes never ask twice.
     *
     * @return how many letters were asked about
     */
    int poll(int max) {
        Map<String, Carrier> installed = new LinkedHashMap<>();
        for (Carrier k : carriers.get()) {
            String id = safeId(k);
            if (id != null && !ManualCarrier.ID.equals(id)) {
                installed.putIfAbsent(id, k);
            }
        }
        if (installed.isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        Instant due = now.minus(Duration.ofMinutes(settings.get().pollMinutes()));
        List<String[]> candidates = database.inTransaction(c -> {
            List<String[]> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, carrier, tracking_number FROM shipment WHERE"
                    + " state = 'SENT' AND tracking_number IS NOT NULL AND (polled_at IS NULL OR polled_at <= ?)"
                    + " ORDER BY polled_at NULLS FIRST, sent_at FETCH FIRST " + Math.max(1, max * 4) + " ROWS ONLY")) {
                ps.setObject(1, time(due));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (installed.containsKey(rs.getString(2))) {
                            out.add(new String[] { rs.getString(1), rs.getString(2), rs.getString(3) });
                        }
                    }
                }
            }
            return out;
        });
        int asked = 0;
        for (String[] cand : candidates) {
            if (asked >= max) {
                break;
            }
            boolean claimed = database.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE shipment SET polled_at = ? WHERE id = ? AND"
                        + " state = 'SENT' AND (polled_at IS NULL OR polled_at <= ?)")) {
                    ps.setObject(1, time(now));
                    ps.setString(2, cand[0]);
                    ps.setObject(3, time(due));
                    return ps.executeUpdate() == 1;
                }
            });
            if (!claimed) {
                continue;
            }
            asked++;
            Carrier carrier = installed.get(cand[1]);
            Optional<CarrierEvent> event;
            try {
                event = carrier.track(cand[2]);
            } catch (RuntimeException e) {
                LOG.warn("Carrier {} could not be asked about shipment {}; asked again later: {}", cand[1], cand[0],
                        e.toString());
                continue;
            }
            if (event.isPresent() && event.get().state() != null && event.get().state() != ShipmentState.SENT) {
                CarrierEvent ev = event.get();
                try {
                    String note = ev.note() == null || ev.note().isBlank() ? null : truncate(ev.note().strip(), 500);
                    move(cand[0], ev.state(), null, note, "carrier:" + cand[1]);
                } catch (DeliveryException e) {
                    LOG.warn("Carrier {} reports shipment {} {}, which was refused: {}", cand[1], cand[0],
                            ev.state(), e.getMessage());
                }
            }
        }
        return asked;
    }

    // ------------------------------------------------------------------ label

    @Override
    public byte[] label(String shipmentId, String language) {
        Row r = database.inTransaction(c -> byId(c, shipmentId, false)).orElseThrow(() -> notFound(shipmentId));
        String lang = language == null || language.isBlank() ? r.language
                : language.strip().toLowerCase(Locale.ROOT);
        if (!lang.equals("fr") && !lang.equals("en")) {
            throw new DeliveryException(Kind.INVALID, "The label's language is fr or en, not " + language + ".");
        }
        MailSettings s = settings.get();
        Optional<Brand> brand = r.brand == null ? Optional.empty() : brands.apply(r.brand);
        Map<String, String> messages = brand.map(b -> messages(b, lang)).orElse(Map.of());
        String brandName = brand.map(Brand::displayName).orElse("Cachet");
        String senderName = firstNonBlank(messages.get("shipments.sender.name"), s.senderName(), brandName);
        List<String> senderAddress = messages.containsKey("shipments.sender.address")
                ? Arrays.stream(messages.get("shipments.sender.address").split("\\|")).map(String::strip)
                        .filter(l -> !l.isEmpty()).toList()
                : s.senderAddress();
        return LabelPdf.make(new LabelPdf.Content(r.view(), lang, brandName, brand.map(Brand::supportEmail).orElse(""),
                senderName, senderAddress, messages, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)));
    }

    /** The brand's messages in {@code language}, else French; empty when it has none. */
    private static Map<String, String> messages(Brand brand, String language) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : language.equals("fr") ? List.of("fr") : List.of("fr", language)) {
            try {
                URL url = brand.messages(l);
                if (url == null) {
                    continue;
                }
                Properties p = new Properties();
                try (InputStream in = url.openStream()) {
                    p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
                }
                p.forEach((k, v) -> out.put((String) k, (String) v));
            } catch (IOException | RuntimeException e) {
                LOG.warn("The messages of brand {} could not be read for the label: {}", brand.id(), e.toString());
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ receipt

    @Override
    public Shipment attachReceipt(String shipmentId, byte[] content, String actor) {
        String who = actor(actor);
        long max = settings.get().maxReceiptBytes();
        if (content == null || content.length == 0) {
            throw new DeliveryException(Kind.INVALID, "The receipt's scan is empty; choose the file again.");
        }
        if (content.length > max) {
            throw new DeliveryException(Kind.INVALID, "The receipt's scan is " + (content.length / 1024) + " KiB; at"
                    + " most " + (max / 1024) + " KiB are accepted. Scan it again at a lower resolution.");
        }
        String type = FileTypes.of(content);
        if (type == null) {
            throw new DeliveryException(Kind.INVALID, "The receipt's scan must be a PDF, JPEG or PNG file; this file"
                    + " is none of them.");
        }
        return database.inTransaction(c -> {
            Row r = byId(c, shipmentId, true).orElseThrow(() -> notFound(shipmentId));
            byte[] blob = cipher.encrypt(r.dataKey, "the receipt of shipment " + r.id, receiptAad(r.id, type), content);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM shipment_receipt WHERE shipment_id = ?")) {
                ps.setString(1, r.id);
                ps.executeUpdate();
            }
            String sha = Digests.sha256Hex(content);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO shipment_receipt (shipment_id, media_type, size,"
                    + " sha256, attached_by, attached_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, r.id);
                ps.setString(2, type);
                ps.setLong(3, content.length);
                ps.setString(4, sha);
                ps.setString(5, truncate(who, 200));
                ps.setObject(6, time(clock.instant()));
                ps.setBytes(7, blob);
                ps.executeUpdate();
            }
            audit(who, "shipment.receipt.attached", r, Map.of("mediaType", type, "size", content.length, "sha256",
                    sha));
            return byId(c, r.id, false).orElseThrow().view();
        });
    }

    @Override
    public Optional<Receipt> receipt(String shipmentId) {
        return receipt(shipmentId, null);
    }

    /** The receipt, decrypted; a read by a person ({@code actor} not null) is audited. */
    Optional<Receipt> receipt(String shipmentId, String actor) {
        return database.inTransaction(c -> {
            Row r = byId(c, shipmentId, false).orElseThrow(() -> notFound(shipmentId));
            try (PreparedStatement ps = c.prepareStatement("SELECT media_type, data FROM shipment_receipt WHERE"
                    + " shipment_id = ?")) {
                ps.setString(1, shipmentId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Receipt>empty();
                    }
                    String type = rs.getString(1);
                    byte[] plain = cipher.decrypt(r.dataKey, "the receipt of shipment " + r.id, receiptAad(r.id, type),
                            rs.getBytes(2));
                    if (actor != null) {
                        audit(actor(actor), "shipment.receipt.read", r, Map.of("mediaType", type));
                    }
                    return Optional.of(new Receipt(plain, type));
                }
            }
        });
    }

    // ------------------------------------------------------------------ rows

    private record Row(String id, String orderId, int attempt, String reference, String recipient,
            PostalAddress address, String brand, String language, String carrier, String tracking,
            ShipmentState state, String note, String dataKey, Instant createdAt, Instant updatedAt, Instant sentAt,
            Instant deliveredAt, boolean receipt) {

        Shipment view() {
            return new Shipment(id, orderId, reference, recipient, address, carrier, Optional.ofNullable(tracking),
                    state, receipt, Optional.ofNullable(note), createdAt, updatedAt, Optional.ofNullable(sentAt),
                    Optional.ofNullable(deliveredAt));
        }
    }

    private static Optional<Row> byId(Connection c, String id, boolean lock) throws SQLException {
        if (lock) {
            // FOR UPDATE cannot take the receipt sub-select on PostgreSQL: lock first, then read
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM shipment WHERE id = ? FOR UPDATE")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE s.id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static Row row(ResultSet rs) throws SQLException {
        String lines = rs.getString("address_lines");
        PostalAddress address = new PostalAddress(lines == null || lines.isEmpty() ? List.of()
                : List.of(lines.split("\n")), rs.getString("postal_code"), rs.getString("city"),
                rs.getString("country"));
        return new Row(rs.getString("id"), rs.getString("order_id"), rs.getInt("attempt"), rs.getString("reference"),
                rs.getString("recipient"), address, rs.getString("brand"), rs.getString("language"),
                rs.getString("carrier"), rs.getString("tracking_number"), ShipmentState.valueOf(rs.getString("state")),
                rs.getString("note"), rs.getString("data_key"), instant(rs, "created_at"), instant(rs, "updated_at"),
                instant(rs, "sent_at"), instant(rs, "delivered_at"), rs.getLong("receipts") > 0);
    }

    // ------------------------------------------------------------------ helpers

    /** Audited in the caller's transaction: ids and states only, never the address. */
    private void audit(String actor, String action, Row r, Map<String, ?> details) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("shipment", r.id);
        d.put("reference", r.reference);
        d.put("state", r.state.name());
        d.putAll(details);
        audit.append(AuditEvent.ofFields(actor, action, "order:" + r.orderId, d));
    }

    private static DeliveryException notFound(String shipmentId) {
        return new DeliveryException(Kind.NOT_FOUND, "No shipment " + shipmentId + ".");
    }

    static String actor(String actor) {
        return actor == null || actor.isBlank() ? "system" : actor;
    }

    private static String safeId(Carrier k) {
        try {
            return k.id();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return "";
    }

    private static String truncate(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }

}
