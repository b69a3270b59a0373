package io.cachet.signature.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.cachet.api.testing.Processes;
import io.cachet.api.signature.SignatureReport;
import io.cachet.api.signature.ValidationResult;
import io.cachet.api.signature.Verdict;

/** The independent verifiers: poppler's pdfsig, openssl cms, xmlsec1; and DSS's verdict. */
public final class Tools {

    private Tools() {
    }

    public record Result(int exit, String out) {
    }

    /** Runs a verifier through the tests' one process runner (5 minutes at most). */
    public static Result run(Path dir, String... command) {
        Processes.Result r = Processes.run(dir, Duration.ofSeconds(300), command);
        return new Result(r.exit(), r.out());
    }

    /**
     * pdfsig must find {@code expected} signatures (CMS: adbe.pkcs7.detached, ETSI.CAdES.detached), each "Signature
     * is Valid". Document time-stamps (ETSI.RFC3161, the archive time-stamps of PAdES-LTA) are counted apart:
     * poppler 22 cannot verify them ("Unable to validate this type of signature"); {@link #opensslDocumentTimestamps}
     * checks them instead.
     *
     * @return the number of document time-stamps pdfsig listed
     */
    public static int pdfsigValid(Path pdf, int expected, String... options) {
        List<String> cmd = new ArrayList<>(List.of("pdfsig", "-nocert", "-no-ocsp"));
        cmd.addAll(List.of(options));
        cmd.add(pdf.toString());
        Result r = run(pdf.getParent(), cmd.toArray(String[]::new));
        assertEquals(0, r.exit(), r.out());
        String[] blocks = r.out().split("Signature #\\d+:");
        int signatures = 0;
        int timestamps = 0;
        for (int i = 1; i < blocks.length; i++) {
            String block = blocks[i];
            Matcher type = Pattern.compile("Signature Type: (\\S+)").matcher(block);
            Matcher validation = Pattern.compile("Signature Validation: (.*)").matcher(block);
            assertTrue(type.find() && validation.find(), block);
            if (type.group(1).equals("ETSI.CAdES.detached") || type.group(1).equals("adbe.pkcs7.detached")) {
                assertEquals("Signature is Valid.", validation.group(1).trim(), r.out());
                signatures++;
            } else {
                assertTrue(block.contains("TSA"), "only document time-stamps may be left unverified: " + block);
                timestamps++;
            }
        }
        assertEquals(expected, signatures, r.out());
        return timestamps;
    }

    /** Every document time-stamp of the PDF must pass {@code openssl ts -verify} over its byte range. */
    public static int opensslDocumentTimestamps(Path pdf, Path chain, Path tsa) {
        int n = 0;
        try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.Loader.loadPDF(pdf.toFile())) {
            byte[] all = java.nio.file.Files.readAllBytes(pdf);
            for (org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature s : doc.getSignatureDictionaries()) {
                if (!"ETSI.RFC3161".equals(s.getSubFilter())) {
                    continue;
                }
                n++;
                Path data = pdf.resolveSibling("ts-" + n + ".data");
                Path token = pdf.resolveSibling("ts-" + n + ".tst");
                java.nio.file.Files.write(data, s.getSignedContent(all));
                java.nio.file.Files.write(token, s.getContents(all));
                Result r = run(pdf.getParent(), "openssl", "ts", "-verify", "-data", data.toString(), "-in",
                        token.toString(), "-token_in", "-CAfile", chain.toString(), "-untrusted", tsa.toString());
                assertEquals(0, r.exit(), r.out());
                assertTrue(r.out().contains("Verification: OK"), r.out());
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return n;
    }

    public static void opensslCmsDetached(Path p7s, Path content, Path caFile) {
        Result r = run(p7s.getParent(), "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in",
                p7s.toString(), "-content", content.toString(), "-CAfile", caFile.toString(), "-purpose", "any",
                "-out", "/dev/null");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("Verification successful"), r.out());
    }

    public static byte[] opensslCmsAttached(Path p7m, Path caFile) {
        Path out = p7m.resolveSibling(p7m.getFileName() + ".content");
        Result r = run(p7m.getParent(), "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in",
                p7m.toString(), "-CAfile", caFile.toString(), "-purpose", "any", "-out", out.toString());
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("Verification successful"), r.out());
        try {
            return java.nio.file.Files.readAllBytes(out);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    public static void xmlsecEnveloped(Path xml, Path root, Path issuing) {
        xmlsecVerify(xml, root, issuing);
    }

    /**
     * xmlsec1 must verify the XML signature {@code xml} (any packaging; a detached reference is resolved from the
     * signature's folder) up to {@code root} through {@code issuing}.
     */
    public static void xmlsecVerify(Path xml, Path root, Path issuing) {
        Result r = run(xml.getParent(), "xmlsec1", "--verify", "--id-attr:Id", "SignedProperties", "--trusted-pem",
                root.toString(), "--untrusted-pem", issuing.toString(), xml.toString());
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("OK"), r.out());
    }

    /** DSS must find {@code expected} signatures, every one TOTAL_PASSED at {@code format}. */
    public static void dssPassed(ValidationResult result, int expected, String format) {
        assertEquals(Verdict.VALID, result.verdict(), result.summary() + "\n" + result.signatures());
        assertEquals(expected, result.signatures().size(), result.summary());
        for (SignatureReport s : result.signatures()) {
            assertEquals("TOTAL_PASSED", s.indication(), s.toString());
        }
        if (format != null) {
            assertEquals(format, result.signatures().get(result.signatures().size() - 1).format(),
                    result.signatures().toString());
        }
        assertTrue(result.simpleReportXml().contains("SimpleReport"), "simple report XML");
        assertTrue(result.detailedReportXml().contains("DetailedReport"), "detailed report XML");
    }
}
