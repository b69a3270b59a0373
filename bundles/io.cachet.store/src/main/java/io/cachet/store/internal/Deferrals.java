package io.cachet.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import io.cachet.api.store.CommitFlush;

/**
 * The items deferred to one transaction's commit ({@link io.cachet.api.store.Database#deferToCommit}), grouped by
 * flush in the order each flush was first used. Not thread-safe: one transaction's thread (or, for a shared
 * transaction, whoever holds its turn) uses it.
 */
final class Deferrals {

    // made at the first item: most transactions defer nothing, and every transaction has a Deferrals
    private Map<CommitFlush<?>, List<Object>> items;
    private List<CommitFlush<?>> order;

    void add(CommitFlush<?> flush, Object item) {
        if (items == null) {
            items = new IdentityHashMap<>(4);
            order = new ArrayList<>(2);
        }
        items.computeIfAbsent(flush, f -> {
            order.add(f);
            return new ArrayList<>();
        }).add(item);
    }

    /** Takes over {@code other}'s items, after this one's (a shared work that succeeded). */
    void addAll(Deferrals other) {
        if (other.items == null) {
            return;
        }
        for (CommitFlush<?> flush : other.order) {
            for (Object item : other.items.get(flush)) {
                add(flush, item);
            }
        }
    }

    /** Runs every flush once, in the order of first use, then forgets the items. */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    void flush(Connection connection) throws SQLException {
        if (items == null) {
            return;
        }
        try {
            for (CommitFlush flush : order) {
                flush.flush(connection, List.copyOf(items.get(flush)));
            }
        } finally {
            items = null;
            order = null;
        }
    }
}
