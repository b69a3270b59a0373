package io.cachet.acceptance.internal;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/** How a mobile number is shown on pages, on the form and in the seal: {@code +33 6 •• •• •• 12}. */
final class Masks {

    private Masks() {
    }

    /**
     * @param e164 a number in E.164 ({@code +33612345678})
     * @return the country code, the national number's first digit, bullets in pairs, its last two digits
     */
    static String mobile(String e164) {
        String cc;
        String national;
        try {
            PhoneNumber n = PhoneNumberUtil.getInstance().parse(e164, null);
            cc = "+" + n.getCountryCode();
            national = PhoneNumberUtil.getInstance().getNationalSignificantNumber(n);
        } catch (NumberParseException e) {
            String digits = e164 == null ? "" : e164.replaceAll("[^0-9]", "");
            cc = "+";
            national = digits;
        }
        if (national.length() < 4) {
            return cc + " ••";
        }
        StringBuilder b = new StringBuilder(cc).append(' ').append(national.charAt(0));
        int hidden = national.length() - 3;
        while (hidden > 0) {
            b.append(' ').append(hidden >= 2 ? "••" : "•");
            hidden -= 2;
        }
        return b.append(' ').append(national, national.length() - 2, national.length()).toString();
    }
}
