package io.cachet.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.X509ObjectIdentifiers;

import io.cachet.api.token.TokenException;
import io.cachet.api.signature.Level;
import io.cachet.api.signature.Packaging;
import io.cachet.api.signature.SignOptions;
import io.cachet.api.signature.SignResult;
import io.cachet.api.signature.SignatureException;
import io.cachet.api.signature.SignatureFormat;
import io.cachet.signature.launch.Signatures;
import io.cachet.api.signature.Signer;
import io.cachet.api.signature.VisibleSignature;
import io.cachet.token.pkcs11.spi.Pkcs11DriverConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sign}: PAdES, XAdES or CAdES signatures of one or many files with a key in a PKCS#12 file or on a PKCS#11
 * token. The key is opened (and the PIN asked) once for all the files, which are signed {@code --jobs} at a time
 * (default: one per core) and reported in the order given. Exit 0 when every file is signed, 1 when some were
 * refused (each named with why, the others signed), 2 when nothing could start (command line, key, PIN).
 */
@Command(name = "sign", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sign files with a seal key: PDF as PAdES, any file as XAdES or CAdES.",
                "Exit 0 when every file is signed, 1 when some were refused, 2 when nothing could start."})
final class SignCommand implements Callable<Integer> {

    @Option(names = "--in", required = true, arity = "1..*", paramLabel = "FILE",
            description = "File(s) to sign.")
    List<Path> inputs;

    @Option(names = "--out", required = true, paramLabel = "FILE|DIR",
            description = "The signed file, or a directory for the signed files (needed for several inputs).")
    Path out;

    @Option(names = "--key", required = true, paramLabel = "KEY",
            description = "A PKCS#12 file (.p12, .pfx) or an RFC 7512 URI, e.g. 'pkcs11:token=ACME;object=seal'.")
    String key;

    @Option(names = "--module", paramLabel = "LIB", description = "PKCS#11 module of a pkcs11: key, e.g. "
            + "/usr/lib/libeTPkcs11.so (SafeNet Authentication Client).")
    String module;

    @Option(names = "--pin-file", paramLabel = "FILE",
            description = "File whose first line is the PIN (or PKCS#12 password); without it the PIN is asked.")
    Path pinFile;

    @Option(names = "--format", paramLabel = "pades|xades|cades",
            description = "Default: pades for a PDF, cades for any other file.")
    String format;

    @Option(names = "--packaging", paramLabel = "enveloped|enveloping|detached",
            description = "Default: enveloped for PAdES and for XAdES of an XML file, detached otherwise.")
    String packaging;

    @Option(names = "--level", defaultValue = "B", paramLabel = "B|T|LT|LTA",
            description = "Baseline level (default: ${DEFAULT-VALUE}). T and above are time-stamped.")
    String level;

    @Option(names = "--tsa", paramLabel = "URL", description = "RFC 3161 time-stamp authority for T, LT, LTA. "
            + "Default: the TSA of the CA that issued a Cachet certificate (its OCSP address, /tsa instead of /ocsp).")
    URI tsa;

    @Option(names = "--chain", paramLabel = "PEM",
            description = "Issuer certificates to embed (default: the PKCS#12 chain, or found through the AIA).")
    Path chain;

    @Option(names = "--trust", paramLabel = "PEM",
            description = "Trust anchors (e.g. chain.pem of the CA) for the revocation data of LT and LTA.")
    Path trust;

    @Option(names = "--pdf-password", arity = "0..1", interactive = true, paramLabel = "PASSWORD",
            description = "Password of an encrypted PDF; without a value it is asked.")
    char[] pdfPassword;

    @Option(names = "--visible", description = "PAdES: a visible signature (organisation and date) at the bottom"
            + " left of the last page, or where --visible-at says.")
    boolean visible;

    @Option(names = "--visible-at", paramLabel = "PAGE:X,Y[,W,H]", description = "PAdES: page (-1 for the last),"
            + " position from the top left and size in points, e.g. 1:36,700,200,60. Implies --visible.")
    String visibleAt;

    @Option(names = "--logo", paramLabel = "IMAGE", description = "PAdES: a PNG or JPEG logo in the visible"
            + " signature. Implies --visible.")
    Path logo;

    @Option(names = "--certify", description = "PAdES: a certifying signature (DocMDP P=2): afterwards only form"
            + " filling and further signatures are permitted; any other change makes verification fail. Only for a"
            + " PDF not signed yet.")
    boolean certify;

