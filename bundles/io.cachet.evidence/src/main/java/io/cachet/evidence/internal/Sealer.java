package io.cachet.evidence.internal;

import java.nio.file.Path;
import java.util.List;
import java.security.cert.X509Certificate;

/** Seals evidence files with the platform's seal. */
interface Sealer {

    /** Seals {@code input} at PAdES-LTA into {@code output}. */
    void seal(Path input, Path output);

    /** Adds an archive time-stamp to the sealed {@code input} (LTA augmentation), into {@code output}. */
    void extend(Path input, Path output);

    /** What a validator should trust for the platform's seals. */
    List<X509Certificate> trustAnchors();
}
