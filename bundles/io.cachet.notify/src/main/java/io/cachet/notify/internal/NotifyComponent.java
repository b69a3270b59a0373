package io.cachet.notify.internal;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.brand.Brand;
import io.cachet.api.health.HealthIndicator;
import io.cachet.api.notify.Channel;
import io.cachet.api.notify.MessageTemplates;
import io.cachet.api.notify.Notification;
import io.cachet.api.notify.NotificationRecord;
import io.cachet.api.notify.Notifier;
import io.cachet.api.notify.Outbox;
import io.cachet.api.notify.SmsException;
import io.cachet.api.notify.SmsGateway;
import io.cachet.api.security.SecretVault;
import io.cachet.api.store.Database;

/**
 * The {@link Notifier} and {@link Outbox} services and this node's background sender, configured by PID
 * {@code io.cachet.notify} (optional: without it, both channels go to the outbox). A configuration change restarts
 * the component, and with it the sender, with the new transports.
 */
@Component(name = "io.cachet.notify", service = {Notifier.class, Outbox.class, HealthIndicator.class},
        immediate = true)
@Designate(ocd = NotifyConfiguration.class)
public class NotifyComponent implements Notifier, Outbox, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(NotifyComponent.class);
    /** Vault purpose of the SMTP password. */
    static final String SMTP_PASSWORD_PURPOSE = "notify.smtp.password";
    /** What templates see when no brand service is there at all. */
    static final MessageRenderer.BrandView FALLBACK_BRAND = new MessageRenderer.BrandView("default", "Cachet",
            "support@cachet.example", "#0b3d91");

    @Reference(service = SmsGateway.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile List<Map.Entry<Map<String, Object>, SmsGateway>> gateways = List.of();

    @Reference(service = Brand.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile List<Map.Entry<Map<String, Object>, Brand>> brands = List.of();

    @Reference(service = MessageTemplates.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile List<Map.Entry<Map<String, Object>, MessageTemplates>> templateServices = List.of();

    /** A message still pending after this long makes the health detail say WARNING. */
    static final Duration STUCK = Duration.ofHours(1);

    private final Notifications notifications;
    private final NotificationQueue queue;
    private final String emailMode;
    private final String smsMode;
    private final Sender sender;
    private final SmtpTransport smtp;
    private final Set<Channel> outbox;
    private final String smsGateway;
    private final String defaultBrand;

    @Activate
    public NotifyComponent(@Reference Database database, @Reference AuditLog audit, @Reference SecretVault vault,
            NotifyConfiguration config, BundleContext context) {
        this(database, audit, vault, config, dataDirectory(context), nodeName());
    }

    NotifyComponent(Database database, AuditLog audit, SecretVault vault, NotifyConfiguration config, Path data,
            String node) {
        String email = mode(config.emailTransport(), "emailTransport", "outbox", "smtp");
        String sms = mode(config.smsTransport(), "smsTransport", "outbox", "gateway");
        this.smsGateway = config.smsGateway() == null ? "http" : config.smsGateway().trim();
        this.defaultBrand = config.defaultBrand() == null || config.defaultBrand().isBlank() ? "default"
                : config.defaultBrand().trim();
        Sender.Settings settings;
        try {
            settings = new Sender.Settings(Duration.ofSeconds(config.pollSeconds()), config.batchSize(),
                    config.maxAttempts(), new Backoff(Duration.ofSeconds(config.initialBackoffSeconds()),
                            Duration.ofSeconds(config.maxBackoffSeconds())));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (configuration PID io.cachet.notify)", e);
        }
        EnumSet<Channel> kept = EnumSet.noneOf(Channel.class);
        if (email.equals("outbox")) {
            kept.add(Channel.EMAIL);
            this.smtp = null;
        } else {
            this.smtp = smtp(config, vault, data);
        }
        if (sms.equals("outbox")) {
            kept.add(Channel.SMS);
        }
        this.outbox = Set.copyOf(kept);
        this.emailMode = email;
        this.smsMode = sms;
        this.queue = new NotificationQueue(database);
        this.sender = new Sender(database, queue, this::transport, audit, settings, Clock.systemUTC(), node);
        this.notifications = new Notifications(new MessageRenderer(), queue, audit, this::brand, this::templates,
                () -> outbox, sender::wake, Clock.systemUTC());
        sender.start();
        LOG.info("Notifications: e-mail {}, SMS {}", email.equals("smtp") ? "by SMTP" : "kept in the outbox",
                sms.equals("gateway") ? "by gateway '" + smsGateway + "'" : "kept in the outbox");
    }

    private static String mode(String value, String name, String... allowed) {
        String v = value == null ? "" : value.trim().toLowerCase(java.util.Locale.ROOT);
        if (!Arrays.asList(allowed).contains(v)) {
            throw new IllegalArgumentException(name + " of configuration PID io.cachet.notify must be one of "
                    + String.join(", ", allowed) + ", not '" + value + "'");
        }
        return v;
    }

    private static SmtpTransport smtp(NotifyConfiguration config, SecretVault vault, Path data) {
        if (config.smtpTimeoutSeconds() < 1) {
            throw new IllegalArgumentException("smtpTimeoutSeconds of configuration PID io.cachet.notify must be 1 or"
                    + " more, not " + config.smtpTimeoutSeconds());
        }
        SmtpTransport.Security security = SmtpTransport.Security.parse(config.smtpSecurity());
        String user = config.smtpUser() == null ? "" : config.smtpUser().trim();
        char[] password = new char[0];
        if (!user.isEmpty()) {
            Path file = secretFile(config.smtpPasswordFile(), data, "smtp.password");
            password = SealedSecretFile.read(file, SMTP_PASSWORD_PURPOSE, "SMTP password", vault);
        }
        try {
            return new SmtpTransport(new SmtpTransport.Settings(config.smtpHost(), config.smtpPort(), security, user,
                    password, config.from(), Duration.ofSeconds(config.smtpTimeoutSeconds())));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (configuration PID io.cachet.notify)", e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private Transport transport(Channel channel) {
        if (!outbox.isEmpty() && outbox.contains(channel)) {
            return Transport.OUTBOX;
        }
        if (channel == Channel.EMAIL) {
            return smtp;
        }
        return this::sendSms;
    }

    private DeliveryResult sendSms(NotificationRecord m) {
        Optional<SmsGateway> gateway = gateways.stream()
                .filter(e -> smsGateway.equals(String.valueOf(e.getKey().get(SmsGateway.ID))))
                .sorted(bestFirst()).map(Map.Entry::getValue).findFirst();
        if (gateway.isEmpty()) {
            return DeliveryResult.retry("no SMS gateway '" + smsGateway + "' is running (for http: configure PID"
                    + " io.cachet.notify.sms.http)");
        }
        try {
            gateway.get().send(m.id(), m.recipient(), m.body());
            return DeliveryResult.sent();
        } catch (SmsException e) {
            return new DeliveryResult.Failed(SmtpTransport.oneLine(e.getMessage()), e.retryable());
        } catch (RuntimeException e) {
            return DeliveryResult.retry("SMS gateway '" + smsGateway + "' failed: " + e.getClass().getSimpleName());
        }
    }

    private MessageRenderer.BrandView brand(String id) {
        List<Map.Entry<Map<String, Object>, Brand>> all = brands;
        Optional<Brand> found = Optional.empty();
        if (id != null) {
            found = all.stream().filter(e -> id.equals(e.getKey().get(Brand.ID))).sorted(bestFirst())
                    .map(Map.Entry::getValue).findFirst();
        }
        if (found.isEmpty()) {
            found = all.stream().filter(e -> defaultBrand.equals(e.getKey().get(Brand.ID))).sorted(bestFirst())
                    .map(Map.Entry::getValue).findFirst();
        }
        return found.map(b -> new MessageRenderer.BrandView(b.id(), b.displayName(), b.supportEmail(), b.primaryColour()))
                .orElse(FALLBACK_BRAND);
    }

    private Notifications.TemplateSources templates(String brandId) {
        List<Map.Entry<Map<String, Object>, MessageTemplates>> all = templateServices;
        List<MessageTemplates> own = new java.util.ArrayList<>(all.stream()
                .filter(e -> brandId.equals(e.getKey().get(Brand.ID))).sorted(bestFirst()).map(Map.Entry::getValue)
                .toList());
        // then the files of the brand's own bundle, as its page templates: brand/templates/notify/<channel>/...
        brands.stream().filter(e -> brandId.equals(e.getKey().get(Brand.ID))).sorted(bestFirst())
                .map(Map.Entry::getValue).findFirst().ifPresent(b -> own.add(brandFiles(b)));
        List<MessageTemplates> modules = all.stream().filter(e -> e.getKey().get(Brand.ID) == null)
                .sorted(bestFirst()).map(Map.Entry::getValue).toList();
        return new Notifications.TemplateSources(own, modules);
    }

    /**
     * A brand bundle's message templates kept next to its page templates, found through {@link Brand#template}:
     * {@code brand/templates/notify/<channel>/<key>.<language>.ftl}.
     */
    static MessageTemplates brandFiles(Brand brand) {
        return (channel, key, language) -> {
            if (!key.matches("[a-z0-9][a-z0-9.-]{0,99}") || !language.matches("[a-z]{2,3}")) {
                return Optional.empty();
            }
            java.net.URL url = brand.template("notify/" + channel.id() + "/" + key + "." + language + ".ftl");
            if (url == null) {
                return Optional.empty();
            }
            try (java.io.InputStream in = url.openStream()) {
                return Optional.of(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    /** Highest {@code service.ranking} first; on a tie the older service, as OSGi does. */
    private static <T> Comparator<Map.Entry<Map<String, Object>, T>> bestFirst() {
        return Comparator.comparingInt((Map.Entry<Map<String, Object>, T> e) ->
                e.getKey().get(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0).reversed()
                .thenComparingLong(e -> e.getKey().get(Constants.SERVICE_ID) instanceof Long l ? l : 0);
    }

    @Override
    public String name() {
        return "notify";
    }

    /**
     * Always healthy (a mail server or SMS gateway that is down must not take Cachet out of service: messages wait);
     * the detail says where messages go and, as {@code WARNING}, what an operator should look at: a configured
     * gateway that is not running, messages failed in the last 24 hours, a message pending for over an hour.
     */
    @Override
    public Health check() {
        String sms = smsMode.equals("outbox") ? "SMS kept in the outbox" : "SMS by gateway '" + smsGateway + "'";
        String where = (emailMode.equals("outbox") ? "e-mail kept in the outbox" : "e-mail by SMTP") + ", " + sms;
        try {
            java.time.Instant now = java.time.Instant.now();
            NotificationQueue.Backlog b = queue.backlog(now.minus(Duration.ofHours(24)));
            List<String> warnings = new java.util.ArrayList<>();
            if (smsMode.equals("gateway") && gateways.stream()
                    .noneMatch(e -> smsGateway.equals(String.valueOf(e.getKey().get(SmsGateway.ID))))) {
                warnings.add("SMS gateway '" + smsGateway + "' is not running");
            }
            if (b.failedSince() > 0) {
                warnings.add(b.failedSince() + " message(s) failed in the last 24 h");
            }
            if (b.oldestPending() != null && b.oldestPending().isBefore(now.minus(STUCK))) {
                warnings.add("a message has been pending since " + b.oldestPending());
            }
            return new Health(true, where + "; " + b.pending() + " pending" + (warnings.isEmpty() ? ""
                    : "; WARNING: " + String.join("; ", warnings)));
        } catch (RuntimeException e) {
            return new Health(true, where + "; the queue cannot be read now (see the database check)");
        }
    }

    @Deactivate
    void deactivate() {
        sender.close();
        if (smtp != null) {
            smtp.close();
        }
    }

    @Override
    public String send(Notification notification) {
        return notifications.send(notification);
    }

    @Override
    public Optional<NotificationRecord> find(String id) {
        return notifications.find(id);
    }

    @Override
    public Set<Channel> channels() {
        return notifications.channels();
    }

    @Override
    public List<NotificationRecord> list(Channel channel, int offset, int limit) {
        return notifications.list(channel, offset, limit);
    }

    @Override
    public long count(Channel channel) {
        return notifications.count(channel);
    }

    static Path dataDirectory(BundleContext context) {
        String data = context.getProperty("cachet.data");
        return Path.of(data == null || data.isBlank() ? "cachet-data" : data).toAbsolutePath();
    }

    /** {@code configured}, or {@code DATA/secrets/<name>} when empty. */
    static Path secretFile(String configured, Path data, String name) {
        return configured == null || configured.isBlank() ? data.resolve("secrets").resolve(name)
                : Path.of(configured.trim()).toAbsolutePath();
    }

    private static String nodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "node";
        }
        return host + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
