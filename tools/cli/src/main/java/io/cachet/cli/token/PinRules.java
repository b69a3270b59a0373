package io.cachet.cli.token;

import java.util.Arrays;

/**
 * The holder's own PIN, checked before the token is touched: digits only, {@code minLength} to {@code maxLength}
 * long, not the initialisation PIN, not trivial (one digit repeated, or a run up or down such as 1234 or 9876), and
 * typed the same twice.
 */
public final class PinRules {

    public static final int DEFAULT_MIN = 4;
    public static final int DEFAULT_MAX = 16;

    private final int minLength;
    private final int maxLength;

    public PinRules(int minLength, int maxLength) {
        if (minLength < 4 || maxLength > 16 || minLength > maxLength) {
            throw new IllegalArgumentException("the PIN length must lie within 4 to 16 digits, not " + minLength
                    + " to " + maxLength);
        }
        this.minLength = minLength;
        this.maxLength = maxLength;
    }

    /**
     * @throws IllegalArgumentException saying which rule the new PIN breaks
     */
    public void check(char[] initPin, char[] newPin, char[] repeated) {
        if (!Arrays.equals(newPin, repeated)) {
            throw new IllegalArgumentException("the two new PINs differ: type the same new PIN twice");
        }
        for (char c : newPin) {
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("the new PIN must be digits only");
            }
        }
        if (newPin.length < minLength || newPin.length > maxLength) {
            throw new IllegalArgumentException("the new PIN must have " + minLength + " to " + maxLength
                    + " digits, not " + newPin.length);
        }
        if (Arrays.equals(newPin, initPin)) {
            throw new IllegalArgumentException("the new PIN must not be the initialisation PIN: choose your own");
        }
        if (trivial(newPin)) {
            throw new IllegalArgumentException("the new PIN is too easy to guess (one digit repeated, or digits"
                    + " counting up or down like 1234 or 9876): choose another");
        }
    }

    static boolean trivial(char[] pin) {
        boolean same = true;
        boolean up = true;
        boolean down = true;
        for (int i = 1; i < pin.length; i++) {
            int step = pin[i] - pin[i - 1];
            same &= step == 0;
            up &= step == 1;
            down &= step == -1;
        }
        return same || up || down;
    }
}
