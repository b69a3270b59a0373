package io.cachet.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.cachet.api.audit.AuditAnchorSigner;
import io.cachet.api.audit.AuditVerification;
import io.cachet.api.audit.AuditLog;
import io.cachet.audit.launch.AuditLogs;
import io.cachet.signature.launch.Signatures;
import io.cachet.store.launch.LocalDatabase;
import io.cachet.tsa.launch.TimeStamping;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code audit verify}: checks the hash chain and the anchors of a data directory's audit log, offline. */
@Command(name = "audit", description = "Audit log tools.", subcommands = AuditCommand.Verify.class,
        mixinStandardHelpOptions = true)
final class AuditCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        new picocli.CommandLine(this).usage(System.out);
        return 0;
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verify the audit chain, its anchors and the anchor journal. Exit 0 when intact, 1 when "
                    + "tampered with, 2 on an error. Needs no master key: only the public anchor key and the CA chain.")
    static final class Verify implements Callable<Integer> {

        @Option(names = "--data", defaultValue = "cachet-data", description = "Cachet data directory (default: ${DEFAULT-VALUE})")
        Path data;

        @Option(names = "--journal", paramLabel = "FILE", description = "Anchor journal to check the database "
                + "against, e.g. the copy a remote witness received (default: DATA/audit/anchors.journal)")
        Path journal;

        @Override
        public Integer call() {
            Path dir = data.toAbsolutePath();
            Path journalFile = journal != null ? journal.toAbsolutePath() : AuditLogs.journalIn(dir);
            if (journal != null && !Files.isRegularFile(journalFile)) {
                throw new IllegalArgumentException("No anchor journal at " + journalFile + "; give an existing file "
                        + "with --journal, or leave it out to use DATA/audit/anchors.journal.");
            }
            try (LocalDatabase db = DataDirectory.open(dir)) {
                // the public key only: the private key is sealed with the master key, which verifying never needs
                Path keys = dir.resolve("keys");
                List<AuditAnchorSigner> signers = new ArrayList<>();
                AuditLogs.localAnchorVerifier(keys).ifPresentOrElse(signers::add, () -> System.out
                        .println("warning: no anchor key in " + keys + "; local anchors cannot be checked"));
                // anchors time-stamped by the CA's TSA are checked against the CA chain the server published
                Path chain = keys.resolve("ca-chain.pem");
                if (Files.exists(chain)) {
                    List<X509Certificate> cas = Signatures.readCertificates(chain);
                    signers.add(TimeStamping.anchorSigner(null, () -> cas));
                }
                AuditLog log = AuditLogs.verifier(db, signers, journalFile);
                AuditVerification v = log.verify();
                System.out.printf("%d records, %d anchors checked%n", v.recordsChecked(), v.anchorsChecked());
                for (AuditVerification.Problem p : v.problems()) {
                    System.out.printf("  %-14s at record %d: %s%n", p.kind(), p.sequence(), p.message());
                }
                for (String w : v.warnings()) {
                    System.out.println("warning: " + w);
                }
                if (v.unanchoredRecords() > 0) {
                    System.out.printf("warning: %d record(s) after the last anchor are not yet anchored: deleting them "
                            + "would go unnoticed until the next anchor%n", v.unanchoredRecords());
                }
                System.out.println(v.intact() ? "INTACT" : "TAMPERED: " + v.problems().size() + " problem(s)");
                return v.intact() ? 0 : 1;
            }
        }
    }
}
