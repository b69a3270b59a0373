package io.cachet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;

/** How the demo signs with the token it provisioned: the {@code sign} command itself, then {@code verify}. */
public final class DemoSigning {

    private DemoSigning() {
    }

    /** The {@code sign} command with the token's key, then {@code verify} against the CA's chain: a problem or null. */
    public static String signAndCheck(Path in, Path out, String tokenUri, String module, char[] pin, Path trust) {
        Path pinFile = null;
        try {
            pinFile = java.nio.file.Files.createTempFile(out.getParent(), "holder-pin", ".tmp");
            java.nio.file.Files.writeString(pinFile, new String(pin) + "\n");
            java.io.StringWriter log = new java.io.StringWriter();
            PrintWriter to = new PrintWriter(log, true);
            int signed = CachetCli.run(to, to, "sign", "--in", in.toString(), "--out", out.toString(), "--key",
                    tokenUri, "--module", module, "--pin-file", pinFile.toString());
            if (signed != 0) {
                return "sign ended with " + signed + ": " + log.toString().strip();
            }
            if (trust == null) {
                return null;
            }
            java.io.StringWriter report = new java.io.StringWriter();
            PrintWriter r = new PrintWriter(report, true);
            int verified = CachetCli.run(r, r, "verify", out.toString(), "--trust", trust.toString(), "--quiet");
            return verified == 0 ? null : "verify ended with " + verified + ": " + report.toString().strip();
        } catch (java.io.IOException e) {
            return e.getMessage();
        } finally {
            if (pinFile != null) {
                try {
                    java.nio.file.Files.deleteIfExists(pinFile);
                } catch (java.io.IOException e) {
                    // a temporary file in the demo's folder
                }
            }
        }
    }
}
