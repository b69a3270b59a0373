package io.cachet.token.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.Slot;

import io.cachet.api.token.PinPolicy;
import io.cachet.api.token.Token;
import io.cachet.api.token.TokenCapability;
import io.cachet.api.token.TokenException;
import io.cachet.api.token.TokenException.Reason;
import io.cachet.api.token.TokenInfo;
import io.cachet.api.token.TokenInfo.Flag;
import io.cachet.token.pkcs11.spi.Pkcs11DriverConfig;
import io.cachet.token.pkcs11.spi.Pkcs11Profile;
import io.cachet.token.pkcs11.spi.Pkcs11Session;
import io.cachet.token.pkcs11.spi.Pkcs11Slot;
import io.cachet.token.pkcs11.spi.Pkcs11TokenDriver;

/**
 * The generic PKCS#11 v2.40 driver: one module, any number of slots, a {@link Pkcs11Profile} for what the vendor
 * does beyond the standard. Thread-safe.
 */
public final class Pkcs11Driver implements Pkcs11TokenDriver {

    private static final Logger LOG = LoggerFactory.getLogger(Pkcs11Driver.class);

    private final String library;
    private final String id;
    private final Set<TokenCapability> capabilities;
    private final Pkcs11Profile profile;
    private final int poolSize;
    private final Duration borrowTimeout;
    private final SharedModule shared;
    private final Set<Pkcs11Token> open = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Loads the module, or shares it with the other drivers of this JVM on the same library.
     *
     * @throws IllegalArgumentException for a library file that does not exist or invalid settings
     * @throws TokenException {@code DEVICE_ERROR} when the module cannot be loaded or initialised
     */
    public Pkcs11Driver(String library, String id, Set<TokenCapability> capabilities, Pkcs11Profile profile,
            int poolSize, Duration borrowTimeout) {
        // the record holds the rules for valid settings
        Pkcs11DriverConfig config = new Pkcs11DriverConfig(library, id, capabilities, profile, poolSize,
                borrowTimeout);
        this.library = config.library();
        this.id = config.driverId();
        this.capabilities = config.capabilities().isEmpty() ? Set.of()
                : Set.copyOf(EnumSet.copyOf(config.capabilities()));
        this.profile = config.profile();
        this.poolSize = config.poolSize();
        this.borrowTimeout = config.borrowTimeout();
        this.shared = SharedModule.acquire(library);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String library() {
        return library;
    }

    @Override
    public Set<TokenCapability> capabilities() {
        return capabilities;
    }

    Pkcs11Profile profile() {
        return profile;
    }

    SharedModule shared() {
        return shared;
    }

    @Override
    public List<TokenInfo> tokens() {
        requireOpen();
        List<TokenInfo> infos = new ArrayList<>();
        for (Slot slot : slots()) {
            try {
                infos.add(info(slot, triesLeft(slot)));
            } catch (PKCS11Exception e) {
                // a token pulled between listing and reading is simply no longer there
                if (!Errors.removal(e.getErrorCode()) && e.getErrorCode() != CKR_SLOT_ID_INVALID) {
                    throw Errors.map(e, "Reading the token in slot " + slot.getSlotID());
                }
            }
        }
        return infos;
    }

    @Override
    public TokenInfo initialize(long slotId, char[] soPin, char[] userPin, String label, PinPolicy policy) {
        requireOpen();
        Objects.requireNonNull(soPin, "soPin");
        Objects.requireNonNull(userPin, "userPin");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(policy, "policy");
        if (label.isBlank()) {
            throw new IllegalArgumentException("A token label must not be blank");
        }
        InitToken.pad(label);
        // every refusal comes before the token is changed
        checkPolicy(policy);
        profile.checkPolicy(policy);
        Slot slot = slot(slotId).orElseThrow(() -> new TokenException(Reason.NOT_FOUND,
                "No token in slot " + slotId + " of " + library));
        org.xipki.pkcs11.wrapper.TokenInfo before;
        try {
            before = tokenInfo(slot);
        } catch (PKCS11Exception e) {
            throw Errors.map(e, "Reading the token in slot " + slotId);
        }
        long tokenMin = before.getMinPinLen();
        if (policy.minLength() > tokenMin) {
            throw new TokenException(Reason.UNSUPPORTED, "The PIN policy demands at least " + policy.minLength()
                    + " characters but " + profile.name() + " tokens enforce only " + tokenMin
                    + ": the token could not hold the holder to it");
        }
        if (userPin.length < Math.max(tokenMin, policy.minLength()) || userPin.length > before.getMaxPinLen()) {
            throw new TokenException(Reason.PIN_INVALID, "The user PIN must have between "
                    + Math.max(tokenMin, policy.minLength()) + " and " + before.getMaxPinLen() + " characters");
        }
        String serialBefore = before.getSerialNumber().trim();
        if (!serialBefore.isEmpty() && shared.loggedIn.contains(serialBefore)) {
            throw new TokenException(Reason.BUSY, "Token " + serialBefore + " is logged in through this driver: "
                    + "close its Token before initialising it");
        }
        Set<String> serialsBefore = new HashSet<>();
        for (TokenInfo info : tokens()) {
            serialsBefore.add(info.serial());
        }

        StandardSlot standard = new StandardSlot(slotId, serialBefore, serialsBefore);
        profile.initialize(standard, soPin, userPin, label, policy);
        TokenInfo after = find(standard, label);
        LOG.info("Initialised {} token {} '{}' in slot {}", profile.name(), after.serial(), after.label(),
                after.slotId());
        return after;
    }

    private void checkPolicy(PinPolicy policy) {
        if (policy.maxUserPinTries().isPresent() && !capabilities.contains(TokenCapability.PIN_RETRY_LIMIT)) {
            throw unsupported("a limit of " + policy.maxUserPinTries().getAsInt() + " user PIN tries");
        }
        if (policy.mustChangeAtFirstUse() && !capabilities.contains(TokenCapability.PIN_MUST_CHANGE)) {
            throw unsupported("a PIN the holder must change at first use");
        }
        if (!policy.soUnblockAllowed() && !capabilities.contains(TokenCapability.SO_UNBLOCK_DISABLE)) {
            throw unsupported("disabling the unblocking by the security officer");
        }
    }

    private TokenException unsupported(String demand) {
        return new TokenException(Reason.UNSUPPORTED, "Driver " + id + " (" + profile.name() + ") cannot make the "
                + "token enforce " + demand + "; nothing was changed on the token");
    }

    /**
     * The token just initialised: still in its slot for most modules; SoftHSM2 moves it to a new slot, where it is
     * recognised by its label and a serial number that is either the one it had or new.
     */
    private TokenInfo find(StandardSlot standard, String label) {
        List<TokenInfo> candidates = new ArrayList<>();
        for (TokenInfo info : tokens()) {
            if (!info.has(Flag.INITIALIZED) || !info.label().equals(label)) {
                continue;
            }
            if (info.slotId() == standard.slotId || info.serial().equals(standard.serialBefore)
                    || !standard.serialsBefore.contains(info.serial())) {
                candidates.add(info);
            }
        }
        return candidates.stream().filter(i -> i.slotId() == standard.slotId).findFirst()
                .or(() -> candidates.stream().findFirst())
                .orElseThrow(() -> new TokenException(Reason.DEVICE_ERROR, "Initialised the token of slot "
                        + standard.slotId + " but found no token labelled '" + label + "' afterwards"));
    }

    @Override
    public Token login(String serial, char[] userPin) {
        requireOpen();
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(userPin, "userPin");
        String wanted = serial.trim();
        Slot slot = null;
        for (Slot candidate : slots()) {
            try {
                org.xipki.pkcs11.wrapper.TokenInfo info = tokenInfo(candidate);
                if (info.isTokenInitialized() && info.getSerialNumber().trim().equals(wanted)) {
                    slot = candidate;
                    break;
                }
            } catch (PKCS11Exception e) {
                LOG.debug("Skipping slot {}: {}", candidate.getSlotID(), Errors.name(e.getErrorCode()));
            }
        }
        if (slot == null || wanted.isEmpty()) {
            throw new TokenException(Reason.NOT_FOUND, "No initialised token with serial number '" + serial + "' in "
                    + library);
        }
        if (!shared.loggedIn.add(wanted)) {
            throw new TokenException(Reason.BUSY, "Token " + wanted + " is already logged in through " + library
                    + " in this JVM: close that Token first (PKCS#11 would not check the PIN of a second login)");
        }
        List<Session> sessions = new ArrayList<>(poolSize);
        boolean done = false;
        try {
            for (int i = 0; i < poolSize; i++) {
                sessions.add(slot.getToken().openSession(true));
            }
            try {
                sessions.get(0).login(CKU_USER, userPin);
            } catch (PKCS11Exception e) {
                OptionalInt tries = e.getErrorCode() == CKR_PIN_INCORRECT
                        ? triesLeft(sessions.get(0), slot.getSlotID()) : OptionalInt.empty();
                if (e.getErrorCode() == CKR_USER_ALREADY_LOGGED_IN) {
                    throw new TokenException(Reason.BUSY, "Token " + wanted + " is already logged in by another "
                            + "user of " + library + " in this JVM", e);
                }
                throw Errors.map(e, "Login to token " + wanted, tries);
            }
            Pkcs11Token token = new Pkcs11Token(this, slot, wanted,
                    new SessionPool(wanted, sessions, borrowTimeout));
            open.add(token);
            done = true;
            LOG.debug("Logged in to token {} in slot {} with {} sessions", wanted, slot.getSlotID(), poolSize);
            return token;
        } catch (PKCS11Exception e) {
            throw Errors.map(e, "Opening " + poolSize + " sessions on token " + wanted);
        } finally {
            if (!done) {
                for (Session s : sessions) {
                    closeQuietly(s);
                }
                shared.loggedIn.remove(wanted);
            }
        }
    }

    void closed(Pkcs11Token token) {
        open.remove(token);
        shared.loggedIn.remove(token.serial());
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (Pkcs11Token token : List.copyOf(open)) {
            token.close();
        }
        shared.release();
        LOG.debug("Closed driver {} on {}", id, library);
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new TokenException(Reason.CLOSED, "Driver " + id + " on " + library + " was closed");
        }
    }

