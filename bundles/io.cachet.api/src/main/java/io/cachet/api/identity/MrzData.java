package io.cachet.api.identity;

import java.time.LocalDate;
import java.util.List;

/**
 * What a machine readable zone says, once every check digit has been verified (ICAO 9303; France's CNI before
 * 2021 too).
 *
 * @param format {@code TD1}, {@code TD2}, {@code TD3} or {@code FR-CNI} (the French identity card of 1994–2021,
 *        2 lines of 36)
 * @param documentCode the document code, e.g. {@code P}, {@code I}, {@code ID}, {@code IR}
 * @param issuingState ICAO code, e.g. {@code FRA}, {@code UTO}
 * @param documentNumber without filler
 * @param surname primary identifier, fillers as spaces
 * @param givenNames secondary identifiers, in order
 * @param nationality ICAO code (for {@code FR-CNI}: {@code FRA})
 * @param birthDate the full date (century chosen so that it lies in the past)
 * @param sex {@code M}, {@code F} or {@code X} (unspecified)
 * @param expiryDate the expiry date, or null when the zone has none ({@code FR-CNI}: see {@code issued})
 * @param issued the issue year and month of a {@code FR-CNI} (its validity follows from it), or null
 */
public record MrzData(String format, String documentCode, String issuingState, String documentNumber, String surname,
        List<String> givenNames, String nationality, LocalDate birthDate, String sex, LocalDate expiryDate,
        java.time.YearMonth issued) {

    public MrzData {
        givenNames = givenNames == null ? List.of() : List.copyOf(givenNames);
    }
}
