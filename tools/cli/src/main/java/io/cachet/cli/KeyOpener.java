package io.cachet.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;

import io.cachet.api.token.Token;
import io.cachet.api.token.TokenCapability;
import io.cachet.api.token.TokenInfo;
import io.cachet.api.token.TokenKey;
import io.cachet.api.signature.SigningKey;
import io.cachet.token.soft.launch.KeyFile;
import io.cachet.token.soft.launch.SoftTokens;
import io.cachet.token.pkcs11.spi.Pkcs11DriverConfig;
import io.cachet.token.pkcs11.launch.Pkcs11Drivers;
import io.cachet.token.pkcs11.spi.Pkcs11Profile;
import io.cachet.token.pkcs11.spi.Pkcs11TokenDriver;

/**
 * Opens the {@code --key} of {@code sign}: a PKCS#12 file, or a key on a PKCS#11 token (a SafeNet eToken with
 * SafeNet Authentication Client's module, SoftHSM2, any PKCS#11 module) named by an RFC 7512 URI.
 */
final class KeyOpener {

    /** A key ready to sign, and what must be closed after: the token session and the module. */
    record OpenedKey(SigningKey key, String description, AutoCloseable resources) implements AutoCloseable {
        @Override
        public void close() {
            try {
                resources.close();
            } catch (Exception e) {
                // closing a token or a module that failed already: nothing left to release
            }
        }
    }

    /** A generic profile: the command line only logs in and signs, which is standard PKCS#11 on every token. */
    private static final Pkcs11Profile STANDARD = () -> "PKCS#11";

    private KeyOpener() {
    }

    /**
     * @param key a PKCS#12 file path or a {@code pkcs11:} URI
     * @param module the PKCS#11 module for a URI ({@code null}: the URI's {@code module-path})
     * @param pinFile the file holding the PIN or password; {@code null} asks on the terminal
     * @param chain issuer certificates to put into signatures; empty: the PKCS#12 file's chain, or (PKCS#11) the
     *        issuers found through the certificate's AIA
     * @param sessions how many signatures may run at once (PKCS#11 sessions on the token, 1 to 64); a key file
     *        signs on any number of threads
     */
    static OpenedKey open(String key, String module, Path pinFile, List<X509Certificate> chain, int sessions) {
        if (Pkcs11Uri.looksLike(key)) {
            return pkcs11(Pkcs11Uri.parse(key), module, pinFile, chain, sessions);
        }
        if (module != null) {
            throw new IllegalArgumentException("--module goes with a pkcs11: key, not with the key file " + key);
        }
        Path file = Path.of(key);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such key file: " + key + " (give a PKCS#12 file, .p12 or .pfx, or"
                    + " a pkcs11: URI)");
        }
        char[] password = Secrets.read(pinFile, "password of " + file.getFileName());
        try {
            KeyFile opened = SoftTokens.keyFile(file, password, null);
            SigningKey signingKey = new SigningKey(opened.token(), opened.alias(),
                    chain.isEmpty() ? opened.issuers() : chain);
            return new OpenedKey(signingKey, file.toString(), opened.token()::close);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static OpenedKey pkcs11(Pkcs11Uri uri, String module, Path pinFile, List<X509Certificate> chain,
            int sessions) {
        if (uri.query().containsKey("pin-value") || uri.query().containsKey("pin-source")) {
            throw new IllegalArgumentException("the PIN does not go into the URI (it would stay in the shell history):"
                    + " put it in a file and give --pin-file FILE, or let cachet-cli ask for it");
        }
        String library = module != null ? module : uri.query().get("module-path");
        if (library == null) {
            throw new IllegalArgumentException("a pkcs11: key needs the token's PKCS#11 module: give --module LIB, "
                    + "e.g. --module /usr/lib/libeTPkcs11.so (SafeNet Authentication Client)");
        }
        if (!Files.isRegularFile(Path.of(library))) {
            throw new IllegalArgumentException("the PKCS#11 module " + library + " does not exist: install the token's"
                    + " driver (SafeNet Authentication Client for eTokens) or correct --module");
        }
        // the command line signs with existing keys only: the token itself refuses what it cannot do. One login,
        // several sessions: the driver lends one to each signature, so the threads of a batch never share one
        Pkcs11TokenDriver driver = Pkcs11Drivers.open(new Pkcs11DriverConfig(library, "cli",
                EnumSet.of(TokenCapability.EC_P384, TokenCapability.RSA_PSS, TokenCapability.RSA_4096), STANDARD,
                sessions, Duration.ofSeconds(60)));
        Token token = null;
        try {
            TokenInfo info = choose(driver.tokens(), uri, library);
            char[] pin = Secrets.read(pinFile, "PIN of token '" + info.label() + "' (" + info.serial() + ")");
            try {
                token = driver.login(info.serial(), pin);
            } finally {
                Arrays.fill(pin, '\0');
            }
            String alias = alias(token, uri);
            Token opened = token;
            return new OpenedKey(new SigningKey(token, alias, chain), "key '" + alias + "' on token '" + info.label()
                    + "'", () -> {
                        opened.close();
                        driver.close();
                    });
        } catch (RuntimeException e) {
            if (token != null) {
                token.close();
            }
            driver.close();
            throw e;
        }
    }

    static TokenInfo choose(List<TokenInfo> tokens, Pkcs11Uri uri, String library) {
        List<TokenInfo> initialised = tokens.stream().filter(t -> t.has(TokenInfo.Flag.INITIALIZED)).toList();
        if (initialised.isEmpty()) {
            throw new IllegalArgumentException("no token is plugged in (module " + library + "): plug the token in");
        }
        List<TokenInfo> matching = initialised.stream()
                .filter(t -> matches(uri.attribute("token"), t.label()))
                .filter(t -> matches(uri.attribute("serial"), t.serial()))
                .filter(t -> matches(uri.attribute("manufacturer"), t.manufacturer()))
                .filter(t -> matches(uri.attribute("model"), t.model())).toList();
        if (matching.isEmpty()) {
            throw new IllegalArgumentException("no token matches the URI; plugged tokens: " + list(initialised));
        }
        if (matching.size() > 1) {
            throw new IllegalArgumentException("several tokens match the URI: add serial=... to it; matching: "
                    + list(matching));
        }
        return matching.get(0);
    }

    private static boolean matches(String wanted, String actual) {
        return wanted == null || wanted.trim().equals(actual == null ? "" : actual.trim());
    }

    private static String list(List<TokenInfo> tokens) {
        return tokens.stream().map(t -> "token=" + t.label() + ";serial=" + t.serial())
                .collect(Collectors.joining(", "));
    }

    /** The key the URI names, or the only key on the token that has a certificate. */
    private static String alias(Token token, Pkcs11Uri uri) {
        List<TokenKey> keys = token.keys();
        String wanted = uri.keyAlias();
        String available = keys.isEmpty() ? "none"
                : keys.stream().map(TokenKey::alias).collect(Collectors.joining(", "));
        if (wanted != null) {
            if (keys.stream().noneMatch(k -> k.alias().equals(wanted))) {
                throw new IllegalArgumentException("no key '" + wanted + "' on the token; its keys: " + available);
            }
            return wanted;
        }
        List<String> certified = keys.stream().map(TokenKey::alias)
                .filter(a -> token.certificate(a).isPresent()).toList();
        if (certified.size() != 1) {
            throw new IllegalArgumentException("name the key with object=<label> in the URI; keys on the token: "
                    + available);
        }
        return certified.get(0);
    }
}
