package io.cachet.identity.mobile.internal;

import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

/** Whether a request comes from a phone (or tablet), as the browser says it: Client Hints first, then its name. */
final class Devices {

    private Devices() {
    }

    /**
     * @return true for {@code Sec-CH-UA-Mobile: ?1}; false for {@code ?0}; without the hint, whether the
     *         {@code User-Agent} names a phone or tablet (Mobi, Android, iPhone, iPad)
     */
    static boolean phone(HttpServletRequest request) {
        String hint = request.getHeader("Sec-CH-UA-Mobile");
        if (hint != null) {
            String h = hint.trim();
            if (h.equals("?1")) {
                return true;
            }
            if (h.equals("?0")) {
                // Chrome on an Android tablet says ?0 and Android: a tablet with a rear camera will do
                return android(request.getHeader("User-Agent"));
            }
        }
        String ua = request.getHeader("User-Agent");
        if (ua == null) {
            return false;
        }
        String u = ua.toLowerCase(Locale.ROOT);
        return u.contains("mobi") || u.contains("android") || u.contains("iphone") || u.contains("ipad");
    }

    private static boolean android(String ua) {
        return ua != null && ua.toLowerCase(Locale.ROOT).contains("android");
    }
}
