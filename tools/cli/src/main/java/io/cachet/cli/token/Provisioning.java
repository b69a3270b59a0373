package io.cachet.cli.token;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import io.cachet.api.token.KeyAlgorithm;
import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.SignatureAlgorithm;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenCapability;
import io.cachet.api.token.TokenDriver;
import io.cachet.api.token.TokenInfo;
import io.cachet.api.token.TokenKey;
import io.cachet.ca.launch.TokenSigners;

/**
 * {@code token provision}: one order's seal made on a blank token at the operator's station, each step recorded by
 * the server (REST steps 1 to 7 of the token delivery API) so that an interrupted run resumes where it stopped.
 *
 * <p>The initialisation PIN is drawn here, sent to the server encrypted to its PIN key <em>before</em> it goes on
 * the token (a crash after initialising can then always resume: the server returns it encrypted to the resume key of
 * the next run), and never shown. The SO PIN is random and forgotten at once: a locked token cannot be unblocked.
 *
 * <p>A blank token that reports no serial number before initialisation (SoftHSM2 draws one at {@code C_InitToken})
 * cannot be registered first: it is initialised with a temporary PIN, registered under its new serial, and its PIN
 * replaced by the registered initialisation PIN only then. A crash in between leaves a token nobody can open (for
 * SoftHSM2 a test slot, free to discard); the server recorded nothing for it.
 */
public final class Provisioning {

    /** The stages at which the server resumes a token that is plugged in again. */
    static final Set<String> RESUMABLE = Set.of("INITIALISED", "KEY_GENERATED", "CERTIFIED");
    private static final String DIGITS = "0123456789";
    private static final String SO_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    /** What was provisioned. */
    public record Result(String orderId, String tokenLabel, String tokenSerial, String certificateSerial,
            X509Certificate certificate, ProvisioningApi.Shipment shipment, boolean resumed) {
    }

    /** Provisioning stopped after the server knew the token: recorded there (step 7), to be run again. */
    public static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String step;

        Stopped(String step, String message, Throwable cause) {
            super(message, cause);
            this.step = step;
        }

