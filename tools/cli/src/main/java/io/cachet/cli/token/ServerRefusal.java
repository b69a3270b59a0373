package io.cachet.cli.token;

/** The server answered a provisioning or activation call with an error: its status and the problem's detail. */
public final class ServerRefusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public ServerRefusal(String what, int status, String detail) {
        super(what + ": the server answered " + status + (detail == null || detail.isBlank() ? "" : ": " + detail));
        this.status = status;
    }

    public int status() {
        return status;
    }
}
