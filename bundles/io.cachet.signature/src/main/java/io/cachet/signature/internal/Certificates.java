package io.cachet.signature.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import io.cachet.api.signature.SignatureException;
import io.cachet.api.signature.SignatureException.Reason;

/** Reading certificates from files. */
public final class Certificates {

    private Certificates() {
    }

    /** Every certificate of a PEM file (one or more blocks) or a DER certificate. */
    public static List<X509Certificate> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> result = new ArrayList<>();
            for (java.security.cert.Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(in)) {
                result.add((X509Certificate) c);
            }
            if (result.isEmpty()) {
                throw new SignatureException(Reason.MALFORMED_INPUT, file + " holds no certificate");
            }
            return List.copyOf(result);
        } catch (NoSuchFileException e) {
            throw new SignatureException(Reason.IO, "no such certificate file: " + file);
        } catch (IOException e) {
            throw new SignatureException(Reason.IO, "cannot read " + file + ": " + e.getMessage(), e);
        } catch (CertificateException e) {
            throw new SignatureException(Reason.MALFORMED_INPUT,
                    file + " is not a PEM or DER certificate file: " + Failures.rootMessage(e), e);
        }
    }
}
