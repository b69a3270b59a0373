package io.cachet.api.identity;

/** The images a person provides. */
public enum EvidenceKind {
    DOCUMENT_FRONT, DOCUMENT_BACK, SELFIE;

    /** @return e.g. {@code document-front}, for URLs and message keys */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** @return the kind of {@link #id()} {@code id}, or null */
    public static EvidenceKind of(String id) {
        for (EvidenceKind k : values()) {
            if (k.id().equals(id)) {
                return k;
            }
        }
        return null;
    }
}