    private List<Slot> slots() {
        try {
            return List.of(shared.module.getSlotList(true));
        } catch (PKCS11Exception e) {
            throw Errors.map(e, "C_GetSlotList of " + library);
        }
    }

    private java.util.Optional<Slot> slot(long slotId) {
        return slots().stream().filter(s -> s.getSlotID() == slotId).findFirst();
    }

    static org.xipki.pkcs11.wrapper.TokenInfo tokenInfo(Slot slot) throws PKCS11Exception {
        return slot.getToken().getTokenInfo();
    }

    TokenInfo info(Slot slot, OptionalInt triesLeft) throws PKCS11Exception {
        org.xipki.pkcs11.wrapper.TokenInfo info = tokenInfo(slot);
        return new TokenInfo(slot.getSlotID(), info.getLabel().trim(), info.getSerialNumber().trim(),
                info.getManufacturerID().trim(), info.getModel().trim(), flags(info.getFlags()), triesLeft);
    }

    static Set<Flag> flags(long ckf) {
        Set<Flag> flags = EnumSet.noneOf(Flag.class);
        if ((ckf & CKF_TOKEN_INITIALIZED) != 0) {
            flags.add(Flag.INITIALIZED);
        }
        if ((ckf & CKF_USER_PIN_INITIALIZED) != 0) {
            flags.add(Flag.USER_PIN_INITIALIZED);
        }
        if ((ckf & CKF_LOGIN_REQUIRED) != 0) {
            flags.add(Flag.LOGIN_REQUIRED);
        }
        if ((ckf & CKF_USER_PIN_COUNT_LOW) != 0) {
            flags.add(Flag.USER_PIN_COUNT_LOW);
        }
        if ((ckf & CKF_USER_PIN_FINAL_TRY) != 0) {
            flags.add(Flag.USER_PIN_FINAL_TRY);
        }
        if ((ckf & CKF_USER_PIN_LOCKED) != 0) {
            flags.add(Flag.USER_PIN_LOCKED);
        }
        if ((ckf & CKF_USER_PIN_TO_BE_CHANGED) != 0) {
            flags.add(Flag.USER_PIN_TO_BE_CHANGED);
        }
        if ((ckf & CKF_SO_PIN_LOCKED) != 0) {
            flags.add(Flag.SO_PIN_LOCKED);
        }
        if ((ckf & CKF_WRITE_PROTECTED) != 0) {
            flags.add(Flag.WRITE_PROTECTED);
        }
        return flags;
    }

