package io.cachet.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.List;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachet.signature.testing.Pdfs;

/**
 * The floor of {@code cli-sign.sh} does the work it stands for: an incremental update of the PDF (the original bytes
 * kept as they were) with one signature dictionary, whose contents are a P-256 signature over the signed byte
 * ranges that the JDK verifies. Measures nothing.
 */
class PadesFloorTest {

    @Test
    void signsTheByteRangesOfAnIncrementalUpdate(@TempDir Path dir) throws Exception {
        Path in = Pdfs.pages(dir.resolve("in.pdf"), 3);
        Path out = dir.resolve("out.pdf");
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair key = g.generateKeyPair();

        PadesFloor.sign(in, out, key);

        byte[] original = Files.readAllBytes(in);
        byte[] signed = Files.readAllBytes(out);
        assertTrue(signed.length > original.length);
        assertArrayEquals(original, Arrays.copyOf(signed, original.length), "an incremental update");
        try (PDDocument doc = Loader.loadPDF(signed)) {
            List<PDSignature> signatures = doc.getSignatureDictionaries();
            assertEquals(1, signatures.size());
            PDSignature s = signatures.get(0);
            byte[] contents = s.getContents(signed);
            byte[] der = Arrays.copyOf(contents, 2 + (contents[1] & 0xff)); // the placeholder is padded with zeros
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(key.getPublic());
            verifier.update(s.getSignedContent(signed));
            assertTrue(verifier.verify(der), "a P-256 signature of the signed byte ranges");
        }
    }
}
