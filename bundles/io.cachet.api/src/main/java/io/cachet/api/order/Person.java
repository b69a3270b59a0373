package io.cachet.api.order;

import java.time.LocalDate;

/**
 * A natural person named by an order (the Certificate Manager or the Legal Representative), as validated: names
 * stripped, e-mail as given (compared ignoring case), mobile number in E.164 ({@code +33612345678}).
 */
public record Person(String givenNames, String surname, LocalDate birthDate, String email, String mobile) {

    /** @return given names and surname, as shown to people */
    public String fullName() {
        return givenNames + " " + surname;
    }
}