    /** Tries left through the profile, on a session of its own; empty when the driver does not report tries. */
    private OptionalInt triesLeft(Slot slot) {
        if (!capabilities.contains(TokenCapability.PIN_TRIES_REPORTED)) {
            return OptionalInt.empty();
        }
        Session session = null;
        try {
            if (!tokenInfo(slot).isTokenInitialized()) {
                return OptionalInt.empty();
            }
            session = slot.getToken().openSession(false);
            return triesLeft(session, slot.getSlotID());
        } catch (PKCS11Exception e) {
            LOG.debug("No tries left for slot {}: {}", slot.getSlotID(), Errors.name(e.getErrorCode()));
            return OptionalInt.empty();
        } finally {
            if (session != null) {
                closeQuietly(session);
            }
        }
    }

    OptionalInt triesLeft(Session session, long slotId) {
        if (!capabilities.contains(TokenCapability.PIN_TRIES_REPORTED)) {
            return OptionalInt.empty();
        }
        try {
            return profile.userPinTriesLeft(new WrapperSession(session, slotId));
        } catch (RuntimeException e) {
            // the count is a courtesy: failing to read it must not hide the error the caller is reporting
            LOG.debug("{} could not read the tries left on slot {}: {}", profile.name(), slotId, e.toString());
            return OptionalInt.empty();
        }
    }

