package io.cachet.cli.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the demo makes up: one run's organisation (a SIREN with a valid Luhn digit, its French VAT number), its two
 * persons (addresses and mobiles unique to the run, so that their messages are told apart in the outbox), and the
 * evidence a phone would send (JPEG images of 1080×1920, the smallest the identity service takes, and the zone).
 */
public final class SampleData {

    /** One person of the order. */
    public record Person(String givenNames, String surname, LocalDate birthDate, String sex, String email,
            String mobile) {
        public String name() {
            return givenNames + " " + surname;
        }
    }

    /** The organisation of the order. */
    public record Organisation(String name, String siren, String vat) {
    }

    static final ObjectMapper JSON = new ObjectMapper();

    private final String run;
    private final Person manager;
    private final Person legalRepresentative;
    private final Organisation organisation;

    SampleData(String run, Person manager, Person legalRepresentative, Organisation organisation) {
        this.run = run;
        this.manager = manager;
        this.legalRepresentative = legalRepresentative;
        this.organisation = organisation;
    }

    /** A fresh run: its own id (8 hex digits), organisation, addresses and mobile numbers. */
    public static SampleData fresh(SecureRandom random) {
        byte[] id = new byte[4];
        random.nextBytes(id);
        String run = HexFormat.of().formatHex(id);
        Person anna = new Person("Anna Maria", "Eriksson", LocalDate.of(1974, 8, 12), "F",
                "anna.eriksson." + run + "@example.org", mobile(random));
        Person jean = new Person("Jean", "Dupont", LocalDate.of(1960, 3, 1), "M",
                "jean.dupont." + run + "@example.org", mobile(random));
        String siren = siren(random);
        return new SampleData(run, anna, jean, new Organisation("Demo " + run.toUpperCase(Locale.ROOT) + " SAS", siren,
                vat(siren)));
    }

    public String run() {
        return run;
    }

    public Person manager() {
        return manager;
    }

    public Person legalRepresentative() {
        return legalRepresentative;
    }

    public Organisation organisation() {
        return organisation;
    }

    public List<Person> persons() {
        return List.of(manager, legalRepresentative);
    }

    /** A French mobile number (+33 6 1…, a range libphonenumber knows as mobile), E.164. */
    static String mobile(SecureRandom random) {
        return "+3361" + String.format("%07d", random.nextInt(10_000_000));
    }

    /** A SIREN: 8 random digits and the Luhn check digit (never La Poste's 356 000 000). */
    static String siren(SecureRandom random) {
        while (true) {
            String body = String.format("%08d", random.nextInt(100_000_000));
            if (body.startsWith("0") || body.startsWith("35600000")) {
                continue;
            }
            for (int d = 0; d <= 9; d++) {
                if (luhn(body + d)) {
                    return body + d;
                }
            }
        }
    }

