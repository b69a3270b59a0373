package io.cachet.identity.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachet.api.identity.CaseStatus;
import io.cachet.api.identity.Evidence;
import io.cachet.api.identity.EvidenceKind;
import io.cachet.api.identity.IdentityCase;
import io.cachet.api.identity.IdentityException;
import io.cachet.api.identity.MrzData;
import io.cachet.api.order.Order;
import io.cachet.api.order.OrderRole;
import io.cachet.store.testing.TestDatabases;

/**
 * The phone flow's path through the cases (what the mobile provider calls), with the evidence checks of
 * {@code internal.evidence}: images checked and kept encrypted, the zone parsed and matched against the order, the
 * evidence complete before review; refusals change nothing and are audited without the zone. (Needs the evidence
 * work merged: with its stubs these fail with UnsupportedOperationException.)
 */
class EvidenceFlowTest {

    @TempDir
    Path dir;

    private final List<Fixture> open = new ArrayList<>();

    static List<String> products() {
        return TestDatabases.products().toList();
    }

    @AfterEach
    void close() {
        open.forEach(Fixture::close);
    }

    /** An ICAO check digit: weights 7, 3, 1; digits as themselves, A–Z 10–35, '<' 0. */
    static int digit(String s) {
        int[] w = { 7, 3, 1 };
        int sum = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int v = c == '<' ? 0 : Character.isDigit(c) ? c - '0' : c - 'A' + 10;
            sum += v * w[i % 3];
        }
        return sum % 10;
    }

    private static String pad(String s, int n) {
        return (s + "<".repeat(n)).substring(0, n);
    }

    /** A passport's zone (TD3, state UTO) with every check digit right. */
    static String td3(String surname, String givenNames, String birth, String expiry) {
        String line1 = pad("P<UTO" + surname + "<<" + givenNames.replace(' ', '<'), 44);
        String doc = "L898902C3" + digit("L898902C3");
        String b = birth + digit(birth);
        String e = expiry + digit(expiry);
        String personal = "ZE184226B<<<<<";
        String p = personal + digit(personal);
        String composite = String.valueOf(digit(doc + b + e + p));
        String line2 = doc + "UTO" + b + "F" + e + p + composite;
        assertEquals(44, line2.length());
        return line1 + "\n" + line2;
    }

    static byte[] jpeg(int width, int height) throws IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(200, 190, 170));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.DARK_GRAY);
        g.fillRect(width / 4, height / 4, width / 2, height / 3);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }

    @ParameterizedTest
    @MethodSource("products")
    void imagesAndTheZoneMakeACompleteAttemptForReviewAndRefusalsChangeNothing(String product) throws Exception {
        Fixture f = new Fixture(product, dir, Map.of());
        open.add(f);
        Order o = f.submit(null, null, null);
        IdentityCase k = f.caseOf(o, OrderRole.CERTIFICATE_MANAGER);
        IdentityException notOpen = assertThrows(IdentityException.class,
                () -> f.cases.addImage(k.id(), EvidenceKind.SELFIE, jpeg(1080, 1920), "customer"));
        assertEquals(IdentityException.Reason.CONFLICT, notOpen.reason());
        f.cases.start(k.orderId(), k.role(), "fr");

        IdentityException notImage = assertThrows(IdentityException.class,
                () -> f.cases.addImage(k.id(), EvidenceKind.DOCUMENT_FRONT, "%PDF-1.7".getBytes(), "customer"));
        assertEquals(IdentityException.Reason.INVALID, notImage.reason());
        assertTrue(notImage.code().startsWith("image."), notImage.code());
        IdentityException small = assertThrows(IdentityException.class,
                () -> f.cases.addImage(k.id(), EvidenceKind.DOCUMENT_FRONT, jpeg(720, 1280), "customer"));
        assertEquals("image.too-small", small.code());
        assertTrue(f.cases.find(k.id()).orElseThrow().currentAttempt().evidence().isEmpty(), "nothing kept");
        assertTrue(f.actions("identity-case:" + k.id()).contains("identity.image.refused"));

        byte[] front = jpeg(1080, 1920);
        Evidence e = f.cases.addImage(k.id(), EvidenceKind.DOCUMENT_FRONT, front, "customer");
        assertEquals("image/jpeg", e.contentType());
        assertEquals(1080, e.width());
        IdentityException incomplete = assertThrows(IdentityException.class, () -> f.cases.submit(k.id(), "customer"));
        assertEquals("evidence.incomplete", incomplete.code());
        assertEquals(List.of("selfie", "mrz"), incomplete.args());
        f.cases.addImage(k.id(), EvidenceKind.SELFIE, jpeg(1920, 1080), "customer");

        IdentityException otherPerson = assertThrows(IdentityException.class, () -> f.cases.submitDocument(k.id(),
                "passport", td3("DUPONT", "JEAN", "600301", "340415"), "customer"));
        assertEquals(IdentityException.Reason.INVALID, otherPerson.reason());
        assertTrue(otherPerson.code().equals("name.mismatch") || otherPerson.code().equals("birth-date.mismatch"),
                otherPerson.code());
        String good = td3("ERIKSSON", "ANNA MARIA", "740812", "340415");
        String tampered = good.substring(0, good.length() - 1) + (char) ('0' + (good.charAt(good.length() - 1) - '0' + 1) % 10);
        assertEquals("mrz.check-digit", assertThrows(IdentityException.class,
                () -> f.cases.submitDocument(k.id(), "passport", tampered, "customer")).code());
        assertEquals("document.type-not-accepted", assertThrows(IdentityException.class,
                () -> f.cases.submitDocument(k.id(), "library-card", good, "customer")).code());
        assertNull(f.cases.find(k.id()).orElseThrow().currentAttempt().mrz(), "no zone kept");
        assertTrue(f.actions("identity-case:" + k.id()).contains("identity.document.refused"));

        MrzData mrz = f.cases.submitDocument(k.id(), "passport", good.toLowerCase(), "customer");
        assertEquals("ERIKSSON", mrz.surname());
        IdentityCase withZone = f.cases.find(k.id()).orElseThrow();
        assertEquals("passport", withZone.currentAttempt().documentType());
        assertEquals(mrz, withZone.currentAttempt().mrz(), "kept encrypted, read back whole");
        assertTrue(withZone.currentAttempt().checks().stream().anyMatch(c -> c.name().equals("mrz.check-digits")));
        assertTrue(withZone.currentAttempt().checks().stream().anyMatch(c -> c.name().equals("image.selfie")));

        IdentityCase review = f.cases.submit(k.id(), "customer");
        assertEquals(CaseStatus.REVIEW, review.status());
        assertNotNull(review.currentAttempt().submittedAt());
        byte[] stored = f.cases.image(k.id(), 1, EvidenceKind.DOCUMENT_FRONT, "alice");
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(stored));
        assertEquals(1080, back.getWidth());
        assertEquals(1920, back.getHeight());
        assertEquals(IdentityException.Reason.CONFLICT, assertThrows(IdentityException.class,
                () -> f.cases.addImage(k.id(), EvidenceKind.SELFIE, front, "customer")).reason());
    }
}
