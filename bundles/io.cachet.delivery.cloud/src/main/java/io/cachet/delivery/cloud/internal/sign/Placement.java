package io.cachet.delivery.cloud.internal.sign;

/**
 * Where the visible seal goes: a box on page {@code page} (1 for the first), {@code x} and {@code y} points from the
 * top left corner of the page as a viewer shows it, {@code width} by {@code height} points.
 */
public record Placement(int page, float x, float y, float width, float height) {

    /** The box's default size, in points. */
    public static final float WIDTH = 180;
    public static final float HEIGHT = 60;

    /** A default-sized box whose top left corner is at {@code x}, {@code y}. */
    public static Placement at(int page, float x, float y) {
        return new Placement(page, x, y, WIDTH, HEIGHT);
    }
}
