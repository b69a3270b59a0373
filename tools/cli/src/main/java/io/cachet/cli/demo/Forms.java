package io.cachet.cli.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The forms of a page, read as a person's browser would submit them: each form's action and its fields (hidden
 * ones with their values, e.g. the anti-forgery token). Cachet's pages are made by its own templates, so attribute
 * values are quoted and escaped; this is not a general HTML parser.
 */
public final class Forms {

    private static final Pattern FORM = Pattern.compile("<form\\b([^>]*)>(.*?)</form>",
            Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    private static final Pattern FIELD = Pattern.compile("<(input|button|textarea|select)\\b([^>]*)>",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z_:][-a-zA-Z0-9_:.]*)\\s*=\\s*\"([^\"]*)\"");

    /** One input of a form. */
    public record Field(String tag, String type, String name, String value) {
    }

    /** One form: where it posts, how, and its fields in page order. */
    public record Form(String action, String method, String enctype, List<Field> fields) {

        /** The hidden fields and their values (what a browser sends without the person typing). */
        public Map<String, String> hidden() {
            Map<String, String> m = new LinkedHashMap<>();
            for (Field f : fields) {
                if (f.type().equals("hidden") && !f.name().isEmpty()) {
                    m.put(f.name(), f.value());
                }
            }
            return m;
        }

        public boolean has(String name) {
            return fields.stream().anyMatch(f -> f.name().equals(name));
        }

        public Optional<Field> firstOfType(String type) {
            return fields.stream().filter(f -> f.type().equals(type)).findFirst();
        }
    }

    private Forms() {
    }

    public static List<Form> of(String html) {
        List<Form> forms = new ArrayList<>();
        Matcher m = FORM.matcher(html);
        while (m.find()) {
            Map<String, String> attrs = attributes(m.group(1));
            List<Field> fields = new ArrayList<>();
            Matcher f = FIELD.matcher(m.group(2));
            while (f.find()) {
                String tag = f.group(1).toLowerCase(java.util.Locale.ROOT);
                Map<String, String> a = attributes(f.group(2));
                String type = a.getOrDefault("type", tag.equals("input") ? "text" : tag.equals("button") ? "submit"
                        : tag).toLowerCase(java.util.Locale.ROOT);
                fields.add(new Field(tag, type, a.getOrDefault("name", ""), a.getOrDefault("value", "")));
            }
            forms.add(new Form(attrs.getOrDefault("action", ""), attrs.getOrDefault("method", "get")
                    .toLowerCase(java.util.Locale.ROOT), attrs.getOrDefault("enctype", ""), fields));
        }
        return forms;
    }

    static Map<String, String> attributes(String s) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher a = ATTRIBUTE.matcher(s);
        while (a.find()) {
            m.put(a.group(1).toLowerCase(java.util.Locale.ROOT), unescape(a.group(2)));
        }
        return m;
    }

    /** The entities FreeMarker's HTML escaping writes. */
    static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&#x27;", "'").replace("&amp;", "&");
    }

    /** The first {@code data-<name>="…"} attribute value of the page. */
    public static Optional<String> data(String html, String name) {
        Matcher m = Pattern.compile("data-" + Pattern.quote(name) + "=\"([^\"]*)\"").matcher(html);
        return m.find() ? Optional.of(unescape(m.group(1))) : Optional.empty();
    }

    /** The first link ({@code href}) whose path starts with {@code prefix}. */
    public static Optional<String> link(String html, String prefix) {
        Matcher m = Pattern.compile("href=\"(" + Pattern.quote(prefix) + "[^\"]*)\"").matcher(html);
        return m.find() ? Optional.of(unescape(m.group(1))) : Optional.empty();
    }
}