    @Option(names = "--no-revocation-check", description = "Do not check that the signing certificate is not "
            + "revoked before signing (offline signing; the signature may then be refused by relying parties).")
    boolean noRevocationCheck;

    @Option(names = "--timeout", defaultValue = "20", paramLabel = "SECONDS",
            description = "How long one exchange with a TSA, OCSP responder or CRL server may take (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--jobs", paramLabel = "N", description = "How many files are signed at once (default: the"
            + " number of cores). The key is opened and the PIN asked once for all; results are listed in the order"
            + " of the inputs.")
    Integer jobs;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(SignCommand.class.getName());

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        int parallel = jobs();
        List<Job> plan = plan();
        SignOptions base = baseOptions();
        Signer signer = Signatures.signer(java.time.Duration.ofSeconds(timeoutSeconds));
        List<X509Certificate> chainCerts = chain == null ? List.of() : Signatures.readCertificates(chain);
        int[] failed = {0};
        // a PKCS#11 session runs one operation at a time: one session per file signed at once
        int sessions = Math.min(parallel, plan.size());
        try (KeyOpener.OpenedKey opened = KeyOpener.open(key, module, pinFile, chainCerts, sessions)) {
            SignOptions withTsa = base.level().needsTimestamp() && base.tsaUrl() == null
                    ? base.withTsa(defaultTsa(opened.key().certificate(), err)) : base;
            Progress progress = new Progress(err, plan.size());
            Batch.run(plan, parallel, job -> signer.sign(job.input(), job.output(), opened.key(), job.options(withTsa)),
                    new Batch.Report<Job, SignResult>() {
                        @Override
                        public void next(int index, Job job) {
                            progress.starting(index, job.input());
                        }

                        @Override
                        public void outcome(int index, Job job, Batch.Outcome<SignResult> outcome) {
                            if (outcome.failure() == null) {
                                progress.done(index, job.input(), outcome.result().output());
                                return;
                            }
                            failed[0]++;
                            progress.failed(index, job.input(), why(outcome.failure()));
                        }
                    });
            progress.finish(plan.size() - failed[0]);
        } finally {
            if (pdfPassword != null) {
                Arrays.fill(pdfPassword, '\0');
            }
        }
        return failed[0] == 0 ? 0 : 1;
    }

    /** Most files signed at once: a token's session pool has at most this many sessions. */
    static final int MAX_JOBS = Pkcs11DriverConfig.MAX_POOL_SIZE;

    private int jobs() {
        if (jobs == null) {
            return Math.min(Runtime.getRuntime().availableProcessors(), MAX_JOBS);
        }
        if (jobs < 1 || jobs > MAX_JOBS) {
            throw new IllegalArgumentException("--jobs takes how many files to sign at once, 1 to " + MAX_JOBS
                    + ", not " + jobs);
        }
        return jobs;
    }

    /**
     * A refusal is the signer's or the token's own one-line message. Anything else is unexpected: the file is
     * still only that file's failure, and its stack trace goes to the log ({@code --debug} shows it).
     */
    private static String why(RuntimeException failure) {
        if (failure instanceof SignatureException || failure instanceof TokenException) {
            return failure.getMessage();
        }
        LOG.log(java.util.logging.Level.WARNING, "unexpected failure", failure);
        return failure.getMessage() == null ? failure.toString() : failure.getMessage();
    }

    /** One input, where it goes, and what its format and packaging are. */
    private record Job(Path input, Path output, SignatureFormat format, Packaging packaging) {
        SignOptions options(SignOptions base) {
            return new SignOptions(format, packaging, base.level(), base.tsaUrl(), base.visibleSignature(),
                    base.pdfPassword(), base.algorithm(), base.trustAnchors(), base.checkRevocation(),
                    base.certify());
        }
    }

    private List<Job> plan() {
        boolean toDirectory = Files.isDirectory(out);
        if (inputs.size() > 1 && !toDirectory) {
            throw new IllegalArgumentException("several files to sign: --out must be an existing directory, not "
                    + out);
        }
        List<Job> jobs = new ArrayList<>();
        Set<Path> outputs = new HashSet<>();
        for (Path input : inputs) {
            if (!Files.isRegularFile(input)) {
                throw new IllegalArgumentException("no such file to sign: " + input);
            }
            boolean pdf = isPdf(input);
            SignatureFormat f = format == null ? (pdf ? SignatureFormat.PADES : SignatureFormat.CADES)
                    : choice(SignatureFormat.class, format, "--format");
            Packaging p = packaging != null ? choice(Packaging.class, packaging, "--packaging")
                    : f == SignatureFormat.PADES || (f == SignatureFormat.XADES && isXml(input)) ? Packaging.ENVELOPED
                    : Packaging.DETACHED;
            Path output = toDirectory ? out.resolve(outputName(input.getFileName().toString(), f, p)) : out;
            if (!outputs.add(output.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("two inputs would both be signed into " + output);
            }
            jobs.add(new Job(input, output, f, p));
        }
        return jobs;
    }

    /** Names in an output directory: the input's own for PDFs and enveloped XML, else an extension added. */
    static String outputName(String name, SignatureFormat format, Packaging packaging) {
        return switch (format) {
        case PADES -> name;
        case XADES -> packaging == Packaging.ENVELOPED ? name : name + ".xades.xml";
        case CADES -> packaging == Packaging.DETACHED ? name + ".p7s" : name + ".p7m";
        };
    }

    private SignOptions baseOptions() {
        Level l = choice(Level.class, level, "--level");
        SignOptions o = SignOptions.pades(l).withTsa(tsa).withRevocationCheck(!noRevocationCheck)
                .withCertification(certify);
        if (trust != null) {
            o = o.withTrustAnchors(Signatures.readCertificates(trust));
        }
        if (pdfPassword != null) {
            o = o.withPdfPassword(pdfPassword);
        }
        if (visible || visibleAt != null || logo != null) {
            VisibleSignature v = VisibleSignature.defaults();
            if (visibleAt != null) {
                v = position(v, visibleAt);
            }
            if (logo != null) {
                v = v.withLogo(logo);
            }
            o = o.withVisibleSignature(v);
        }
        return o;
    }

    static VisibleSignature position(VisibleSignature v, String spec) {
        String[] pageAndBox = spec.split(":", 2);
        try {
            if (pageAndBox.length != 2) {
                throw new NumberFormatException();
            }
            int page = Integer.parseInt(pageAndBox[0].trim());
            String[] n = pageAndBox[1].split(",");
            if (n.length != 2 && n.length != 4) {
                throw new NumberFormatException();
            }
            VisibleSignature at = v.at(page, Float.parseFloat(n[0].trim()), Float.parseFloat(n[1].trim()));
            return n.length == 4 ? at.withSize(Float.parseFloat(n[2].trim()), Float.parseFloat(n[3].trim())) : at;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--visible-at takes PAGE:X,Y or PAGE:X,Y,WIDTH,HEIGHT in points, e.g."
                    + " 1:36,700,200,60, not '" + spec + "'");
        }
    }

    /**
     * Cachet's CA publishes its TSA beside its OCSP responder ({@code <base>/ocsp}, {@code <base>/tsa}): for a Cachet
     * certificate that is the default; for another CA the TSA must be given.
     */
    static URI defaultTsa(X509Certificate certificate, PrintWriter err) {
        byte[] aia = certificate.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (aia != null) {
            AuthorityInformationAccess access = AuthorityInformationAccess.getInstance(
                    org.bouncycastle.asn1.ASN1OctetString.getInstance(aia).getOctets());
            for (AccessDescription d : access.getAccessDescriptions()) {
                if (d.getAccessMethod().equals(X509ObjectIdentifiers.ocspAccessMethod)
                        && d.getAccessLocation().getTagNo() == GeneralName.uniformResourceIdentifier) {
                    String ocsp = d.getAccessLocation().getName().toString();
                    if (ocsp.endsWith("/ocsp")) {
                        URI tsaUrl = URI.create(ocsp.substring(0, ocsp.length() - "/ocsp".length()) + "/tsa");
                        err.println("time-stamps from " + tsaUrl + " (the issuing CA's; --tsa to choose another)");
                        return tsaUrl;
                    }
                }
            }
        }
        throw new IllegalArgumentException("levels T, LT and LTA need a time-stamp authority: give --tsa URL");
    }

    static <E extends Enum<E>> E choice(Class<E> type, String value, String option) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException(option + " takes " + String.join("|", Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).toList()) + ", not '" + value + "'");
    }

    private static boolean isPdf(Path file) {
        return startsWith(file, "%PDF-");
    }

    private static boolean isXml(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".xml") || startsWith(file, "<?xml");
    }

    private static boolean startsWith(Path file, String magic) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(magic.length());
            return new String(head, java.nio.charset.StandardCharsets.ISO_8859_1).equals(magic);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
