package io.cachet.api.notify;

import java.util.Map;
import java.util.Objects;

/**
 * A message to send: which template, in which language and brand, to whom, with what values.
 *
 * @param channel e-mail or SMS
 * @param recipient an e-mail address for {@link Channel#EMAIL}, an E.164 number ({@code +33612345678}) for
 *        {@link Channel#SMS}
 * @param template the template key, lower case letters, digits, {@code -} and {@code .}, e.g. {@code order.accepted}
 * @param language the language, an ISO 639-1 code such as {@code fr} or {@code en}; a language without a template
 *        falls back to {@code en}
 * @param brand the {@code brand.id} whose templates and name to use; {@code null} = the deployment's brand
 * @param model the values the template refers to (strings, numbers, booleans, dates, lists and maps of those); the
 *        template also sees {@code brand} (its {@code id}, {@code displayName}, {@code supportEmail},
 *        {@code primaryColour}) and {@code recipient}
 * @param idempotencyKey {@code null}, or a key unique to this message in the caller's domain (e.g.
 *        {@code order:42:accepted}): sending again with the same key queues nothing and returns the first id
 */
public record Notification(Channel channel, String recipient, String template, String language, String brand,
        Map<String, ?> model, String idempotencyKey) {

    public Notification {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(template, "template");
        language = language == null || language.isBlank() ? "en" : language;
        model = model == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(model));
    }

    /** An e-mail to {@code address} from {@code template} in {@code language}, for the deployment's brand. */
    public static Notification email(String address, String template, String language, Map<String, ?> model) {
        return new Notification(Channel.EMAIL, address, template, language, null, model, null);
    }

    /** An SMS to {@code phone} (E.164) from {@code template} in {@code language}, for the deployment's brand. */
    public static Notification sms(String phone, String template, String language, Map<String, ?> model) {
        return new Notification(Channel.SMS, phone, template, language, null, model, null);
    }

    /** This notification for the brand {@code brandId}. */
    public Notification withBrand(String brandId) {
        return new Notification(channel, recipient, template, language, brandId, model, idempotencyKey);
    }

    /** This notification, queued at most once for {@code key}. */
    public Notification withIdempotencyKey(String key) {
        return new Notification(channel, recipient, template, language, brand, model, key);
    }
}
