package io.cachet.token.pkcs11.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the wrapper's log to SLF4J. Without it the wrapper prints to standard output; its INFO is chatty
 * (every session opened), so it becomes DEBUG here and its DEBUG becomes TRACE.
 */
final class WrapperLog implements org.xipki.pkcs11.wrapper.Logger {

    private static final Logger LOG = LoggerFactory.getLogger("org.xipki.pkcs11.wrapper");

    @Override
    public void info(String format, Object... arguments) {
        LOG.debug(format, arguments);
    }

    @Override
    public void warn(String format, Object... arguments) {
        LOG.warn(format, arguments);
    }

    @Override
    public void error(String format, Object... arguments) {
        LOG.error(format, arguments);
    }

    @Override
    public void debug(String format, Object... arguments) {
        LOG.trace(format, arguments);
    }

    @Override
    public void trace(String format, Object... arguments) {
        LOG.trace(format, arguments);
    }

    @Override
    public boolean isDebugEnabled() {
        return LOG.isTraceEnabled();
    }

    @Override
    public boolean isInfoEnabled() {
        return LOG.isDebugEnabled();
    }

    @Override
    public boolean isWarnEnabled() {
        return LOG.isWarnEnabled();
    }

    @Override
    public boolean isTraceEnabled() {
        return LOG.isTraceEnabled();
    }
}
