package io.cachet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import io.cachet.api.signature.SignatureReport;
import io.cachet.signature.launch.Signatures;
import io.cachet.api.signature.TrustedListSource;
import io.cachet.api.signature.TrustedListStatus;
import io.cachet.api.signature.TrustedLists;
import io.cachet.api.signature.ValidationOptions;
import io.cachet.api.signature.ValidationResult;
import io.cachet.api.signature.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code verify}: validates the signatures of a file with EU DSS and prints a short verdict, one line per signature,
 * its errors and warnings, what was changed after signing, and on request DSS's reports. Exit 0 only when valid; 1
 * when invalid, indeterminate or modified after signing; 2 when the file cannot be read as a signed document.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Validate the signatures of a signed PDF, XML, .p7s or .p7m file.",
                "Exit 0 only when every signature is valid, 1 when invalid, indeterminate or modified after"
                        + " signing, 2 on an error."})
final class VerifyCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "The signed file, or the detached signature.")
    Path file;

    @Option(names = "--detached-content", paramLabel = "FILE",
            description = "The signed data of a detached signature (repeat for several).")
    List<Path> detached = new ArrayList<>();

    @Option(names = "--trust", paramLabel = "PEM", description = "Trusted certificates, e.g. the CA's chain.pem "
            + "(repeat for several files). Without it no chain is trusted and the verdict is at best INDETERMINATE.")
    List<Path> trust = new ArrayList<>();

    @Option(names = "--trusted-list", paramLabel = "FILE|URL", description = "An ETSI TS 119 612 trusted list "
            + "whose services are trusted too (repeat for several); needs --trusted-list-signer.")
    List<String> trustedLists = new ArrayList<>();

    @Option(names = "--trusted-list-signer", paramLabel = "PEM", description = "The certificate(s) the trusted "
            + "lists must be signed with (the scheme operator's); a list signed otherwise gives no trust.")
    Path trustedListSigner;

    @Option(names = "--offline", description = "Use only what the signature carries: fetch no certificate, OCSP "
            + "response or CRL.")
    boolean offline;

    @Option(names = "--pdf-password", arity = "0..1", interactive = true, paramLabel = "PASSWORD",
            description = "Password of an encrypted PDF; without a value it is asked.")
    char[] pdfPassword;

    @Option(names = "--reports", paramLabel = "DIR",
            description = "Write DSS's simple and detailed reports and diagnostic data (XML) into DIR.")
    Path reports;

    @Option(names = "--quiet", description = "Do not show DSS's warnings (the verdict, errors and changes made after"
            + " signing are always shown).")
    boolean quiet;

    @Option(names = "--timeout", defaultValue = "20", paramLabel = "SECONDS",
            description = "How long one exchange with an OCSP responder, CRL or AIA server may take (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        List<X509Certificate> anchors = new ArrayList<>();
        for (Path pem : trust) {
            anchors.addAll(Signatures.readCertificates(pem));
        }
        ValidationOptions options = ValidationOptions.trusting(anchors).withPdfPassword(pdfPassword);
        if (!trustedLists.isEmpty()) {
            if (trustedListSigner == null) {
                throw new IllegalArgumentException("--trusted-list needs --trusted-list-signer PEM: a list is only"
                        + " trusted when signed by its scheme operator");
            }
            List<X509Certificate> signers = Signatures.readCertificates(trustedListSigner);
            TrustedLists lists = Signatures.trustedLists(trustedLists.stream()
                    .map(l -> new TrustedListSource(l, signers)).toList(), Duration.ofSeconds(timeoutSeconds));
            for (TrustedListStatus s : lists.status()) {
                out.println("trusted list " + s.location() + ": " + (s.trusted() ? "used (" + s.territory() + ", "
                        + s.services() + " services)" : "NOT used: " + String.join("; ", s.problems())));
            }
            options = options.withTrustedLists(lists);
        }
        if (offline) {
            options = options.offline();
        }
        ValidationResult result;
        try {
            result = Signatures.validator(Duration.ofSeconds(timeoutSeconds)).validate(file, detached, options);
        } finally {
            if (pdfPassword != null) {
                Arrays.fill(pdfPassword, '\0');
            }
        }
        out.println(result.summary());
        for (SignatureReport s : result.signatures()) {
            out.println("  " + s.id() + ": " + s.verdict() + " (" + s.indication()
                    + (s.subIndication() == null ? "" : "/" + s.subIndication()) + "), " + s.format() + ", signed by "
                    + s.signedBy() + (s.claimedSigningTime() == null ? "" : ", claimed " + s.claimedSigningTime())
                    + (s.bestSignatureTime() == null ? "" : ", proven at " + s.bestSignatureTime()));
            for (String e : s.errors()) {
                out.println("    error: " + e);
            }
            for (String c : s.changesAfterSigning()) {
                out.println("    changed after signing: " + c);
            }
            if (!quiet) {
                for (String w : s.warnings()) {
                    out.println("    warning: " + w);
                }
            }
        }
        if (anchors.isEmpty() && trustedLists.isEmpty() && result.verdict() != Verdict.VALID) {
            out.println("hint: nothing is trusted; give the issuing CA's chain with --trust chain.pem");
        }
        if (reports != null) {
            Files.createDirectories(reports);
            Files.writeString(reports.resolve("simple-report.xml"), result.simpleReportXml());
            Files.writeString(reports.resolve("detailed-report.xml"), result.detailedReportXml());
            Files.writeString(reports.resolve("diagnostic-data.xml"), result.diagnosticDataXml());
            out.println("reports written to " + reports);
        }
        out.flush();
        return result.valid() ? 0 : 1;
    }
}
