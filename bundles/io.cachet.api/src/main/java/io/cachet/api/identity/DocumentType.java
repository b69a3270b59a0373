package io.cachet.api.identity;

import java.util.Map;
import java.util.Set;

/**
 * An identity document the service accepts, from the identity service's configurable catalogue (shown on the
 * public page of accepted documents, offered in the proofing flow).
 *
 * @param id stable id, e.g. {@code fr-cni-2021}, {@code fr-cni-1994}, {@code passport}, {@code fr-titre-sejour},
 *        {@code eu-id-card}
 * @param mrzFormat the zone it carries: {@code TD1}, {@code TD2}, {@code TD3} or {@code FR-CNI}
 * @param documentCodes accepted first characters of the MRZ's document code, e.g. {@code P} or {@code I}, {@code ID}
 * @param issuingStates ICAO codes of the states whose documents of this type are accepted; empty for any
 * @param needsBack whether the back side must be photographed too (where a TD1 card's zone is)
 * @param names the type's name by language ({@code fr}, {@code en})
 */
public record DocumentType(String id, String mrzFormat, Set<String> documentCodes, Set<String> issuingStates,
        boolean needsBack, Map<String, String> names) {

    public DocumentType {
        documentCodes = Set.copyOf(documentCodes);
        issuingStates = Set.copyOf(issuingStates);
        names = Map.copyOf(names);
    }

    /** @return the name in {@code language}, else French */
    public String name(String language) {
        return names.getOrDefault(language, names.getOrDefault("fr", id));
    }
}
