package io.cachet.api.notify;

import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A brand's own message templates, overriding Cachet's. Register an implementation as a service with the property
 * {@link io.cachet.api.brand.Brand#ID} set to the brand it belongs to (a reseller's brand bundle does this next to
 * its {@link io.cachet.api.brand.Brand}). For each message the notifier asks the brand's templates first and falls
 * back to Cachet's built-in ones, so a brand overrides only what it wants to.
 *
 * <p>A service without {@code brand.id} contributes templates for every brand (a module shipping the messages it
 * sends); the order is: the brand's, then such modules', then Cachet's built-in ones.
 *
 * <p>A template is <a href="https://freemarker.apache.org/">FreeMarker</a> text. An e-mail template starts with its
 * subject line, {@code Subject: ...}, then an empty line, then the body; an SMS template is the text only. Templates
 * see the notification's model, {@code brand} and {@code recipient}; they cannot create objects or call Java.
 * Implementations are thread-safe.
 */
@ConsumerType
public interface MessageTemplates {

    /**
     * The source of the template {@code key} for {@code channel} in {@code language}, if this brand has one.
     *
     * @param language an ISO 639-1 code; the notifier asks for the requested language first, then {@code en}
     */
    Optional<String> template(Channel channel, String key, String language);

    /**
     * Templates kept as resources {@code <folder>/<channel>/<key>.<language>.ftl} (UTF-8) of a bundle, e.g.
     * {@code notify/templates/email/order.accepted.fr.ftl}: what a brand bundle or a module registers, with its own
     * class loader.
     */
    static MessageTemplates fromResources(ClassLoader loader, String folder) {
        java.util.Objects.requireNonNull(loader, "loader");
        String base = folder.endsWith("/") ? folder : folder + "/";
        return (channel, key, language) -> {
            if (!key.matches("[a-z0-9][a-z0-9.-]{0,99}") || !language.matches("[a-z]{2,3}")) {
                return Optional.empty(); // never a path out of the folder
            }
            try (java.io.InputStream in = loader.getResourceAsStream(base + channel.id() + "/" + key + "." + language
                    + ".ftl")) {
                return in == null ? Optional.empty()
                        : Optional.of(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }
}
