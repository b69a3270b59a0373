package io.cachet.delivery.mail.internal;

import java.util.Arrays;
import java.util.List;

/**
 * The registered mail's configuration, validated.
 *
 * @param senderName the sender when the brand names none; empty: the brand's name
 * @param senderAddress the sender's address lines when the brand gives none
 * @param maxReceiptBytes largest receipt scan accepted
 * @param pollMinutes how often a carrier is asked about a letter sent
 * @param jobSeconds how often the job looks for letters due for polling
 * @param defaultCarrier the carrier id given to new shipments
 */
record MailSettings(String senderName, List<String> senderAddress, long maxReceiptBytes, int pollMinutes,
        int jobSeconds, String defaultCarrier) {

    static final MailSettings DEFAULTS = new MailSettings("", List.of(), 5L * 1024 * 1024, 60, 60,
            ManualCarrier.ID);

    MailSettings {
        senderName = senderName == null ? "" : senderName.strip();
        senderAddress = senderAddress == null ? List.of()
                : senderAddress.stream().filter(l -> l != null && !l.isBlank()).map(String::strip).toList();
        if (senderAddress.size() > 6) {
            throw new IllegalArgumentException("The sender address has at most 6 lines");
        }
        if (maxReceiptBytes < 1024 || maxReceiptBytes > 50L * 1024 * 1024) {
            throw new IllegalArgumentException("The receipt size limit must be 1 KiB to 50 MiB");
        }
        if (pollMinutes < 1 || jobSeconds < 1) {
            throw new IllegalArgumentException("Intervals must be positive");
        }
        defaultCarrier = defaultCarrier == null || defaultCarrier.isBlank() ? ManualCarrier.ID
                : defaultCarrier.strip().toLowerCase(java.util.Locale.ROOT);
        if (!defaultCarrier.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
            throw new IllegalArgumentException("The carrier id must be lower-case letters, digits, '-' or '_': "
                    + defaultCarrier);
        }
    }

    static MailSettings of(MailConfiguration c) {
        return new MailSettings(c.senderName(), c.senderAddress() == null ? List.of()
                : Arrays.asList(c.senderAddress()), c.maxReceiptBytes(), c.pollMinutes(), c.jobSeconds(),
                c.defaultCarrier());
    }
}
