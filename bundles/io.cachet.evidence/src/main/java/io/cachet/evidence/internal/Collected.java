package io.cachet.evidence.internal;

import java.util.List;

/**
 * What was gathered for an order's evidence file.
 *
 * @param title the cover page's heading lines (order, organisation)
 * @param sections the attachments, in the cover page's order
 * @param missing what could not be included, one line each saying why
 */
record Collected(List<String> title, List<Section> sections, List<String> missing) {
    Collected {
        title = List.copyOf(title);
        sections = List.copyOf(sections);
        missing = List.copyOf(missing);
    }
}
