package io.cachet.testing.pki;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;

/** The tests' one PKCS#12 writer: the JDK's key store with its (strong, JDK 17) defaults. */
public final class Pkcs12Files {

    private Pkcs12Files() {
    }

    /**
     * Writes {@code key} with {@code chain} (its certificate first, then the issuers) under {@code alias}, the file
     * and the key protected by {@code password}.
     *
     * @return {@code file}
     */
    public static Path write(Path file, String alias, PrivateKey key, List<X509Certificate> chain, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(alias, key, password, chain.toArray(Certificate[]::new));
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the PKCS#12 file " + file + ": " + e, e);
        }
    }
}
