package io.cachet.cli.token;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import io.cachet.api.token.Token;
import io.cachet.api.token.TokenDriver;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenInfo;

/**
 * {@code token activate}: the holder replaces the initialisation PIN with their own, on the token; the provider
 * never sees the new PIN.
 */
public final class Activation {

    /** The token refused the initialisation PIN, or is locked: what to tell the holder. */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private Activation() {
    }

    /** The initialised token to activate: the only one, or the one labelled {@code label}. */
    public static TokenInfo choose(List<TokenInfo> tokens, String label, String library) {
        List<TokenInfo> initialised = tokens.stream().filter(t -> t.has(TokenInfo.Flag.INITIALIZED)).toList();
        if (initialised.isEmpty()) {
            throw new IllegalArgumentException("no initialised token is plugged in (module " + library + "): plug in"
                    + " the token you received");
        }
        List<TokenInfo> matching = label == null ? initialised
                : initialised.stream().filter(t -> t.label().equals(label.strip())).toList();
        if (matching.isEmpty()) {
            throw new IllegalArgumentException("no token labelled '" + label + "'; plugged in: " + list(initialised));
        }
        if (matching.size() > 1) {
            throw new IllegalArgumentException("several tokens are plugged in (" + list(matching) + "): name yours"
                    + " with --token LABEL");
        }
        return matching.get(0);
    }

    /** One line about the token: label, serial, model and the tries left where the token tells. */
    public static String describe(TokenInfo t) {
        StringBuilder b = new StringBuilder("token '").append(t.label()).append("', serial ").append(t.serial())
                .append(" (").append((t.manufacturer() + " " + t.model()).strip()).append("): ");
        if (t.has(TokenInfo.Flag.USER_PIN_LOCKED)) {
            return b.append("LOCKED").toString();
        }
        if (t.userPinTriesLeft().isPresent()) {
            b.append(t.userPinTriesLeft().getAsInt()).append(" PIN tries left");
        } else if (t.has(TokenInfo.Flag.USER_PIN_FINAL_TRY)) {
            b.append("one PIN try left");
        } else {
            b.append("it does not report how many PIN tries are left");
            if (t.has(TokenInfo.Flag.USER_PIN_COUNT_LOW)) {
                b.append(" (a wrong PIN was typed before)");
            }
        }
        if (t.has(TokenInfo.Flag.USER_PIN_TO_BE_CHANGED)) {
            b.append("; its PIN must be changed now");
        }
        return b.toString();
    }

    /**
     * Logs in with the initialisation PIN and replaces it with {@code newPin} (already checked with
     * {@link PinRules}). The caller wipes both arrays.
     *
     * @throws Refused for a wrong initialisation PIN (with the tries left where the token tells) or a locked token
     */
    public static void changePin(TokenDriver driver, TokenInfo info, char[] initPin, char[] newPin) {
        if (info.has(TokenInfo.Flag.USER_PIN_LOCKED)) {
            throw locked(null);
        }
        try (Token token = driver.login(info.serial(), initPin)) {
            token.changePin(initPin, newPin);
        } catch (TokenException e) {
            switch (e.reason()) {
                case WRONG_PIN -> throw new Refused("the initialisation PIN is wrong: " + (e.triesLeft().isPresent()
                        ? e.triesLeft().getAsInt() + " tries left before the token locks for good"
                        : "this token does not say how many tries are left") + "; nothing was changed", e);
                case PIN_LOCKED -> throw locked(e);
                case PIN_INVALID -> throw new Refused("the token refused the new PIN: " + e.getMessage(), e);
                default -> throw e;
            }
        }
    }

    private static Refused locked(Throwable cause) {
        return new Refused("the token is locked (too many wrong PINs). Contact support: no unblock exists for this"
                + " token, a new one will be provisioned", cause);
    }

    private static String list(List<TokenInfo> tokens) {
        return tokens.stream().map(t -> "'" + t.label() + "' serial " + t.serial()).collect(Collectors.joining(", "));
    }

    static void wipe(char[]... secrets) {
        for (char[] s : secrets) {
            if (s != null) {
                Arrays.fill(s, '\0');
            }
        }
    }
}
