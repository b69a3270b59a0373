package io.cachet.signature.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.signature.Level;
import io.cachet.api.signature.Packaging;
import io.cachet.api.signature.SignOptions;
import io.cachet.api.signature.SignatureException;
import io.cachet.signature.launch.Signatures;
import io.cachet.api.signature.Signer;
import io.cachet.api.signature.SigningKey;
import io.cachet.api.signature.ValidationOptions;
import io.cachet.api.signature.ValidationResult;
import io.cachet.api.signature.Validator;
import io.cachet.api.signature.Verdict;
import io.cachet.signature.testing.Forgeries;
import io.cachet.signature.testing.Pdfs;
import io.cachet.signature.testing.TestPki;
import io.cachet.signature.testing.Tools;

/**
 * Known attacks on signature validation: XML signature wrapping (the signed element moved, an unsigned one with the
 * same Id put in its place) and PDF byte ranges that do not cover what they should. None may come out VALID.
 */
class ValidationAttacksTest {
    private static final String DS = "http://www.w3.org/2000/09/xmldsig#";

    static TestPki pki;
    static SigningKey key;
    final Signer signer = Signatures.signer();
    final Validator validator = Signatures.validator();

    @TempDir
    Path dir;

    @BeforeAll
    static void pki() {
        pki = TestPki.get();
        key = pki.seal(KeyAlgorithm.EC_P256);
    }

    private ValidationResult validate(Path file) {
        return validator.validate(file, List.of(), ValidationOptions.trusting(pki.trustAnchors()));
    }

    /** Not VALID; a file DSS refuses to read at all is not valid either. */
    private void assertNotValid(Path file) {
        try {
            ValidationResult result = validate(file);
            assertNotEquals(Verdict.VALID, result.verdict(), result.summary() + "\n" + result.signatures());
            assertTrue(!result.reasons().isEmpty(), result.summary());
        } catch (SignatureException refused) {
            assertEquals(SignatureException.Reason.MALFORMED_INPUT, refused.reason(), refused.getMessage());
        }
    }

    // ---- XAdES: signature wrapping ----

    private Path enveloping() throws Exception {
        Path data = Files.writeString(dir.resolve("order.txt"), "Pay 100 EUR to ACME SAS\n");
        Path signed = dir.resolve("order.xades.xml");
        signer.sign(data, signed, key, SignOptions.xades(Packaging.ENVELOPING, Level.B));
        Tools.dssPassed(validate(signed), 1, "XAdES-BASELINE-B");
        return signed;
    }

    private static Document parse(Path xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(xml.toFile());
    }

    private static Path write(Document doc, Path to) throws Exception {
        var t = TransformerFactory.newInstance().newTransformer();
        t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        t.transform(new DOMSource(doc), new StreamResult(out));
        return Files.write(to, out.toByteArray());
    }

    /** The ds:Object the signature's first reference points to ({@code URI="#id"}). */
    private static Element signedObject(Document doc) {
        Element reference = (Element) doc.getElementsByTagNameNS(DS, "Reference").item(0);
        String uri = reference.getAttribute("URI");
        assertTrue(uri.startsWith("#"), "the enveloping reference points to an Id: " + uri);
        NodeList objects = doc.getElementsByTagNameNS(DS, "Object");
        for (int i = 0; i < objects.getLength(); i++) {
            Element o = (Element) objects.item(i);
            if (uri.substring(1).equals(o.getAttribute("Id"))) {
                return o;
            }
        }
        throw new AssertionError("no ds:Object with Id " + uri);
    }

    private static Element forgedObject(Document doc, Element like) {
        Element forged = (Element) like.cloneNode(false);
        forged.setTextContent(java.util.Base64.getEncoder().encodeToString(
                "Pay 1,000,000 EUR to MALLORY\n".getBytes(StandardCharsets.UTF_8)));
        return forged;
    }

    @Test
    void theSignedObjectMovedIntoAWrapperAndAForgedOneWithItsIdInItsPlace() throws Exception {
        Document doc = parse(enveloping());
        Element original = signedObject(doc);
        Element forged = forgedObject(doc, original);
        Element signature = (Element) original.getParentNode();
        signature.replaceChild(forged, original);
        Element wrapper = doc.createElementNS(DS, "ds:Object");
        Element hidden = doc.createElementNS("urn:attacker", "a:Wrapper");
        hidden.appendChild(original);
        wrapper.appendChild(hidden);
        signature.appendChild(wrapper);
        assertNotValid(write(doc, dir.resolve("wrapped.xml")));
    }