    static void closeQuietly(Session session) {
        try {
            session.closeSession();
        } catch (PKCS11Exception e) {
            LOG.debug("C_CloseSession failed with {}", Errors.name(e.getErrorCode()));
        }
    }

    /** The standard initialisation, lent to the profile; remembers what identifies the token afterwards. */
    private final class StandardSlot implements Pkcs11Slot {
        final long slotId;
        final String serialBefore;
        final Set<String> serialsBefore;

        StandardSlot(long slotId, String serialBefore, Set<String> serialsBefore) {
            this.slotId = slotId;
            this.serialBefore = serialBefore;
            this.serialsBefore = serialsBefore;
        }

        @Override
        public long slotId() {
            return slotId;
        }

        @Override
        public String library() {
            return library;
        }

        @Override
        public void initializeStandard(char[] soPin, char[] userPin, String label) {
            Slot slot = slot(slotId).orElseThrow(() -> new TokenException(Reason.TOKEN_REMOVED,
                    "The token of slot " + slotId + " is gone"));
            try {
                InitToken.initToken(shared.module, slotId, soPin, label);
            } catch (PKCS11Exception e) {
                throw Errors.map(e, "C_InitToken on slot " + slotId);
            }
            Session session;
            try {
                session = slot.getToken().openSession(true);
            } catch (PKCS11Exception e) {
                if (e.getErrorCode() != CKR_SLOT_ID_INVALID && e.getErrorCode() != CKR_TOKEN_NOT_PRESENT) {
                    throw Errors.map(e, "Opening a session on slot " + slotId);
                }
                session = openOnMovedToken(label);
            }
            try {
                session.login(CKU_SO, soPin);
                try {
                    session.initPIN(userPin);
                } finally {
                    session.logout();
                }
            } catch (PKCS11Exception e) {
                throw Errors.map(e, "Setting the user PIN of the token initialised in slot " + slotId);
            } finally {
                closeQuietly(session);
            }
        }

        private Session openOnMovedToken(String label) {
            for (Slot candidate : slots()) {
                try {
                    org.xipki.pkcs11.wrapper.TokenInfo info = tokenInfo(candidate);
                    String serial = info.getSerialNumber().trim();
                    if (info.isTokenInitialized() && info.getLabel().trim().equals(label)
                            && (serial.equals(serialBefore) || !serialsBefore.contains(serial))) {
                        return candidate.getToken().openSession(true);
                    }
                } catch (PKCS11Exception e) {
                    LOG.debug("Skipping slot {}: {}", candidate.getSlotID(), Errors.name(e.getErrorCode()));
                }
            }
            throw new TokenException(Reason.DEVICE_ERROR, "The token initialised in slot " + slotId
                    + " moved to a slot where it cannot be found by its label '" + label + "'");
        }

        @Override
        public <T> T withSession(Function<Pkcs11Session, T> work) {
            Slot slot = slot(slotId).orElseThrow(() -> new TokenException(Reason.TOKEN_REMOVED,
                    "The token of slot " + slotId + " is gone"));
            Session session;
            try {
                session = slot.getToken().openSession(true);
            } catch (PKCS11Exception e) {
                throw Errors.map(e, "Opening a session on slot " + slotId);
            }
            try {
                return work.apply(new WrapperSession(session, slotId));
            } finally {
                closeQuietly(session);
            }
        }
    }
}
