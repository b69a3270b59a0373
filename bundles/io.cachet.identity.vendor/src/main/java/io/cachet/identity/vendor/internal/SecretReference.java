package io.cachet.identity.vendor.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;

import io.cachet.api.security.SecretFiles;

/**
 * A secret named in configuration: {@code file:/path} (the file's first line, as {@link SecretFiles} reads it),
 * {@code env:NAME} (an environment variable), or else the value itself. Error messages name the reference, never the
 * secret.
 */
final class SecretReference {

    private SecretReference() {
    }

    /**
     * @param field the configuration field, for messages
     * @param env reads an environment variable (a seam: a JVM cannot set its own environment in tests)
     * @return the secret, or null when {@code reference} is empty and {@code required} is false
     * @throws IllegalArgumentException naming the field and what is wrong
     */
    static String resolve(String field, String reference, boolean required, UnaryOperator<String> env) {
        String r = reference == null ? "" : reference.strip();
        String secret;
        if (r.startsWith("file:")) {
            Path file = Path.of(r.substring(5));
            char[] chars = null;
            try {
                chars = SecretFiles.firstLine(file);
                secret = new String(chars);
            } catch (IOException e) {
                throw new IllegalArgumentException(field + ": cannot read the secret file " + file + " ("
                        + e.getClass().getSimpleName() + ")");
            } finally {
                if (chars != null) {
                    Arrays.fill(chars, '\0');
                }
            }
        } else if (r.startsWith("env:")) {
            secret = env.apply(r.substring(4));
            if (secret == null) {
                throw new IllegalArgumentException(field + ": the environment variable " + r.substring(4)
                        + " is not set");
            }
        } else {
            secret = r;
        }
        if (secret.isEmpty()) {
            if (required) {
                throw new IllegalArgumentException(field + " is required (file:/path, env:NAME)");
            }
            return null;
        }
        return secret;
    }
}