        public String step() {
            return step;
        }
    }

    private final ProvisioningApi api;
    private final TokenDriver driver;
    private final String library;
    private final Consumer<String> progress;
    private final SecureRandom random;
    private String pauseAfter;

    public Provisioning(ProvisioningApi api, TokenDriver driver, String library, Consumer<String> progress,
            SecureRandom random) {
        this.api = api;
        this.driver = driver;
        this.library = library;
        this.progress = progress;
        this.random = random;
    }

    /**
     * Makes {@link #run} stop after {@code step} ({@code initialise}, {@code key}, {@code csr} or {@code write}) has
     * completed and wait there until the process is stopped: an interruption at a known point, for tests (kill -9
     * between key generation and certificate write) and operator training. Null: no pause.
     */
    public Provisioning pauseAfter(String step) {
        this.pauseAfter = step;
        return this;
    }

    private void checkpoint(String step) {
        if (!step.equals(pauseAfter)) {
            return;
        }
        progress.accept("paused after " + step + " (--pause-after): stop this process to interrupt provisioning here");
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while paused after " + step, e);
        }
    }

    /**
     * Provisions order {@code orderId} on the token in {@code slot} (null: chosen as {@link #choose} says).
     *
     * @param soPin the current SO PIN of an initialised token to erase ({@code --reinitialise}), else null; wiped by
     *        the caller
     * @throws IllegalArgumentException when nothing was started: no suitable token, a refused token, an order the
     *         server does not provision
     * @throws ServerRefusal when the server refused before provisioning started
     * @throws Stopped when provisioning started and stopped half-way (recorded on the server)
     */
    public Result run(String orderId, Long slot, char[] soPin) {
        boolean reinitialise = soPin != null;
        ProvisioningApi.PinKey pinKey = api.pinKey();
        ProvisioningApi.Delivery delivery = api.delivery(orderId);
        if (delivery.stage().equals("PROVISIONED") || delivery.stage().equals("ACTIVATED")) {
            throw new IllegalArgumentException("order " + orderId + " is already provisioned on token "
                    + delivery.tokenSerial() + " (" + delivery.stage() + "): nothing to do here; a token lost in the"
                    + " post comes back to the queue once its shipment is marked LOST");
        }
        TokenInfo chosen = choose(driver.tokens(), slot, delivery, reinitialise, library);
        boolean blank = !chosen.has(TokenInfo.Flag.INITIALIZED);
        progress.accept("token in slot " + chosen.slotId() + ": " + describe(chosen) + " (" + driver.id() + " driver, "
                + library + ")");
        KeyPair resumeKey = PinCipher.resumeKey(random);
        String serial = chosen.serial();
        char[] interim = null;
        Token token = null;
        char[] pin = null;
        String step = "start";
        try {
            if (blank && serial.isBlank()) {
                if (delivery.tokenLabel() == null || delivery.tokenLabel().isBlank()) {
                    throw new IllegalStateException("the server gave no label for the token of order " + orderId);
                }
                progress.accept("this token reports no serial number before it is initialised (" + chosen.model()
                        + "): it is initialised first with a temporary PIN, registered under its new serial, then"
                        + " given the initialisation PIN");
                interim = draw(DIGITS, 12);
                PinPolicy policy = policy(OptionalInt.empty());
                char[] so = draw(SO_CHARS, 32);
                try {
                    serial = driver.initialize(chosen.slotId(), so, interim, delivery.tokenLabel(), policy).serial();
                } finally {
                    Arrays.fill(so, '\0');
                }
            }
            ProvisioningApi.Started started = api.start(orderId, serial, chosen.manufacturer(), chosen.model(), null,
                    resumeKey.getPublic());
            progress.accept("order " + orderId + ": attempt " + started.attempt() + ", stage " + started.stage()
                    + (started.resume() ? " (resuming this token)" : "") + ", label '" + started.tokenLabel() + "'");
            step = "initialise";
            switch (started.stage()) {
                case "WAITING" -> {
                    if (!blank && !reinitialise) {
                        throw new IllegalStateException("token " + serial + " is initialised but the server holds no"
                                + " PIN for it: it cannot be resumed; plug in a blank token, or erase this one with"
                                + " --slot " + chosen.slotId() + " --reinitialise --so-pin-file FILE");
                    }
                    pin = draw(DIGITS, started.pinDigits());
                    api.initialised(orderId, serial, pinKey, pin);
                    if (interim != null) {
                        token = driver.login(serial, interim);
                        token.changePin(interim, pin);
                    } else {
                        token = initialise(chosen, serial, reinitialise ? soPin.clone() : null, pin, started);
                    }
                    progress.accept("initialised '" + started.tokenLabel() + "' (serial " + serial + "): user PIN ="
                            + " the initialisation PIN, registered encrypted with the server and not shown here; "
                            + (reinitialise ? "SO PIN unchanged (the one given)" : "SO PIN random and discarded"));
                }
                case "INITIALISED", "KEY_GENERATED", "CERTIFIED" -> {
                    if (started.pin() == null) {
                        throw new IllegalStateException("the server resumes stage " + started.stage() + " but"
                                + " returned no initialisation PIN: it is no longer in its custody");
                    }
                    pin = PinCipher.decrypt(started.pin(), resumeKey.getPrivate());
                    if (interim != null) {
                        token = driver.login(serial, interim);
                        token.changePin(interim, pin);
                    } else if (blank) {
                        token = initialise(chosen, serial, null, pin, started);
                    } else {
                        token = driver.login(serial, pin);
                    }
                    progress.accept("resuming at stage " + started.stage() + " with the initialisation PIN the"
                            + " server returned to this station (encrypted to this run's key)");
                }
                default -> throw new IllegalStateException("the server answered stage " + started.stage()
                        + ", which this cachet-cli does not know");
            }
            checkpoint("initialise");
            step = "key";
            TokenKey key = sealKey(token, started);
            api.key(orderId, serial, key);
            checkpoint("key");
            step = "csr";
            String csr = certificationRequest(token, key, started.tokenLabel());
            ProvisioningApi.Certified certified = api.csr(orderId, serial, csr);
            X509Certificate certificate = certificate(certified.certificate());
            if (!Arrays.equals(certificate.getPublicKey().getEncoded(), key.publicKey().getEncoded())) {
                throw new IllegalStateException("the certificate the server returned (serial "
                        + certified.certificateSerial() + ") is not for this token's key");
            }
            progress.accept("certificate " + certified.certificateSerial() + " issued: "
                    + certificate.getSubjectX500Principal().getName());
            checkpoint("csr");
            step = "write";
            Optional<X509Certificate> present = token.certificate(key.alias());
            if (present.isEmpty() || !present.get().equals(certificate)) {
                token.importCertificate(key.alias(), certificate);
            }
            progress.accept("certificate written on the token next to key '" + key.alias() + "'; its "
                    + certified.chain().size() + " issuer certificates are not (the token interface stores one"
                    + " certificate per key; signing finds them through the certificate's AIA)");
            checkpoint("write");
            step = "shipment";
            ProvisioningApi.Shipment shipment = api.written(orderId, serial);
            progress.accept("provisioned: shipment " + shipment.id() + " " + shipment.state() + ", label "
                    + api.http().resolve(shipment.labelUrl()));
            return new Result(orderId, started.tokenLabel(), serial, certified.certificateSerial(), certificate,
                    shipment, started.resume());
        } catch (RuntimeException e) {
            if (step.equals("start")) {
                throw e;
            }
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            try {
                api.failure(orderId, serial, step, why);
            } catch (RuntimeException notRecorded) {
                progress.accept("the stop could not be recorded on the server: " + notRecorded.getMessage());
            }
            throw new Stopped(step, "provisioning of order " + orderId + " stopped at step '" + step + "' (token "
                    + serial + "): " + why + ". Run the same command again with the same token to resume, or with a"
                    + " new blank token to start over (--slot N names it while the old one is still plugged in): the"
                    + " certificate of the old one will then be revoked", e);
        } finally {
            if (pin != null) {
                Arrays.fill(pin, '\0');
            }
            if (interim != null) {
                Arrays.fill(interim, '\0');
            }
            if (token != null) {
                token.close();
            }
        }
    }

    /** Initialises {@code chosen} with {@code pin} and logs in; a random SO PIN unless one is given (wiped here). */
    private Token initialise(TokenInfo chosen, String serial, char[] givenSoPin, char[] pin,
            ProvisioningApi.Started started) {
        PinPolicy policy = policy(OptionalInt.of(started.maxUserPinTries()));
        char[] so = givenSoPin != null ? givenSoPin : draw(SO_CHARS, 32);
        TokenInfo after;
        try {
            after = driver.initialize(chosen.slotId(), so, pin, started.tokenLabel(), policy);
        } finally {
            Arrays.fill(so, '\0');
        }
        if (!after.serial().equals(serial)) {
            throw new IllegalStateException("the token's serial changed from " + serial + " to " + after.serial()
                    + " when it was initialised; the server knows it as " + serial);
        }
        return driver.login(serial, pin);
    }

    /**
     * Cachet's policy for a qualified seal, reduced to what the driver can make the token enforce; the demands it
     * cannot are named on a progress line (Cachet's own counters protect the PIN reveal and codes instead).
     */
    PinPolicy policy(OptionalInt maxTries) {
        Set<TokenCapability> caps = driver.capabilities();
        List<String> unenforced = new ArrayList<>();
        OptionalInt tries = OptionalInt.empty();
        if (caps.contains(TokenCapability.PIN_RETRY_LIMIT) && maxTries.isPresent() && maxTries.getAsInt() > 0) {
            tries = maxTries;
        } else {
            unenforced.add(maxTries.isPresent() ? "at most " + maxTries.getAsInt() + " wrong PINs"
                    : "a limit of wrong PINs");
        }
        boolean mustChange = caps.contains(TokenCapability.PIN_MUST_CHANGE);
        if (!mustChange) {
            unenforced.add("a PIN change at first use");
        }
        boolean noUnblock = caps.contains(TokenCapability.SO_UNBLOCK_DISABLE);
        if (!noUnblock) {
            unenforced.add("no unblocking (its SO PIN is random and discarded instead)");
        }
        if (!unenforced.isEmpty()) {
            progress.accept("this token (" + driver.id() + ") cannot enforce: " + String.join(", ", unenforced));
        }
        return new PinPolicy(tries, mustChange, !noUnblock, 4);
    }

    /** The order's key on the token: the one made in an earlier run, else a new one. */
    private TokenKey sealKey(Token token, ProvisioningApi.Started started) {
        String alias = started.keyAlias();
        Optional<TokenKey> existing = token.keys().stream().filter(k -> k.alias().equals(alias)).findFirst();
        KeyAlgorithm algorithm = algorithm(started.keyAlgorithm());
        TokenKey key = existing.orElseGet(() -> token.generateKeyPair(alias, algorithm));
        if (!key.protectedOnToken()) {
            throw new IllegalStateException("key '" + alias + "' on the token is not protected as a seal key must be"
                    + " (sensitive " + key.sensitive() + ", extractable " + key.extractable() + ", always sensitive "
                    + key.alwaysSensitive() + ", never extractable " + key.neverExtractable() + ")");
        }
        progress.accept("key '" + alias + "' " + key.algorithm() + (existing.isPresent() ? " found on the token"
                : " generated on the token") + ": sensitive, never extractable (CKA_ALWAYS_SENSITIVE and"
                + " CKA_NEVER_EXTRACTABLE read back)");
        return key;
    }

    private static KeyAlgorithm algorithm(String name) {
        try {
            return KeyAlgorithm.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalStateException("the server asks for a key algorithm this cachet-cli does not know: "
                    + name);
        }
    }

    /** PKCS#10 with subject CN=label, signed on the token (proof of possession). */
    static String certificationRequest(Token token, TokenKey key, String label) {
        SignatureAlgorithm algorithm = switch (key.algorithm()) {
            case EC_P256 -> SignatureAlgorithm.ECDSA_SHA256;
            case EC_P384 -> SignatureAlgorithm.ECDSA_SHA384;
            default -> SignatureAlgorithm.RSA_PKCS1_SHA256;
        };
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(new JcaPKCS10CertificationRequestBuilder(new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.CN, label).build(), key.publicKey())
                    .build(TokenSigners.of(token, key.alias(), algorithm)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    static X509Certificate certificate(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("the server's answer carries no readable certificate", e);
        }
    }

    /**
     * The token to provision: the one in {@code slot}; else the order's own token when it is plugged in and its
     * provisioning can resume; else the only blank one. An initialised token is refused unless it is the order's
     * token being resumed, or it is to be erased ({@code reinitialise}).
     */
    static TokenInfo choose(List<TokenInfo> tokens, Long slot, ProvisioningApi.Delivery delivery,
            boolean reinitialise, String library) {
        boolean resumable = RESUMABLE.contains(delivery.stage()) && delivery.tokenSerial() != null;
        Predicate<TokenInfo> orders = t -> resumable && t.has(TokenInfo.Flag.INITIALIZED)
                && t.serial().equals(delivery.tokenSerial());
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("no token is plugged in (module " + library + "): plug in a blank"
                    + " token");
        }
        TokenInfo chosen;
        if (slot != null) {
            chosen = tokens.stream().filter(t -> t.slotId() == slot).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("no token in slot " + slot + "; tokens: " + list(tokens)));
        } else {
            Optional<TokenInfo> own = tokens.stream().filter(orders).findFirst();
            List<TokenInfo> blanks = tokens.stream().filter(t -> !t.has(TokenInfo.Flag.INITIALIZED)).toList();
            if (own.isPresent()) {
                chosen = own.get();
            } else if (blanks.isEmpty()) {
                throw new IllegalArgumentException("no blank token: every token plugged in is initialised (" + list(
                        tokens) + "); plug in a blank token, or erase one with --slot N --reinitialise --so-pin-file"
                        + " FILE (its SO PIN)");
            } else if (blanks.size() > 1) {
                throw new IllegalArgumentException("several blank tokens are plugged in (" + list(blanks) + "):"
                        + " choose one with --slot N");
            } else {
                chosen = blanks.get(0);
            }
        }
        if (chosen.has(TokenInfo.Flag.INITIALIZED)) {
            if (orders.test(chosen)) {
                if (reinitialise) {
                    throw new IllegalArgumentException("token " + chosen.serial() + " is this order's token and its"
                            + " provisioning stopped at " + delivery.stage() + ": run without --reinitialise to"
                            + " resume it");
                }
            } else if (!reinitialise) {
                throw new IllegalArgumentException("token " + describe(chosen) + " in slot " + chosen.slotId()
                        + " is already initialised: refused (its keys would be lost). Plug in a blank token, or erase"
                        + " this one with --reinitialise --so-pin-file FILE (its SO PIN)");
            }
        } else if (reinitialise) {
            throw new IllegalArgumentException("the token in slot " + chosen.slotId() + " is blank: --reinitialise"
                    + " and --so-pin-file are only for an initialised token");
        }
        return chosen;
    }

    static String describe(TokenInfo t) {
        String what = (t.manufacturer() + " " + t.model()).strip();
        return t.has(TokenInfo.Flag.INITIALIZED) ? "'" + t.label() + "' serial " + t.serial() + " (" + what + ")"
                : "blank" + (t.serial().isBlank() ? "" : ", serial " + t.serial()) + " (" + what + ")";
    }

    private static String list(List<TokenInfo> tokens) {
        return tokens.stream().map(t -> "slot " + t.slotId() + ": " + describe(t)).collect(Collectors.joining("; "));
    }

    private char[] draw(String alphabet, int length) {
        if (length < 4 || length > 64) {
            throw new IllegalStateException("the server asks for a PIN of " + length + " characters");
        }
        char[] c = new char[length];
        for (int i = 0; i < length; i++) {
            c[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return c;
    }
}
