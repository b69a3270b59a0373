package io.cachet.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import io.cachet.api.security.SecretFiles;

/** PINs and passwords for the command line: from a file, or asked on the terminal without echo. */
final class Secrets {

    private Secrets() {
    }

    /**
     * The secret in {@code file} (its first line, without the line end), or, when {@code file} is {@code null}, the
     * one typed at the terminal after {@code prompt}. The caller wipes the array.
     *
     * @throws IllegalArgumentException when the file cannot be read or is empty, or there is no terminal to ask
     */
    static char[] read(Path file, String prompt) {
        return read(file, prompt, "--pin-file");
    }

    /** {@link #read(Path, String)}, naming {@code option} as the way to give the secret in a file. */
    static char[] read(Path file, String prompt, String option) {
        if (file == null) {
            Console console = System.console();
            if (console == null) {
                throw new IllegalArgumentException("no terminal to ask for the " + prompt
                        + ": give it in a file with " + option + " FILE");
            }
            char[] typed = console.readPassword("%s: ", prompt);
            if (typed == null || typed.length == 0) {
                throw new IllegalArgumentException("no " + prompt + " given");
            }
            return typed;
        }
        char[] secret;
        try {
            secret = SecretFiles.firstLine(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + file + " (" + option + ", the " + prompt + ")");
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the file " + file + " (" + option + ") is not UTF-8 text");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + " (" + option + "): " + e.getMessage());
        }
        if (secret.length == 0) {
            throw new IllegalArgumentException("the file " + file + " (" + option + ") is empty: its first line is the "
                    + prompt);
        }
        return secret;
    }
}
