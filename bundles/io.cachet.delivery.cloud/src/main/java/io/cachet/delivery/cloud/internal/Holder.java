package io.cachet.delivery.cloud.internal;

import java.util.Objects;

/**
 * A customer-space account: the Certificate Manager of one or more cloud orders, whose login is their e-mail address
 * (lower case). One account per e-mail address: a manager of several cloud orders sees all their seals.
 *
 * @param id the account's id (a UUID)
 * @param email the login, lower case
 * @param name the manager's name as the order gives it, for greetings
 * @param language {@code fr} or {@code en}, the language of the order that opened the account (e-mails)
 */
public record Holder(String id, String email, String name, String language) {
    public Holder {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
    }
}
