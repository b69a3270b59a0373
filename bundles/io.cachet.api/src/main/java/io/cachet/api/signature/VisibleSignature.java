package io.cachet.api.signature;

import java.nio.file.Path;
import java.util.List;

/**
 * The visible appearance of a PAdES signature: a box on a page with the organisation's name, the signing date and,
 * optionally, a logo on its left. Positions are measured in the page as a viewer shows it: inside its visible area
 * (the CropBox) and turned by its rotation (/Rotate), so "left" and "top" are what the reader sees as such. A box
 * that does not fit in the visible area is refused.
 *
 * @param page page number, 1 for the first; {@code -1} for the last page
 * @param x distance of the box from the left edge of the visible page, in points (1/72 inch)
 * @param y distance of the box from the top edge of the visible page (from the bottom edge when
 *        {@code fromBottom}), in points
 * @param width width of the box in points
 * @param height height of the box in points
 * @param organisation the name shown; {@code null} takes the organisation (O) of the signing certificate
 * @param showDate whether the signing date and time (UTC) are shown under the name
 * @param logo a PNG or JPEG image shown on the left of the text; {@code null} for none
 * @param fromBottom whether {@code y} is measured from the bottom edge of the visible page to the box's bottom edge
 * @param text the lines shown in the box instead of the default text (name and date); empty for the default text
 *        (since 1.1)
 */
public record VisibleSignature(int page, float x, float y, float width, float height, String organisation,
        boolean showDate, Path logo, boolean fromBottom, List<String> text) {

    public VisibleSignature {
        text = text == null ? List.of() : List.copyOf(text);
    }

    /** A box without text lines of its own (the 1.0 form with {@code fromBottom}). */
    public VisibleSignature(int page, float x, float y, float width, float height, String organisation,
            boolean showDate, Path logo, boolean fromBottom) {
        this(page, x, y, width, height, organisation, showDate, logo, fromBottom, List.of());
    }

    /** A box placed from the top left of the visible page (the 1.0 form). */
    public VisibleSignature(int page, float x, float y, float width, float height, String organisation,
            boolean showDate, Path logo) {
        this(page, x, y, width, height, organisation, showDate, logo, false, List.of());
    }

    /**
     * A 200 x 60 point box 36 points from the bottom left corner of the last page as it is shown (whatever its
     * size, crop box and rotation), with the certificate's organisation and the date.
     */
    public static VisibleSignature defaults() {
        return new VisibleSignature(-1, 36, 36, 200, 60, null, true, null, true, List.of());
    }

    /** The box at {@code x}, {@code y} from the top left of the visible page {@code page}. */
    public VisibleSignature at(int page, float x, float y) {
        return new VisibleSignature(page, x, y, width, height, organisation, showDate, logo, false, text);
    }

    public VisibleSignature withSize(float width, float height) {
        return new VisibleSignature(page, x, y, width, height, organisation, showDate, logo, fromBottom, text);
    }

    public VisibleSignature withOrganisation(String organisation) {
        return new VisibleSignature(page, x, y, width, height, organisation, showDate, logo, fromBottom, text);
    }

    public VisibleSignature withLogo(Path logo) {
        return new VisibleSignature(page, x, y, width, height, organisation, showDate, logo, fromBottom, text);
    }

    public VisibleSignature withDate(boolean showDate) {
        return new VisibleSignature(page, x, y, width, height, organisation, showDate, logo, fromBottom, text);
    }

    /**
     * The box shows these lines, top to bottom, instead of the organisation's name and the date (e.g. a person's
     * name, "accepted by SMS code to +33 6 •• •• •• 12", the time); lines too long for the box are wrapped, the
     * font shrinks so that the text fits. An empty list restores the default text.
     *
     * @since 1.1
     */
    public VisibleSignature withText(List<String> lines) {
        return new VisibleSignature(page, x, y, width, height, organisation, showDate, logo, fromBottom, lines);
    }
}
