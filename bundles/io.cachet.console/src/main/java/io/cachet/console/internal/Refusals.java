package io.cachet.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import io.cachet.api.operator.Authentication;
import io.cachet.api.operator.OperatorException;
import io.cachet.api.web.Pages;

import jakarta.servlet.http.HttpServletRequest;

/**
 * A refusal of the operator directory in the page's language: worded from its code ({@code console.error.<code>})
 * when the console has words for that code, otherwise the directory's own English sentence (a code added later
 * still says something true).
 */
final class Refusals {

    static final String PREFIX = "console.error.";

    /** The codes the console words (both languages have the same keys; a test checks it). */
    static final Set<String> KEYS = keys();

    private Refusals() {
    }

    static String text(Pages pages, HttpServletRequest request, OperatorException e) {
        return text(pages, request, e.code(), e.args(), e.getMessage());
    }

    static String text(Pages pages, HttpServletRequest request, Authentication a) {
        List<String> args = a.status() == Authentication.Status.THROTTLED
                ? List.of(Long.toString(a.retryAfter().toSeconds())) : List.of();
        return text(pages, request, a.code(), args, a.message());
    }

    private static String text(Pages pages, HttpServletRequest request, String code, List<String> args,
            String english) {
        if (code == null || !KEYS.contains(PREFIX + code)) {
            return english;
        }
        return pages.message(request, ConsolePages.NAMESPACE, PREFIX + code, args.toArray());
    }

    static Properties messages(String language) {
        Properties p = new Properties();
        try (InputStream in = Refusals.class.getClassLoader()
                .getResourceAsStream("pages/" + ConsolePages.NAMESPACE + "/messages_" + language + ".properties")) {
            if (in != null) {
                p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    private static Set<String> keys() {
        return Set.copyOf(messages("en").stringPropertyNames());
    }
}
