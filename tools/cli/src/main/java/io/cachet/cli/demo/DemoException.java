package io.cachet.cli.demo;

/** Why the demo stopped, in one line for the person running it. */
public class DemoException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean setup;

    /** @param setup true when nothing could start (server unreachable, key refused): exit code 2 */
    public DemoException(String message, boolean setup) {
        super(message);
        this.setup = setup;
    }

    public DemoException(String message) {
        this(message, false);
    }

    public boolean setup() {
        return setup;
    }
}
