package io.cachet.signature.api;

import java.nio.file.Path;

/**
 * The visible appearance of a PAdES signature: a box on a page with the organisation's name, the signing date and,
 * optionally, a logo on its left.
 *
 * @param page page number, 1 for the first; {@code -1} for the last page
 * @param x distance of the box from the left edge of the page, in points (1/72 inch)
 * @param y distance of the box from the top edge of the page, in points
 * @param width width of the box in points
 * @param height height of the box in points
 * @param organisation the name shown; {@code null} takes the organisation (O) of the signing certificate
 * @param showDate whether the signing date and time (UTC) are shown under the name
 * @param logo a PNG or JPEG image shown on the left of the text; {@code null} for none
 */
public record VisibleSignature(int page, float x, float y, float width, float height, String organisation,
        boolean showDate, Path logo) {

    /** A 200 x 60 point box at the bottom left of the last page, with the certificate's organisation and the date. */
    public static VisibleSignature defaults() {
        return new VisibleSignature(-1, 36, 730, 200, 60, null, true, null);
    }

    public VisibleSignature at(int page, float x, float y) {
        return new VisibleSignature(page, x, y, width, height, organisation, showDate, logo);
    }

    public VisibleSignature withSize(float width, float height) {
        return new VisibleSignature(page, x, y, width, height, organisation, showDate, logo);
    }

    public VisibleSignature withOrganisation(String organisation) {
        return new VisibleSignature(page, x, y, width, height, organisation, showDate, logo);
    }

    public VisibleSignature withLogo(Path logo) {
        return new VisibleSignature(page, x, y, width, height, organisation, showDate, logo);
    }

    public VisibleSignature withDate(boolean showDate) {
        return new VisibleSignature(page, x, y, width, height, organisation, showDate, logo);
    }
}
