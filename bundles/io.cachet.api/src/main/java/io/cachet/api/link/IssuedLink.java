package io.cachet.api.link;

/**
 * A link just made: the only time its token exists outside the person's mailbox.
 *
 * @param token the secret part of the URL (≥ 128 random bits, URL-safe); Cachet keeps only its hash
 * @param url the absolute URL to send, built from the configured public base URL
 */
public record IssuedLink(PersonalLink link, String token, String url) {
}
