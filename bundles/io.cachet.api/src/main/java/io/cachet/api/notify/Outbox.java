package io.cachet.api.notify;

import java.util.List;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The outbox: where the embedded default keeps the messages of every channel configured to use it instead of
 * sending them, so that an operator can read them (and forward them by hand). Thread-safe.
 */
@ProviderType
public interface Outbox {

    /** The channels currently delivered to the outbox; empty when every channel has a real transport. */
    Set<Channel> channels();

    /**
     * Messages in the outbox, newest first.
     *
     * @param channel only this channel, or {@code null} for all
     * @param offset how many of the newest to skip, 0 or more
     * @param limit at most this many, 1 to 500
     */
    List<NotificationRecord> list(Channel channel, int offset, int limit);

    /** How many messages the outbox holds for {@code channel} ({@code null} = all). */
    long count(Channel channel);
}
