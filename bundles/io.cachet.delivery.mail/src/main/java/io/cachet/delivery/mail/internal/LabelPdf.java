package io.cachet.delivery.mail.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TimeZone;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

import io.cachet.api.delivery.Shipment;
import io.cachet.api.order.PostalAddress;

/**
 * The label and cover letter of a shipment: one A4 page with the recipient's block where a DL window envelope shows
 * it (right window, 110 mm from the left edge, 50 mm from the top), the sender above, the registered-mail mention, the
 * order, shipment and token references, and the customer guide's words about the token and the initialisation PIN
 * (which is not in the letter). French or English; a brand rewords any text through its messages. Helvetica (the
 * standard 14 fonts, WinAnsi: every French accent); a character outside it is printed without its accent, or as '?'.
 * Stateless; thread-safe.
 */
final class LabelPdf {

    static final float MM = 72f / 25.4f;
    private static final float PAGE_W = PDRectangle.A4.getWidth();
    private static final float PAGE_H = PDRectangle.A4.getHeight();
    private static final float LEFT = 20 * MM;
    private static final float RIGHT = PAGE_W - 20 * MM;
    private static final float WINDOW_X = 110 * MM;
    private static final float WINDOW_TOP = 50 * MM;
    /** Keys of the brand's messages that override the label's texts. */
    static final String BRAND_PREFIX = "shipments.label.";

    private LabelPdf() {
    }

    /**
     * What the letter says.
     *
     * @param brandName the brand's name (the provider in the guide's words)
     * @param supportEmail where to get help, may be empty
     * @param senderName the sender
     * @param senderAddress the sender's lines, may be empty
     * @param overrides the brand's messages (keys {@value #BRAND_PREFIX}…), may be empty
     */
    record Content(Shipment shipment, String language, String brandName, String supportEmail, String senderName,
            List<String> senderAddress, Map<String, String> overrides, LocalDate date) {
    }

