package io.cachet.evidence.internal;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

import io.cachet.api.ca.PlatformSealKey;
import io.cachet.api.signature.Level;
import io.cachet.api.signature.SignOptions;
import io.cachet.api.signature.Signer;

/** Seals with the platform's seal ({@link PlatformSealKey}) at PAdES-LTA, time-stamped by Cachet's own TSA. */
final class PlatformSealer implements Sealer {
    private final Signer signer;
    private final PlatformSealKey seal;

    PlatformSealer(Signer signer, PlatformSealKey seal) {
        this.signer = signer;
        this.seal = seal;
    }

    private SignOptions options() {
        return SignOptions.pades(Level.LTA).withTsa(seal.timeStampAuthority()).withTrustAnchors(seal.trustAnchors());
    }

    @Override
    public void seal(Path input, Path output) {
        signer.sign(input, output, seal.signingKey(), options());
    }

    @Override
    public void extend(Path input, Path output) {
        signer.extend(input, output, options());
    }

    @Override
    public List<X509Certificate> trustAnchors() {
        return seal.trustAnchors();
    }
}
