package io.cachet.acceptance.internal;

import java.util.List;

/** Seals the acceptance form once more (an incremental PAdES-B-LT signature with a visible box). */
interface Sealer {

    /**
     * @param pdf the form with the signatures made so far
     * @param box the person's box on the last page (0: the first person, 1: the second)
     * @param lines what the box shows
     * @return the form with one more signature
     * @throws RuntimeException when the platform cannot seal now (its key, time-stamp authority, revocation data)
     */
    byte[] seal(byte[] pdf, int box, List<String> lines);
}
