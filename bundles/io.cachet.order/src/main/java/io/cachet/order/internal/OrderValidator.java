package io.cachet.order.internal;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import io.cachet.api.order.Delivery;
import io.cachet.api.order.FieldError;
import io.cachet.api.order.OrderRequest;
import io.cachet.api.order.Organisation;
import io.cachet.api.order.Person;
import io.cachet.api.order.PostalAddress;
import io.cachet.api.order.Product;

/**
 * The order's validation, the same for the API and the web form: every error names its field by its JSON path.
 * Plain Java; thread-safe. {@link #check} also gives the request in its stored form: values stripped, country
 * codes and VAT upper case, identifiers without spaces, mobiles in E.164, no delivery for {@code cloud} (a
 * delivery sent with a cloud order is ignored).
 */
final class OrderValidator {

    static final int MAX_NAME = 100;
    static final int MAX_ORGANISATION_NAME = 200;
    static final int MAX_LINE = 100;
    static final int MAX_EMAIL = 254;
    static final int ADULT = 18;
    static final int OLDEST = 120;

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    /**
     * E-mail syntax: a reasonable subset of RFC 5322 (dot-atom local part, host names with at least one dot), not
     * the whole grammar (no quoted local parts, comments or IP literals): what real mailboxes use.
     */
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
            + "@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}");
    /** Letters (any script), spaces, apostrophes, hyphens and dots: no digits, no control characters. */
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{M}][\\p{L}\\p{M} .'’-]*");
    /** Postal code formats of the countries Cachet ships to most; others: 2 to 10 letters, digits, spaces, '-'. */
    private static final Map<String, Pattern> POSTAL_CODES = Map.ofEntries(
            Map.entry("FR", Pattern.compile("\\d{5}")),
            Map.entry("MC", Pattern.compile("980\\d{2}")),
            Map.entry("DE", Pattern.compile("\\d{5}")),
            Map.entry("ES", Pattern.compile("\\d{5}")),
            Map.entry("IT", Pattern.compile("\\d{5}")),
            Map.entry("BE", Pattern.compile("\\d{4}")),
            Map.entry("LU", Pattern.compile("\\d{4}")),
            Map.entry("CH", Pattern.compile("\\d{4}")),
            Map.entry("AT", Pattern.compile("\\d{4}")),
            Map.entry("NL", Pattern.compile("\\d{4} ?[A-Z]{2}")),
            Map.entry("PT", Pattern.compile("\\d{4}-\\d{3}")));
    private static final Pattern POSTAL_CODE = Pattern.compile("[A-Z0-9][A-Z0-9 -]{0,8}[A-Z0-9]");
    private static final Pattern FOREIGN_IDENTIFIER = Pattern.compile("[A-Z0-9][A-Z0-9./-]{1,29}");
    private static final Pattern FOREIGN_VAT = Pattern.compile("[A-Z0-9]{4,20}");

    private final Supplier<List<Product>> catalogue;
    private final Clock clock;

    OrderValidator(Supplier<List<Product>> catalogue, Clock clock) {
        this.catalogue = catalogue;
        this.clock = clock;
    }

    /** The request normalised, and what is wrong with it (empty when valid). */
    record Result(OrderRequest request, List<FieldError> errors) {
        boolean valid() {
            return errors.isEmpty();
        }
    }

    Result check(OrderRequest r) {
        List<FieldError> errors = new ArrayList<>();
        String product = strip(r.product());
        Optional<Product> offered = Optional.empty();
        if (product == null) {
            errors.add(required("product"));
        } else {
            offered = catalogue.get().stream().filter(p -> p.id().equals(product)).findFirst();
            if (offered.isEmpty()) {
                errors.add(new FieldError("product", "unknown-product", "No product '" + product
                        + "' in the catalogue (GET /api/v1/catalogue lists them)."));
            }
        }
        if (r.validityYears() == 0) {
            errors.add(required("validityYears"));
        } else if (offered.isPresent() && !offered.get().validityYears().contains(r.validityYears())) {
            errors.add(new FieldError("validityYears", "not-offered", "The validity must be one of "
                    + offered.get().validityYears() + " years."));
        }
        if (r.medium() == null) {
            errors.add(required("medium"));
        } else if (offered.isPresent() && !offered.get().media().contains(r.medium())) {
            errors.add(new FieldError("medium", "not-offered", "This product is not offered on " + r.medium().id() + "."));
        }
        Organisation org = organisation(r.organisation(), errors);
        String region = org == null || org.country() == null ? "FR" : org.country();
        Person manager = person(r.certificateManager(), "certificateManager", region, errors);
        Person legal = null;
        if (r.legalRepresentative() != null) {
            legal = person(r.legalRepresentative(), "legalRepresentative", region, errors);
            samePersonOtherBirthDate(manager, legal, errors);
        }
        Delivery delivery = null;
        if (r.medium() != null && r.medium().token()) {
            delivery = delivery(r.delivery(), errors);
        }
        return new Result(new OrderRequest(product, r.validityYears(), r.medium(), manager, legal, org, delivery),
                List.copyOf(errors));
    }

    /**
     * A legal representative described as another person but with the certificate manager's names and e-mail is
     * the same person given twice: with another birth date one of the two is wrong.
     */
    private static void samePersonOtherBirthDate(Person manager, Person legal, List<FieldError> errors) {
        if (manager == null || legal == null || manager.birthDate() == null || legal.birthDate() == null) {
            return;
        }
        boolean samePerson = OrderJson.sameText(manager.givenNames(), legal.givenNames())
                && OrderJson.sameText(manager.surname(), legal.surname())
                && OrderJson.sameText(manager.email(), legal.email());
        if (samePerson && !manager.birthDate().equals(legal.birthDate())) {
            errors.add(new FieldError("legalRepresentative.birthDate", "differs-from-manager", "The legal"
                    + " representative has the certificate manager's names and e-mail but another birth date: if they"
                    + " are one person, send {\"sameAsCertificateManager\": true}; otherwise correct the birth date."));
        }
    }

    private Person person(Person p, String path, String region, List<FieldError> errors) {
        if (p == null) {
            errors.add(new FieldError(path, "required", path + " is required."));
            return null;
        }
        String given = name(p.givenNames(), path + ".givenNames", MAX_NAME, errors);
        String surname = name(p.surname(), path + ".surname", MAX_NAME, errors);
        LocalDate birth = p.birthDate();
        if (birth == null) {
            errors.add(required(path + ".birthDate"));
        } else {
            LocalDate today = LocalDate.now(clock);
            if (birth.isAfter(today.minusYears(ADULT))) {
                errors.add(new FieldError(path + ".birthDate", "too-young",
                        "The person must be an adult (" + ADULT + " or older)."));
            } else if (birth.isBefore(today.minusYears(OLDEST))) {
                errors.add(new FieldError(path + ".birthDate", "implausible",
                        "The birth date is more than " + OLDEST + " years ago; check the year."));
            }
        }
        String email = strip(p.email());
        if (email == null) {
            errors.add(required(path + ".email"));
        } else if (email.length() > MAX_EMAIL || email.indexOf('@') > 64 || !EMAIL.matcher(email).matches()) {
            errors.add(new FieldError(path + ".email", "invalid", "This is not an e-mail address (name@example.org)."));
        }
        String mobile = mobile(p.mobile(), path + ".mobile", region, errors);
        return new Person(given, surname, birth, email, mobile);
    }

    /** The number in E.164 when it is a mobile (or a number that may be one); else null and an error. */
    static String mobile(String value, String field, String region, List<FieldError> errors) {
        String s = strip(value);
        if (s == null) {
            errors.add(required(field));
            return null;
        }
        PhoneNumber number;
        try {
            number = PHONES.parse(s, region);
        } catch (NumberParseException e) {
            errors.add(new FieldError(field, "invalid", "This is not a phone number; write it in international form,"
                    + " e.g. +33612345678."));
            return null;
        }
        if (!PHONES.isValidNumber(number)) {
            errors.add(new FieldError(field, "invalid", "This is not a valid phone number; write it in international"
                    + " form, e.g. +33612345678."));
            return null;
        }
        PhoneNumberUtil.PhoneNumberType type = PHONES.getNumberType(number);
        if (type != PhoneNumberUtil.PhoneNumberType.MOBILE
                && type != PhoneNumberUtil.PhoneNumberType.FIXED_LINE_OR_MOBILE) {
            errors.add(new FieldError(field, "not-mobile",
                    "This is not a mobile number: codes are sent to it by SMS."));
            return null;
        }
        return PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
    }

    private Organisation organisation(Organisation o, List<FieldError> errors) {
        if (o == null) {
            errors.add(new FieldError("organisation", "required", "organisation is required."));
            return null;
        }
        String name = strip(o.name());
        if (name == null) {
            errors.add(required("organisation.name"));
        } else if (name.length() > MAX_ORGANISATION_NAME || hasControl(name)) {
            errors.add(new FieldError("organisation.name", name.length() > MAX_ORGANISATION_NAME ? "too-long" : "invalid",
                    "The legal name must be at most " + MAX_ORGANISATION_NAME + " characters, without control characters."));
        }
        String country = country(o.country(), "organisation.country", errors);
        String identifier = o.identifier() == null ? null : o.identifier().replaceAll("[\\s.]", "").toUpperCase(Locale.ROOT);
        String siren = null;
        if (identifier == null || identifier.isEmpty()) {
            errors.add(required("organisation.identifier"));
            identifier = null;
        } else if ("FR".equals(country)) {
            if (Identifiers.digits(identifier, 9)) {
                if (Identifiers.siren(identifier)) {
                    siren = identifier;
                } else {
                    errors.add(new FieldError("organisation.identifier", "luhn",
                            "This SIREN's check digit is wrong: check the 9 digits."));
                }
            } else if (Identifiers.digits(identifier, 14)) {
                if (Identifiers.siret(identifier)) {
                    siren = identifier.substring(0, 9);
                } else {
                    errors.add(new FieldError("organisation.identifier", "luhn",
                            "This SIRET's check digit is wrong: check the 14 digits."));
                }
            } else {
                errors.add(new FieldError("organisation.identifier", "invalid",
                        "A French organisation is identified by its SIREN (9 digits) or SIRET (14 digits)."));
            }
        } else if (!FOREIGN_IDENTIFIER.matcher(identifier).matches()) {
            errors.add(new FieldError("organisation.identifier", "invalid",
                    "The registration number must be 2 to 30 letters, digits, '.', '/' or '-'."));
        }
        String vat = vat(o.vat(), country, siren, errors);
        PostalAddress address = address(o.address(), "organisation.address", errors);
        return new Organisation(name, country, identifier, vat, address);
    }

    private static String vat(String value, String country, String siren, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String vat = value.replaceAll("[\\s.-]", "").toUpperCase(Locale.ROOT);
        String field = "organisation.vat";
        if (country == null) {
            return vat;
        }
        String prefix = Identifiers.vatPrefix(country);
        if (prefix == null) {
            if (!FOREIGN_VAT.matcher(vat).matches()) {
                errors.add(new FieldError(field, "invalid", "The VAT number must be 4 to 20 letters and digits."));
            }
            return vat;
        }
        if (!vat.startsWith(prefix)) {
            errors.add(new FieldError(field, "vat-country", "A VAT number of an organisation of " + country
                    + " starts with " + prefix + "."));
            return vat;
        }
        String rest = vat.substring(2);
        if (!Identifiers.EU_VAT.get(prefix).matcher(rest).matches()) {
            errors.add(new FieldError(field, "invalid", "This is not a " + prefix + " VAT number: check its format."));
            return vat;
        }
        if ("FR".equals(prefix)) {
            String key = rest.substring(0, 2);
            String vatSiren = rest.substring(2);
            if (!Identifiers.digits(key, 2)) {
                errors.add(new FieldError(field, "vat-key", "A French VAT number is FR, a 2-digit key and the SIREN."));
            } else if (Integer.parseInt(key) != Identifiers.frenchVatKey(vatSiren)) {
                errors.add(new FieldError(field, "vat-key", "This French VAT number's key is wrong: check its digits."));
            } else if (siren != null && !siren.equals(vatSiren)) {
                errors.add(new FieldError(field, "vat-mismatch",
                        "The SIREN in the VAT number is not the organisation's (organisation.identifier)."));
            }
        }
        return vat;
    }

    private Delivery delivery(Delivery d, List<FieldError> errors) {
        if (d == null) {
            errors.add(new FieldError("delivery", "required",
                    "A token is shipped by registered mail: give the delivery address and beneficiary."));
            return null;
        }
        String beneficiary = name(d.beneficiary(), "delivery.beneficiary", MAX_ORGANISATION_NAME, errors);
        return new Delivery(beneficiary, address(d.address(), "delivery.address", errors));
    }

    private PostalAddress address(PostalAddress a, String path, List<FieldError> errors) {
        if (a == null) {
            errors.add(new FieldError(path, "required", path + " is required."));
            return null;
        }
        List<String> lines = new ArrayList<>();
        if (a.lines().isEmpty()) {
            errors.add(new FieldError(path + ".lines", "required", "Give 1 to 3 address lines."));
        } else if (a.lines().size() > 3) {
            errors.add(new FieldError(path + ".lines", "too-many", "Give 1 to 3 address lines."));
        }
        for (int i = 0; i < a.lines().size(); i++) {
            String line = strip(a.lines().get(i));
            String field = path + ".lines[" + i + "]";
            if (line == null) {
                errors.add(required(field));
            } else if (line.length() > MAX_LINE || hasControl(line)) {
                errors.add(new FieldError(field, line.length() > MAX_LINE ? "too-long" : "invalid",
                        "An address line is at most " + MAX_LINE + " characters, without control characters."));
            }
            lines.add(line);
        }
        String country = country(a.country(), path + ".country", errors);
        String code = strip(a.postalCode());
        code = code == null ? null : code.toUpperCase(Locale.ROOT);
        if (code == null) {
            errors.add(required(path + ".postalCode"));
        } else {
            Pattern format = country == null ? POSTAL_CODE : POSTAL_CODES.getOrDefault(country, POSTAL_CODE);
            if (!format.matcher(code).matches()) {
                errors.add(new FieldError(path + ".postalCode", "invalid", "FR".equals(country)
                        ? "A French postal code has 5 digits." : "This is not a postal code of " + country + "."));
            }
        }
        String city = strip(a.city());
        if (city == null) {
            errors.add(required(path + ".city"));
        } else if (city.length() > MAX_LINE || hasControl(city)) {
            errors.add(new FieldError(path + ".city", "invalid", "The city is at most " + MAX_LINE + " characters."));
        }
        return new PostalAddress(lines, code, city, country);
    }

    private static String country(String value, String field, List<FieldError> errors) {
        String c = strip(value);
        if (c == null) {
            errors.add(required(field));
            return null;
        }
        c = c.toUpperCase(Locale.ROOT);
        if (!COUNTRIES.contains(c)) {
            errors.add(new FieldError(field, "invalid-country",
                    "Give the country as its ISO 3166-1 two-letter code, e.g. FR."));
            return null;
        }
        return c;
    }

    private static String name(String value, String field, int max, List<FieldError> errors) {
        String s = strip(value);
        if (s == null) {
            errors.add(required(field));
        } else if (s.length() > max) {
            errors.add(new FieldError(field, "too-long", "At most " + max + " characters."));
        } else if (!NAME.matcher(s).matches()) {
            errors.add(new FieldError(field, "invalid", "A name has letters, spaces, apostrophes, hyphens and dots only."));
        }
        return s;
    }

    private static FieldError required(String field) {
        return new FieldError(field, "required", field + " is required.");
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }

    static String strip(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip().replaceAll("\\s+", " ");
        return t.isEmpty() ? null : t;
    }
}
