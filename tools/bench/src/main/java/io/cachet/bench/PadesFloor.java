package io.cachet.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Calendar;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.ExternalSigningSupport;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;

import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;

/**
 * The floor of a PAdES signature, what no implementation on PDFBox can skip: load the PDF from its file, add a
 * signature field, save it once as an incremental update with PDFBox's external signing, SHA-256 of the byte ranges
 * (the JDK's), one raw signature of that digest on the token, written into the reserved /Contents. No CMS, no
 * input checks, no certificate check: the output is not a valid PAdES signature, only the cost of its mechanics.
 */
final class PadesFloor {

    private PadesFloor() {
    }

    static Path sign(Path in, Path out, Token token, String alias, SignatureAlgorithm algorithm) {
        try (PDDocument pdf = Loader.loadPDF(in.toFile());
                OutputStream file = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16);
                SignatureOptions options = new SignatureOptions()) {
            PDSignature signature = new PDSignature();
            signature.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
            signature.setSubFilter(PDSignature.SUBFILTER_ETSI_CADES_DETACHED);
            signature.setSignDate(Calendar.getInstance());
            options.setPreferredSignatureSize(8192);
            pdf.addSignature(signature, options);
            ExternalSigningSupport external = pdf.saveIncrementalForExternalSigning(file);
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            try (InputStream content = external.getContent()) {
                for (int n = content.read(buffer); n >= 0; n = content.read(buffer)) {
                    sha256.update(buffer, 0, n);
                }
            }
            external.setSignature(token.signDigest(alias, algorithm, sha256.digest()));
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