    @Test
    void aForgedObjectWithTheSameIdBeforeTheSignedOne() throws Exception {
        Document doc = parse(enveloping());
        Element original = signedObject(doc);
        original.getParentNode().insertBefore(forgedObject(doc, original), original);
        assertNotValid(write(doc, dir.resolve("duplicate-id.xml")));
    }

    @Test
    void signedPropertiesWrappedAndReplaced() throws Exception {
        Document doc = parse(enveloping());
        Element properties = (Element) doc.getElementsByTagNameNS("http://uri.etsi.org/01903/v1.3.2#",
                "SignedProperties").item(0);
        Element copy = (Element) properties.cloneNode(true);
        // the copy claims another signing time; the signed original is hidden in a new ds:Object
        NodeList times = copy.getElementsByTagNameNS("http://uri.etsi.org/01903/v1.3.2#", "SigningTime");
        times.item(0).setTextContent("2001-01-01T00:00:00Z");
        Element qualifying = (Element) properties.getParentNode();
        qualifying.replaceChild(copy, properties);
        Element wrapper = doc.createElementNS(DS, "ds:Object");
        wrapper.appendChild(properties);
        qualifying.getParentNode().getParentNode().appendChild(wrapper);
        assertNotValid(write(doc, dir.resolve("wrapped-properties.xml")));
    }

    // ---- PAdES: byte ranges ----

    private Path sealedPdf() throws Exception {
        Path out = dir.resolve("sealed.pdf");
        signer.sign(Pdfs.pages(dir.resolve("in.pdf"), 1), out, key, SignOptions.pades(Level.B));
        Tools.dssPassed(validate(out), 1, "PAdES-BASELINE-B");
        return out;
    }

    /** The PDF with its /ByteRange replaced by {@code range}, padded to the same length (no offset moves). */
    private Path withByteRange(Path pdf, String name, java.util.function.UnaryOperator<long[]> change)
            throws Exception {
        String text = new String(Files.readAllBytes(pdf), StandardCharsets.ISO_8859_1);
        Matcher m = Pattern.compile("/ByteRange ?\\[([0-9 ]+)\\]").matcher(text);
        assertTrue(m.find(), "a /ByteRange");
        String[] parts = m.group(1).trim().split(" +");
        long[] range = new long[4];
        for (int i = 0; i < 4; i++) {
            range[i] = Long.parseLong(parts[i]);
        }
        long[] changed = change.apply(range.clone());
        String inner = changed[0] + " " + changed[1] + " " + changed[2] + " " + changed[3];
        assertTrue(inner.length() <= m.group(1).length(), "the new byte range fits in place");
        inner = inner + " ".repeat(m.group(1).length() - inner.length());
        String forged = text.substring(0, m.start(1)) + inner + text.substring(m.end(1));
        return Files.write(dir.resolve(name), forged.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void aByteRangeThatLeavesTheEndOfTheFileUnsigned() throws Exception {
        Path pdf = sealedPdf();
        assertNotValid(withByteRange(pdf, "short.pdf", r -> new long[] {r[0], r[1], r[2], r[3] - 10}));
    }

    @Test
    void aByteRangeThatSkipsTheStartOfTheFile() throws Exception {
        Path pdf = sealedPdf();
        assertNotValid(withByteRange(pdf, "late-start.pdf", r -> new long[] {r[0] + 9, r[1] - 9, r[2], r[3]}));
    }

    @Test
    void overlappingByteRanges() throws Exception {
        Path pdf = sealedPdf();
        assertNotValid(withByteRange(pdf, "overlap.pdf", r -> new long[] {r[0], r[1], r[1] - 20, r[3] + 20}));
    }

    @Test
    void aByteRangeThatCoversLessThanTheContentsHole() throws Exception {
        // the second range starts inside /Contents: the unsigned hole is smaller than the signature's place
        Path pdf = sealedPdf();
        assertNotValid(withByteRange(pdf, "hole.pdf", r -> new long[] {r[0], r[1], r[2] - 100, r[3] + 100}));
    }

    @Test
    void aRevisionAppendedAfterTheSignedEof() throws Exception {
        Path pdf = sealedPdf();
        Path appended = Forgeries.replacedContent(pdf, dir.resolve("appended.pdf"));
        ValidationResult result = validate(appended);
        assertEquals(Verdict.MODIFIED_AFTER_SIGNING, result.verdict(), result.summary());
        // the signed revision itself still ends at its own %%EOF
        String text = new String(Files.readAllBytes(appended), StandardCharsets.ISO_8859_1);
        assertTrue(text.indexOf("%%EOF") < text.lastIndexOf("%%EOF"), "two revisions");
    }
}
