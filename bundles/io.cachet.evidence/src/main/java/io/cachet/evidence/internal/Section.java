package io.cachet.evidence.internal;

/**
 * One attachment of an evidence file.
 *
 * @param name its file name inside the PDF, e.g. {@code order.json}
 * @param description one line for the cover page
 * @param mediaType e.g. {@code application/json}
 * @param content its bytes
 */
record Section(String name, String description, String mediaType, byte[] content) {
}