    static boolean luhn(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int v = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                v *= 2;
                if (v > 9) {
                    v -= 9;
                }
            }
            sum += v;
        }
        return sum % 10 == 0;
    }

    /** France's VAT number of a SIREN: FR + key + SIREN, key = (12 + 3 × (SIREN mod 97)) mod 97. */
    static String vat(String siren) {
        long key = (12 + 3 * (Long.parseLong(siren) % 97)) % 97;
        return String.format("FR%02d%s", key, siren);
    }

    /** The order as {@code POST /api/v1/orders} takes it. */
    public ObjectNode order(String medium, String language) {
        ObjectNode o = JSON.createObjectNode();
        o.put("product", "enterprise-plus").put("validityYears", 1).put("medium", medium).put("language", language);
        o.set("certificateManager", person(manager));
        o.set("legalRepresentative", person(legalRepresentative));
        ObjectNode org = o.putObject("organisation");
        org.put("name", organisation.name()).put("country", "FR").put("identifier", organisation.siren())
                .put("vat", organisation.vat());
        org.set("address", address());
        if (!"cloud".equals(medium)) {
            ObjectNode delivery = o.putObject("delivery");
            delivery.put("beneficiary", manager.name());
            delivery.set("address", address());
        }
        return o;
    }

    private static ObjectNode address() {
        ObjectNode a = JSON.createObjectNode();
        a.putArray("lines").add("1 rue de la Paix");
        return a.put("postalCode", "75002").put("city", "Paris").put("country", "FR");
    }

    private static ObjectNode person(Person p) {
        return JSON.createObjectNode().put("givenNames", p.givenNames()).put("surname", p.surname())
                .put("birthDate", p.birthDate().toString()).put("email", p.email()).put("mobile", p.mobile());
    }

    /** The person's sample passport: number, and the zone, expiring in 5 years. */
    public String mrz(Person p, LocalDate today) {
        return Mrz.td3(p.surname(), p.givenNames(), documentNumber(p), p.birthDate(), p.sex(), today.plusYears(5), "");
    }

    String documentNumber(Person p) {
        return ("D" + run.substring(0, 7) + (p == manager ? "1" : "2")).toUpperCase(Locale.ROOT);
    }

    // ---- the organisation's document

    /**
     * The register's extract (a "K-bis" of the sample organisation) as a PDF with text, as downloaded from the
     * register: the organisation's name and SIREN, the legal representative, and the date it is up to date at.
     */
    public byte[] extractPdf(LocalDate issued) {
        String date = String.format("%02d/%02d/%d", issued.getDayOfMonth(), issued.getMonthValue(), issued.getYear());
        List<String> lines = List.of("GREFFE DU TRIBUNAL DE COMMERCE DE PARIS (specimen: cachet-cli demo)",
                "Extrait Kbis",
                "EXTRAIT D'IMMATRICULATION PRINCIPALE AU REGISTRE DU COMMERCE ET DES SOCIETES",
                "à jour au " + date,
                "",
                "IDENTIFICATION DE LA PERSONNE MORALE",
                "Immatriculation au RCS, numéro : " + spaced(organisation.siren()) + " R.C.S. Paris",
                "Dénomination ou raison sociale : " + organisation.name(),
                "Forme juridique : Société par actions simplifiée",
                "Adresse du siège : 1 rue de la Paix 75002 Paris",
                "",
                "GESTION, DIRECTION, ADMINISTRATION, CONTROLE, ASSOCIES OU MEMBRES",
                "Président : " + legalRepresentative.surname().toUpperCase(Locale.ROOT) + " "
                        + legalRepresentative.givenNames(),
                "Nom, prénoms : " + legalRepresentative.surname() + " " + legalRepresentative.givenNames(),
                "Date et lieu de naissance : " + legalRepresentative.birthDate() + " Paris",
                "",
                "Délivré le " + date);
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            try (PDPageContentStream text = new PDPageContentStream(doc, page)) {
                text.beginText();
                text.setFont(font, 10);
                text.setLeading(15);
                text.newLineAtOffset(50, 790);
                for (String l : lines) {
                    text.showText(l);
                    text.newLine();
                }
                text.endText();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 552 100 554: a SIREN as the register prints it. */
    static String spaced(String siren) {
        return siren.substring(0, 3) + " " + siren.substring(3, 6) + " " + siren.substring(6);
    }

    // ---- images

    /** The passport's data page as a phone would photograph it, with the zone printed at its foot. */
    public byte[] documentImage(Person p, LocalDate today) {
        BufferedImage img = new BufferedImage(1080, 1920, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(new Color(60, 60, 66));
            g.fillRect(0, 0, 1080, 1920);
            g.setColor(new Color(226, 222, 205));
            g.fillRoundRect(60, 520, 960, 680, 30, 30);
            g.setColor(new Color(120, 110, 100));
            g.fillRect(110, 640, 260, 330);
            text(g, () -> {
                g.setColor(new Color(30, 30, 40));
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 38));
                g.drawString("UTOPIA - PASSPORT SPECIMEN (cachet-cli demo)", 100, 600);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 34));
                g.drawString(p.surname().toUpperCase(Locale.ROOT), 420, 680);
                g.drawString(p.givenNames(), 420, 740);
                g.drawString(p.birthDate().toString(), 420, 800);
                g.drawString(documentNumber(p), 420, 860);
                g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 30));
                String[] lines = mrz(p, today).split("\n");
                g.drawString(lines[0], 90, 1110);
                g.drawString(lines[1], 90, 1160);
            });
        } finally {
            g.dispose();
        }
        return jpeg(img);
    }

    /** A selfie: a face drawn on a plain background. */
    public byte[] selfieImage(Person p) {
        BufferedImage img = new BufferedImage(1080, 1920, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(new Color(190, 205, 220));
            g.fillRect(0, 0, 1080, 1920);
            g.setColor(new Color(225, 190, 160));
            g.fillOval(290, 500, 500, 660);
            g.setColor(new Color(60, 50, 45));
            g.fillOval(420, 720, 60, 40);
            g.fillOval(600, 720, 60, 40);
            g.setStroke(new BasicStroke(12));
            g.drawArc(440, 880, 200, 120, 200, 140);
            g.setColor(new Color(70, 90, 130));
            g.fillRoundRect(190, 1180, 700, 740, 200, 200);
            text(g, () -> {
                g.setColor(Color.DARK_GRAY);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 30));
                g.drawString("cachet-cli demo: " + p.name(), 60, 80);
            });
        } finally {
            g.dispose();
        }
        return jpeg(img);
    }

    /** Text where the machine can draw it (a JRE without fonts cannot): the image is good enough without. */
    private static void text(Graphics2D g, Runnable draw) {
        try {
            draw.run();
        } catch (RuntimeException | InternalError e) {
            // no font configuration on this machine: shapes only
        }
    }

    static byte[] jpeg(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, "jpg", out)) {
                throw new IllegalStateException("no JPEG writer in this Java runtime");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