    static byte[] make(Content c) {
        Map<String, String> text = texts(c.language(), c.overrides());
        Object[] args = { c.brandName(), c.shipment().orderId(), c.supportEmail() };
        PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            try (PDPageContentStream s = new PDPageContentStream(doc, page)) {
                Writer w = new Writer(s);
                // sender, top left
                float y = 18 * MM;
                w.line(LEFT, y, text.get("sender"), regular, 7);
                y += 4 * MM;
                w.line(LEFT, y, c.senderName(), bold, 9);
                for (String l : c.senderAddress()) {
                    y += 4 * MM;
                    w.line(LEFT, y, l, regular, 9);
                }
                // the registered-mail mention above the window, then the recipient in the window
                w.line(WINDOW_X, WINDOW_TOP - 8 * MM, text.get("registered"), bold, 8.5f);
                Shipment sh = c.shipment();
                List<String> block = new ArrayList<>();
                block.add(sh.recipient());
                PostalAddress a = sh.address();
                block.addAll(a.lines());
                block.add((a.postalCode() + " " + a.city()).strip().toUpperCase(Locale.ROOT));
                block.add(country(a.country(), c.language()));
                float wy = WINDOW_TOP;
                boolean first = true;
                for (String l : block) {
                    if (l == null || l.isBlank()) {
                        continue;
                    }
                    wy += 5 * MM;
                    w.fitted(WINDOW_X, wy, l, first ? bold : regular, 11, RIGHT - WINDOW_X);
                    first = false;
                }
                // references ("Commande : …" in French, "Order: …" in English)
                String colon = "en".equals(c.language()) ? ": " : " : ";
                y = 100 * MM;
                w.line(LEFT, y, text.get("order") + colon + sh.orderId(), bold, 10);
                y += 5 * MM;
                w.line(LEFT, y, text.get("reference") + colon + sh.reference(), regular, 10);
                y += 5 * MM;
                w.line(LEFT, y, text.get("shipment") + colon + sh.id() + "    " + text.get("date") + colon
                        + c.date(), regular, 10);
                // the letter
                y += 12 * MM;
                w.line(LEFT, y, format(text.get("title"), args), bold, 13);
                y += 9 * MM;
                y = w.paragraph(LEFT, y, format(text.get("greeting"), args), regular, 10);
                y = w.paragraph(LEFT, y + 2 * MM, format(text.get("intro"), args), regular, 10);
                for (String part : List.of("a", "b", "c")) {
                    y = w.paragraph(LEFT, y + 3 * MM, format(text.get(part + ".title"), args), bold, 10.5f);
                    y = w.paragraph(LEFT, y + 1 * MM, format(text.get(part), args), regular, 10);
                }
                y = w.paragraph(LEFT, y + 4 * MM, format(text.get("warning.title"), args), bold, 10.5f);
                y = w.paragraph(LEFT, y + 1 * MM, "• " + format(text.get("warning.tries"), args), regular, 10);
                y = w.paragraph(LEFT, y + 1 * MM, "• " + format(text.get("warning.puk"), args), regular, 10);
                y = w.paragraph(LEFT, y + 3 * MM, format(text.get("closing"), args), regular, 10);
                if (c.supportEmail() != null && !c.supportEmail().isBlank()) {
                    w.paragraph(LEFT, y + 3 * MM, format(text.get("support"), args), regular, 9);
                }
            }
            PDDocumentInformation info = doc.getDocumentInformation();
            info.setTitle(text.get("registered") + " - " + c.shipment().orderId());
            info.setProducer("Cachet");
            Calendar when = GregorianCalendar.getInstance(TimeZone.getTimeZone("UTC"));
            when.clear();
            when.set(c.date().getYear(), c.date().getMonthValue() - 1, c.date().getDayOfMonth());
            info.setCreationDate(when);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("The shipment's label could not be made", e);
        }
    }

    /** The label's texts in {@code language} (French for any other), with the brand's overrides. */
    static Map<String, String> texts(String language, Map<String, String> overrides) {
        String lang = "en".equals(language) ? "en" : "fr";
        Map<String, String> out = new HashMap<>();
        for (String l : lang.equals("fr") ? List.of("fr") : List.of("fr", lang)) {
            Properties p = new Properties();
            URL url = LabelPdf.class.getClassLoader().getResource("shipments/label_" + l + ".properties");
            if (url == null) {
                throw new IllegalStateException("The label texts shipments/label_" + l + ".properties are missing");
            }
            try (InputStream in = url.openStream()) {
                p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            p.forEach((k, v) -> out.put((String) k, (String) v));
        }
        overrides.forEach((k, v) -> {
            if (k.startsWith(BRAND_PREFIX) && v != null && !v.isBlank()) {
                out.put(k.substring(BRAND_PREFIX.length()), v);
            }
        });
        return out;
    }

    static String format(String pattern, Object... args) {
        String s = pattern == null ? "" : pattern;
        for (int i = 0; i < args.length; i++) {
            s = s.replace("{" + i + "}", String.valueOf(args[i]));
        }
        return s;
    }

    /** The country's name in capitals, as the last line of an address. */
    static String country(String code, String language) {
        if (code == null || code.isBlank()) {
            return "";
        }
        Locale in = "en".equals(language) ? Locale.ENGLISH : Locale.FRENCH;
        String name = new Locale("", code).getDisplayCountry(in);
        return (name == null || name.isBlank() ? code : name).toUpperCase(in);
    }

    /** The text with what Helvetica (WinAnsi) cannot show written without accents, else '?'. */
    static String printable(String s, PDType1Font font) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isISOControl(ch)) {
                b.append(' ');
                continue;
            }
            if (encodable(font, String.valueOf(ch))) {
                b.append(ch);
                continue;
            }
            String plain = switch (ch) {
                // Latin letters with a stroke do not decompose
                case 'Ł' -> "L";
                case 'ł' -> "l";
                case 'Đ' -> "D";
                case 'đ' -> "d";
                case 'Ħ' -> "H";
                case 'ħ' -> "h";
                case 'ı' -> "i";
                default -> Normalizer.normalize(String.valueOf(ch), Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
            };
            b.append(!plain.isEmpty() && encodable(font, plain) ? plain : "?");
        }
        return b.toString();
    }

    private static boolean encodable(PDType1Font font, String s) {
        try {
            font.encode(s);
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Writes text with y measured from the top of the page. */
    private static final class Writer {
        private final PDPageContentStream s;

        Writer(PDPageContentStream s) {
            this.s = s;
        }

        void line(float x, float yFromTop, String text, PDType1Font font, float size) throws IOException {
            if (text == null || text.isBlank()) {
                return;
            }
            s.beginText();
            s.setFont(font, size);
            s.newLineAtOffset(x, PAGE_H - yFromTop);
            s.showText(printable(text, font));
            s.endText();
        }

        /** One line in {@code width}: the font made smaller (down to 8 pt) rather than the address cut. */
        void fitted(float x, float yFromTop, String text, PDType1Font font, float size, float width)
                throws IOException {
            String t = printable(text, font);
            float sz = size;
            while (sz > 8 && font.getStringWidth(t) / 1000 * sz > width) {
                sz -= 0.5f;
            }
            line(x, yFromTop, t, font, sz);
        }

        /** Wrapped to the page's text width; returns the y after the last line. */
        float paragraph(float x, float yFromTop, String text, PDType1Font font, float size) throws IOException {
            float width = RIGHT - x;
            float leading = size * 1.35f;
            float y = yFromTop;
            StringBuilder current = new StringBuilder();
            for (String word : printable(text, font).split(" ")) {
                String candidate = current.length() == 0 ? word : current + " " + word;
                if (current.length() > 0 && font.getStringWidth(candidate) / 1000 * size > width) {
                    line(x, y, current.toString(), font, size);
                    y += leading;
                    current = new StringBuilder(word);
                } else {
                    current = new StringBuilder(candidate);
                }
            }
            if (current.length() > 0) {
                line(x, y, current.toString(), font, size);
                y += leading;
            }
            return y;
        }
    }
}
