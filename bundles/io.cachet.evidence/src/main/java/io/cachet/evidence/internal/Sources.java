package io.cachet.evidence.internal;

/** Gathers what an order's evidence file holds, from the modules that have it. */
interface Sources {

    /**
     * @throws IllegalStateException when something that must be there cannot be read now (the order itself, its
     *         certificate): the evidence file is made later
     */
    Collected collect(String orderId);
}
