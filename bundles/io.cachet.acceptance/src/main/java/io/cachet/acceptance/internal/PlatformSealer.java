package io.cachet.acceptance.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.cachet.api.signature.Level;
import io.cachet.api.signature.SignOptions;
import io.cachet.api.signature.Signer;
import io.cachet.api.signature.SigningKey;
import io.cachet.api.signature.VisibleSignature;

/**
 * Seals the form with a key at PAdES-B-LT (time-stamped by {@code tsa}, revocation data gathered up to
 * {@code trustAnchors}) with a visible box on the last page naming the person. Each seal is an incremental revision:
 * the earlier signatures stay valid.
 */
final class PlatformSealer implements Sealer {

    private final Signer signer;
    private final SigningKey key;
    private final java.net.URI tsa;
    private final List<java.security.cert.X509Certificate> trustAnchors;

    PlatformSealer(Signer signer, SigningKey key, java.net.URI tsa, List<java.security.cert.X509Certificate> trustAnchors) {
        this.signer = signer;
        this.key = key;
        this.tsa = tsa;
        this.trustAnchors = List.copyOf(trustAnchors);
    }

    /** The box of person {@code box} on the last page, measured from the bottom left, showing {@code lines}. */
    static VisibleSignature box(int box, List<String> lines) {
        return new VisibleSignature(-1, FormPdf.boxX(box), FormPdf.BOX_BOTTOM, FormPdf.BOX_WIDTH, FormPdf.BOX_HEIGHT,
                null, false, null, true).withText(lines);
    }

    @Override
    public byte[] seal(byte[] pdf, int box, List<String> lines) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("cachet-acceptance-");
            Path in = dir.resolve("form.pdf");
            Path out = dir.resolve("signed.pdf");
            Files.write(in, pdf);
            SignOptions options = SignOptions.pades(Level.LT).withTsa(tsa).withTrustAnchors(trustAnchors)
                    .withVisibleSignature(box(box, lines));
            signer.sign(in, out, key, options);
            return Files.readAllBytes(out);
        } catch (IOException e) {
            throw new UncheckedIOException("The acceptance form could not be sealed", e);
        } finally {
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path p : files.toList()) {
                        Files.deleteIfExists(p);
                    }
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
                    // a temporary folder left behind holds nothing secret (the form is not)
                }
            }
        }
    }
}
