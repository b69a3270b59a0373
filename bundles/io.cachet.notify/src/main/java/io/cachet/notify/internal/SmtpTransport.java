package io.cachet.notify.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.Date;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.cachet.api.notify.NotificationRecord;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * E-mail over SMTP with Jakarta Mail (Eclipse Angus Mail): one connection per message, bounded by time limits.
 * Refusals with a 5xx SMTP reply and malformed addresses are permanent; everything else (4xx, network, time-out,
 * authentication) is tried again later. Thread-safe.
 */
public final class SmtpTransport implements Transport {

    /** How the connection is protected. */
    public enum Security {
        /** Plain SMTP, then STARTTLS, which is required (the server must offer it). Usually port 587. */
        STARTTLS,
        /** TLS from the first byte (SMTPS). Usually port 465. */
        TLS,
        /** No encryption at all: only for a relay on this machine or a test server. */
        NONE;

        static Security parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("smtpSecurity must be starttls, tls or none, not '" + value + "'");
            }
        }
    }

    /** Settings; {@code password} is the clear secret, kept only in memory. */
    public record Settings(String host, int port, Security security, String user, char[] password, String from,
            Duration timeout) {
    }

    private static final Pattern SMTP_REPLY = Pattern.compile("^\\s*([245])\\d\\d[ -]");

    private final Session session;
    private final String protocol;
    private final String host;
    private final int port;
    private final String user;
    private final char[] password;
    private final InternetAddress from;

    public SmtpTransport(Settings s) {
        if (s.host() == null || s.host().isBlank()) {
            throw new IllegalArgumentException("smtpHost is required when emailTransport is smtp");
        }
        if (s.port() < 1 || s.port() > 65535) {
            throw new IllegalArgumentException("smtpPort must be 1-65535, not " + s.port());
        }
        try {
            this.from = new InternetAddress(s.from(), true);
        } catch (AddressException e) {
            throw new IllegalArgumentException("from must be an e-mail address such as 'Cachet <no-reply@example.org>',"
                    + " not '" + s.from() + "'");
        }
        this.protocol = s.security() == Security.TLS ? "smtps" : "smtp";
        this.host = s.host().trim();
        this.port = s.port();
        this.user = s.user() == null || s.user().isBlank() ? null : s.user().trim();
        this.password = s.password() == null ? new char[0] : s.password().clone();
        String p = "mail." + protocol + ".";
        Properties props = new Properties();
        String millis = Long.toString(s.timeout().toMillis());
        props.setProperty(p + "host", host);
        props.setProperty(p + "port", Integer.toString(port));
        props.setProperty(p + "connectiontimeout", millis);
        props.setProperty(p + "timeout", millis);
        props.setProperty(p + "writetimeout", millis);
        props.setProperty(p + "auth", Boolean.toString(user != null));
        props.setProperty(p + "from", from.getAddress());
        if (s.security() == Security.STARTTLS) {
            props.setProperty(p + "starttls.enable", "true");
            props.setProperty(p + "starttls.required", "true");
        }
        if (s.security() != Security.NONE) {
            props.setProperty(p + "ssl.checkserveridentity", "true");
            props.setProperty(p + "ssl.protocols", "TLSv1.3 TLSv1.2");
        }
        // Jakarta Mail finds its implementation (Angus) with ServiceLoader: in OSGi through SPI Fly
        this.session = Session.getInstance(props);
    }

    @Override
    public DeliveryResult deliver(NotificationRecord m) {
        try {
            MimeMessage mail = new StableIdMessage(session, "<" + m.id() + "@cachet.notify>");
            mail.setFrom(from);
            mail.setRecipients(Message.RecipientType.TO, InternetAddress.parse(m.recipient(), true));
            mail.setSubject(m.subject(), "UTF-8");
            mail.setText(m.body(), "UTF-8");
            mail.setSentDate(new Date());
            mail.setHeader("Content-Language", m.language());
            mail.saveChanges();
            try (jakarta.mail.Transport t = session.getTransport(protocol)) {
                if (user != null) {
                    t.connect(host, port, user, new String(password));
                } else {
                    t.connect();
                }
                t.sendMessage(mail, mail.getAllRecipients());
            }
            return DeliveryResult.sent();
        } catch (AddressException e) {
            return DeliveryResult.permanent("malformed address: " + oneLine(e.getMessage()));
        } catch (AuthenticationFailedException e) {
            return DeliveryResult.retry("SMTP authentication failed at " + host + ":" + port
                    + " (check smtpUser and the password file)");
        } catch (MessagingException e) {
            return classify(e, host + ":" + port);
        } catch (RuntimeException e) {
            return DeliveryResult.retry("SMTP " + host + ":" + port + ": " + oneLine(rootMessage(e)));
        }
    }

    /**
     * A failure the server answered with a 5xx reply, or addresses it refused with no reply to tell, is permanent;
     * anything else (4xx, network, time-out, TLS) may pass later.
     */
    static DeliveryResult classify(MessagingException e, String server) {
        String reply = smtpReply(e);
        boolean permanent = reply != null && reply.startsWith("5")
                || reply == null && e instanceof SendFailedException sf && sf.getInvalidAddresses() != null
                        && sf.getInvalidAddresses().length > 0;
        String what = "SMTP " + server + ": " + (reply != null ? reply : oneLine(rootMessage(e)));
        return permanent ? DeliveryResult.permanent(what) : DeliveryResult.retry(what);
    }

    /** Wipes the password kept in memory. */
    public void close() {
        Arrays.fill(password, '\0');
    }

    /** The first SMTP reply line ({@code 550 5.1.1 ...}) in the exception chain, if any. */
    static String smtpReply(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MessagingException me && me.getNextException() != null && me.getNextException() != t.getCause()) {
                String inner = smtpReply(me.getNextException());
                if (inner != null) {
                    return inner;
                }
            }
            String message = t.getMessage();
            if (message != null) {
                Matcher m = SMTP_REPLY.matcher(message);
                if (m.find() && !m.group(1).equals("2")) {
                    return oneLine(message);
                }
            }
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    static String oneLine(String s) {
        String line = s == null ? "" : s.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
        return NotificationQueue.truncate(line, 300);
    }

    /** A message whose Message-ID is the notification's, so that a retry after a lost answer can be recognised. */
    private static final class StableIdMessage extends MimeMessage {
        private final String messageId;

        StableIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
