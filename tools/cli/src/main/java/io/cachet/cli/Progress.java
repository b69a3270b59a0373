package io.cachet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * What {@code sign} shows while it works: for several files on a terminal, a bar redrawn in place; otherwise (one
 * file, or output to a log) one line per file. Failures are always a line of their own, naming the file and why.
 */
final class Progress {
    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final int total;
    private final boolean bar;
    private boolean barShown;

    Progress(PrintWriter out, int total) {
        this(out, total, total > 1 && System.console() != null);
    }

    Progress(PrintWriter out, int total, boolean bar) {
        this.out = out;
        this.total = total;
        this.bar = bar;
    }

    void starting(int index, Path input) {
        if (bar) {
            draw(index, input.getFileName().toString());
        }
    }

    void done(int index, Path input, Path output) {
        if (bar) {
            draw(index + 1, input.getFileName().toString());
        } else {
            out.println((total > 1 ? "[" + (index + 1) + "/" + total + "] " : "") + "signed " + input + " -> "
                    + output);
            out.flush();
        }
    }

    void failed(int index, Path input, String why) {
        clearBar();
        out.println((total > 1 ? "[" + (index + 1) + "/" + total + "] " : "") + "cachet-cli: " + input
                + " not signed: " + why);
        out.flush();
    }

    void finish(int signed) {
        clearBar();
        if (total > 1 || signed < total) {
            out.println("signed " + signed + " of " + total + (total == 1 ? " file" : " files"));
            out.flush();
        }
    }

    private void draw(int done, String name) {
        int filled = done * WIDTH / total;
        String shown = name.length() > 40 ? name.substring(0, 37) + "..." : name;
        out.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + done + "/" + total + " "
                + shown + " ".repeat(40 - shown.length()));
        out.flush();
        barShown = true;
    }

    private void clearBar() {
        if (barShown) {
            out.print("\r" + " ".repeat(WIDTH + 60) + "\r");
            out.flush();
            barShown = false;
        }
    }
}
