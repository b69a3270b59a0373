package io.cachet.identity.internal.evidence;

import io.cachet.api.identity.DocumentType;
import java.util.List;

/**
 * STUB (to be written by the evidence work): the catalogue of accepted identity documents, configurable.
 */
public final class DocumentCatalogue {

    private DocumentCatalogue() {
    }

    /**
     * The default catalogue: French CNI 2021 (TD1, back needed), French CNI 1994–2021 (FR-CNI, front only), passports
     * (TD3, any state), French titre de séjour (TD1, back), EU/EEA national identity cards (TD1, back; the EU/EEA
     * states' codes).
     */
    public static List<DocumentType> defaults() {
        throw new UnsupportedOperationException("stub");
    }

    /**
     * Parses configured entries, one per document type, in the syntax documented on the configuration property
     * (e.g. {@code fr-cni-2021; TD1; I,ID; FRA; back; fr=Carte nationale d'identité (depuis 2021); en=French identity card (since 2021)}).
     *
     * @throws IllegalArgumentException naming the entry and what is wrong
     */
    public static List<DocumentType> parse(String[] entries) {
        throw new UnsupportedOperationException("stub");
    }
}
