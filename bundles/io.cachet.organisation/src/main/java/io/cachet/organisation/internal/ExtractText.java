package io.cachet.organisation.internal;

import java.io.IOException;
import java.text.Normalizer;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * What an extract's text tells: read with PDFBox from a PDF that has text (an extract downloaded from the register;
 * a scan or a photo has none), then searched for the issue date (the date following "à jour au", "délivré le",
 * "issued on"…, never any date: a K-bis also names the registration and birth dates), the organisation's
 * identifier (digits with the register's spaces removed) and its name (compared without accents, case or
 * punctuation). Plain Java, stateless.
 */
final class ExtractText {

    /** Pages read at most: an extract is one to three pages; a larger upload is not read beyond them. */
    static final int MAX_PAGES = 5;

    private static final List<String> DATE_KEYS = List.of("a jour au", "mis a jour le", "delivre le", "edite le",
            "date d edition", "en date du", "etabli le", "issued on", "issue date", "as of", "up to date on",
            "dated");
    private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("janvier", 1), Map.entry("fevrier", 2),
            Map.entry("mars", 3), Map.entry("avril", 4), Map.entry("mai", 5), Map.entry("juin", 6),
            Map.entry("juillet", 7), Map.entry("aout", 8), Map.entry("septembre", 9), Map.entry("octobre", 10),
            Map.entry("novembre", 11), Map.entry("decembre", 12), Map.entry("january", 1), Map.entry("february", 2),
            Map.entry("march", 3), Map.entry("april", 4), Map.entry("may", 5), Map.entry("june", 6),
            Map.entry("july", 7), Map.entry("august", 8), Map.entry("september", 9), Map.entry("october", 10),
            Map.entry("november", 11), Map.entry("december", 12));
    private static final String MONTH = "(janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre"
            + "|decembre|january|february|march|april|may|june|july|august|september|october|november|december)";
    private static final Pattern NUMERIC = Pattern.compile("^\\s*(\\d{1,2})[/.-](\\d{1,2})[/.-](\\d{4})");
    private static final Pattern ISO = Pattern.compile("^\\s*(\\d{4})-(\\d{2})-(\\d{2})");
    private static final Pattern DAY_MONTH = Pattern.compile("^\\s*(\\d{1,2})(?:er|st|nd|rd|th)? " + MONTH + " (\\d{4})");
    private static final Pattern MONTH_DAY = Pattern.compile("^\\s*" + MONTH + " (\\d{1,2}),? (\\d{4})");
    private static final Pattern DIGIT_RUN = Pattern.compile("\\d[\\d \\u00a0.]*\\d");

    private ExtractText() {
    }

    /**
     * The text of a PDF's first pages, or empty when it has none (a scan) or cannot be read (damaged, encrypted).
     */
    static Optional<String> of(byte[] pdf) {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setStartPage(1);
            stripper.setEndPage(Math.min(MAX_PAGES, doc.getNumberOfPages()));
            String text = stripper.getText(doc);
            return text == null || text.strip().length() < 20 ? Optional.empty() : Optional.of(text);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** @return the PDF's number of pages, or -1 when it cannot be read (damaged, protected by a password) */
    static int pages(byte[] pdf) {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return doc.getNumberOfPages();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Lower case, without accents; every run of other characters than letters and digits one space. */
    static String normalise(String s) {
        String n = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        return n.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9/.\\-]+", " ").replaceAll(" +", " ").strip();
    }

    /** Letters and digits only, for comparing names. */
    private static String compact(String s) {
        return normalise(s).replaceAll("[^a-z0-9]", "");
    }

    /** The issue date the text states after one of the keys, the first one found, if any. */
    static Optional<LocalDate> issueDate(String text) {
        String n = normalise(text.replace('\'', ' ').replace('’', ' '));
        LocalDate best = null;
        int bestAt = Integer.MAX_VALUE;
        for (String key : DATE_KEYS) {
            int from = 0;
            int i;
            while ((i = n.indexOf(key, from)) >= 0) {
                from = i + key.length();
                String after = n.substring(from, Math.min(n.length(), from + 40)).replaceFirst("^\\s*:", "");
                Optional<LocalDate> d = date(after);
                if (d.isPresent() && i < bestAt) {
                    best = d.get();
                    bestAt = i;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static Optional<LocalDate> date(String s) {
        try {
            Matcher m = NUMERIC.matcher(s);
            if (m.find()) {
                return Optional.of(LocalDate.of(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(1))));
            }
            m = ISO.matcher(s);
            if (m.find()) {
                return Optional.of(LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3))));
            }
            m = DAY_MONTH.matcher(s);
            if (m.find()) {
                return Optional.of(LocalDate.of(Integer.parseInt(m.group(3)), MONTHS.get(m.group(2)),
                        Integer.parseInt(m.group(1))));
            }
            m = MONTH_DAY.matcher(s);
            if (m.find()) {
                return Optional.of(LocalDate.of(Integer.parseInt(m.group(3)), MONTHS.get(m.group(1)),
                        Integer.parseInt(m.group(2))));
            }
        } catch (DateTimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * @param identifier digits (SIREN, or SIRET whose first nine digits are the SIREN)
     * @return whether the text names it (with or without the register's spaces)
     */
    static boolean namesIdentifier(String text, String identifier) {
        String siren = identifier.length() >= 9 ? identifier.substring(0, 9) : identifier;
        Matcher m = DIGIT_RUN.matcher(text);
        while (m.find()) {
            String digits = m.group().replaceAll("[^0-9]", "");
            if (digits.contains(siren) || digits.contains(identifier)) {
                return true;
            }
        }
        return false;
    }

    /** @return whether the text names {@code name} (ignoring case, accents, spaces and punctuation) */
    static boolean namesOrganisation(String text, String name) {
        String want = compact(name);
        return !want.isEmpty() && compact(text).contains(want);
    }

    /** @return whether the text names the person: their surname, and their first given name */
    static boolean namesPerson(String text, String givenNames, String surname) {
        String t = " " + normalise(text) + " ";
        String first = normalise(givenNames).split(" ")[0];
        return t.contains(" " + normalise(surname) + " ") && (first.isEmpty() || t.contains(" " + first + " "));
    }
}
