package io.cachet.notify.internal;

import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.cachet.api.audit.AuditEvent;
import io.cachet.api.audit.AuditLog;
import io.cachet.api.notify.Channel;
import io.cachet.api.notify.MessageTemplates;
import io.cachet.api.notify.Notification;
import io.cachet.api.notify.NotificationException;
import io.cachet.api.notify.NotificationRecord;
import io.cachet.api.notify.NotificationStatus;
import io.cachet.api.notify.Notifier;
import io.cachet.api.notify.Outbox;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/**
 * {@link Notifier} and {@link Outbox} in plain Java: renders, checks the recipient, queues in the caller's
 * transaction with its audit record, and lets the sender know.
 */
public final class Notifications implements Notifier, Outbox {

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");
    private static final Pattern ID = Pattern.compile("[0-9a-f-]{36}");

    /** Templates known for a brand: its own, best first, and those of modules for every brand. */
    public record TemplateSources(List<MessageTemplates> brand, List<MessageTemplates> modules) {
    }

    private final MessageRenderer renderer;
    private final NotificationQueue queue;
    private final AuditLog audit;
    private final Function<String, MessageRenderer.BrandView> brands;
    private final Function<String, TemplateSources> templates;
    private final Supplier<Set<Channel>> outboxChannels;
    private final Runnable wake;
    private final Clock clock;

    /**
     * @param brands the brand for an id, or the deployment's for {@code null} (and for an unknown id)
     * @param templates the template sources for a brand id
     * @param outboxChannels the channels currently kept in the outbox
     * @param wake called after a message is queued
     */
    public Notifications(MessageRenderer renderer, NotificationQueue queue, AuditLog audit,
            Function<String, MessageRenderer.BrandView> brands, Function<String, TemplateSources> templates,
            Supplier<Set<Channel>> outboxChannels, Runnable wake, Clock clock) {
        this.renderer = renderer;
        this.queue = queue;
        this.audit = audit;
        this.brands = brands;
        this.templates = templates;
        this.outboxChannels = outboxChannels;
        this.wake = wake;
        this.clock = clock;
    }

    @Override
    public String send(Notification n) {
        String recipient = checkRecipient(n.channel(), n.recipient());
        if (n.idempotencyKey() != null && !IDEMPOTENCY_KEY.matcher(n.idempotencyKey()).matches()) {
            throw new NotificationException("idempotency key must be 1-200 printable ASCII characters without spaces");
        }
        MessageRenderer.BrandView brand = brands.apply(n.brand());
        TemplateSources sources = templates.apply(brand.id());
        MessageRenderer.Rendered r = renderer.render(n.channel(), n.template(), n.language(), brand, recipient,
                n.model(), sources.brand(), sources.modules());
        // the message and its audit record in one transaction (the caller's, if it has one): both commit or neither,
        // and no sender can take the message, and record its delivery, before its queuing is recorded
        NotificationQueue.Queued queued = queue.database().inTransaction(c -> {
            NotificationQueue.Queued q = queue.enqueue(new NotificationQueue.NewMessage(n.channel(), recipient,
                    n.template(), r.language(), brand.id(), r.subject(), r.body(), n.idempotencyKey()), clock.instant());
            if (q.created()) {
                audit.append(AuditEvent.of("system", "notify." + n.channel().id() + ".queued", "notification:" + q.id(),
                        "template=" + n.template() + "\nlanguage=" + r.language() + "\nbrand=" + brand.id()
                                + "\nrecipient=" + recipient));
            }
            return q;
        });
        if (queued.created()) {
            wake.run();
        }
        return queued.id();
    }

    static String checkRecipient(Channel channel, String recipient) {
        String r = recipient.strip();
        if (channel == Channel.SMS) {
            if (!E164.matcher(r).matches()) {
                throw new NotificationException("an SMS recipient must be a phone number in E.164 form such as"
                        + " +33612345678");
            }
            return r;
        }
        try {
            InternetAddress address = new InternetAddress(r, true);
            if (address.getPersonal() != null || address.isGroup() || !address.getAddress().contains("@")
                    || address.getAddress().length() > 254) {
                throw new AddressException("not a plain address");
            }
            return address.getAddress();
        } catch (AddressException e) {
            throw new NotificationException("an e-mail recipient must be one address such as alice@example.org");
        }
    }

    @Override
    public Optional<NotificationRecord> find(String id) {
        return id != null && ID.matcher(id).matches() ? queue.find(id) : Optional.empty();
    }

    @Override
    public Set<Channel> channels() {
        Set<Channel> c = outboxChannels.get();
        return c.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(c));
    }

    @Override
    public List<NotificationRecord> list(Channel channel, int offset, int limit) {
        if (offset < 0 || limit < 1 || limit > 500) {
            throw new IllegalArgumentException("offset must be 0 or more and limit 1-500");
        }
        return queue.list(NotificationStatus.OUTBOX, channel, offset, limit);
    }

    @Override
    public long count(Channel channel) {
        return queue.count(NotificationStatus.OUTBOX, channel);
    }
}
