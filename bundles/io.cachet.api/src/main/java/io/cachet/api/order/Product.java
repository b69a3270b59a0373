package io.cachet.api.order;

import java.util.List;
import java.util.Map;

/**
 * A product of the catalogue (configurable by operators).
 *
 * @param id e.g. {@code enterprise-plus}
 * @param names the name shown to customers, by language ({@code fr}, {@code en})
 * @param validityYears the validities offered, e.g. 1, 2, 3
 * @param media the media offered
 * @param prices the prices shown, one per validity and medium (may be empty: no price shown)
 */
public record Product(String id, Map<String, String> names, List<Integer> validityYears, List<Medium> media,
        List<Price> prices) {
    public Product {
        names = Map.copyOf(names);
        validityYears = List.copyOf(validityYears);
        media = List.copyOf(media);
        prices = List.copyOf(prices);
    }
}
