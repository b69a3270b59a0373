package io.cachet.signature.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSBoolean;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSFloat;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSNull;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;

/**
 * What changed in a PDF after each of its signatures, as a reader would see it. PDF allows incremental updates
 * after a signature, and a viewer shows the last revision: an update that covers a page with an annotation,
 * replaces a page's content or adds JavaScript leaves the signature itself intact (its byte range is unchanged),
 * so a signature check alone says valid. This check compares the signed revision of each signature with the whole
 * document and allows only what does not change what is shown or run:
 * <ul>
 * <li>long-term validation data: the /DSS dictionary, document time-stamps, /Metadata, /Extensions, /Version;</li>
 * <li>later signatures: a new signature field and its widget, or an empty signature field signed;</li>
 * <li>form filling, only under a certification signature that permits it (DocMDP P=2 or 3), and annotations only
 * under P=3.</li>
 * </ul>
 * Everything else that differs in the pages (count, content, resources, boxes, rotation, annotations), the form or
 * the catalog is a modification; JavaScript, open and additional actions, launch actions, embedded files and XFA
 * added or changed are reported as active content.
 */
final class ModificationCheck {

    /**
     * What was found after one signature: empty when nothing a reader sees or runs was changed.
     *
     * @param permission the document's DocMDP permission (1, 2, 3), 0 when it is not certified
     */
    record Findings(List<String> changes, int permission) {
        boolean modified() {
            return !changes.isEmpty();
        }
    }

    private static final COSName DOC_MDP = COSName.getPDFName("DocMDP");
    private static final COSName DOC_TIME_STAMP = COSName.getPDFName("DocTimeStamp");
    private static final COSName TRANSFORM_METHOD = COSName.getPDFName("TransformMethod");
    private static final COSName TRANSFORM_PARAMS = COSName.getPDFName("TransformParams");
    private static final COSName REFERENCE = COSName.getPDFName("Reference");
    private static final COSName PERMS = COSName.getPDFName("Perms");
    private static final COSName DSS = COSName.getPDFName("DSS");
    private static final COSName EXTENSIONS = COSName.getPDFName("Extensions");
    private static final COSName XFA = COSName.getPDFName("XFA");
    private static final COSName EMBEDDED_FILES = COSName.getPDFName("EmbeddedFiles");
    private static final COSName OUTPUT_INTENTS = COSName.getPDFName("OutputIntents");

    /** Catalog entries whose change is no modification of the document's content (PAdES extension, metadata). */
    private static final Set<COSName> CATALOG_ALLOWED = Set.of(COSName.TYPE, COSName.PAGES, COSName.ACRO_FORM, DSS,
            COSName.METADATA, EXTENSIONS, COSName.VERSION);
    /** Catalog entries that run something or bring files. */
    private static final Set<COSName> CATALOG_ACTIVE = Set.of(COSName.OPEN_ACTION, COSName.AA, COSName.NAMES,
            COSName.URI);
    /** AcroForm entries a new signature may change. */
    private static final Set<COSName> ACROFORM_ALLOWED = Set.of(COSName.FIELDS, COSName.DR, COSName.SIG_FLAGS,
            COSName.DA);
    /** Keys never followed when comparing: back links to parents and pages (compared on their own). */
    private static final Set<COSName> BACK_LINKS = Set.of(COSName.PARENT, COSName.P);

    private ModificationCheck() {
    }

    /**
     * For each signature (not document time-stamp) of {@code pdf}: the end offset of its signed revision (byte range
     * end) and what changed after it.
     */
    static Map<Long, Findings> check(Path pdf, char[] password) throws IOException {
        Map<Long, Findings> result = new HashMap<>();
        String pw = password == null ? "" : new String(password);
        try (PDDocument last = Loader.loadPDF(new RandomAccessReadBufferedFile(pdf.toFile()), pw)) {
            long length = java.nio.file.Files.size(pdf);
            List<PDSignature> signatures = last.getSignatureDictionaries();
            int permission = certificationPermission(last);
            Digests lastDigests = new Digests();
            for (PDSignature signature : signatures) {
                if (DOC_TIME_STAMP.equals(signature.getCOSObject().getCOSName(COSName.TYPE))) {
                    continue;
                }
                int[] range = signature.getByteRange();
                if (range == null || range.length != 4) {
                    continue; // DSS reports a malformed byte range
                }
                long end = (long) range[2] + range[3];
                if (end <= 0 || end > length) {
                    continue;
                }
                List<String> changes;
                if (end == length) {
                    changes = List.of();
                } else {
                    try (PDDocument signed = Loader.loadPDF(new RandomAccessReadBuffer(head(pdf, end)), pw)) {
                        changes = new Comparison(signed, last, permission, new Digests(), lastDigests).run();
                    } catch (IOException e) {
                        changes = List.of("the signed revision cannot be read to compare it with the document ("
                                + Failures.rootMessage(e) + ")");
                    }
                }
                result.put(end, new Findings(changes, permission));
            }
        }
        return result;
    }

    /** The first {@code length} bytes of {@code file}: a signed revision. */
    private static byte[] head(Path file, long length) throws IOException {
        if (length > Integer.MAX_VALUE - 8) {
            throw new IOException("a signed revision of " + length + " bytes is too large to compare");
        }
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            return in.readNBytes((int) length);
        }
    }

    /** The DocMDP permission of a certification signature (1, 2 or 3), 0 when the document is not certified. */
    static int certificationPermission(PDDocument document) {
        COSDictionary perms = document.getDocumentCatalog().getCOSObject().getCOSDictionary(PERMS);
        COSDictionary signature = perms == null ? null : perms.getCOSDictionary(DOC_MDP);
        if (signature == null) {
            return 0;
        }
        COSArray references = signature.getCOSArray(REFERENCE);
        if (references != null) {
            for (COSBase r : references) {
                COSBase resolved = r instanceof COSObject o ? o.getObject() : r;
                if (resolved instanceof COSDictionary reference
                        && DOC_MDP.equals(reference.getCOSName(TRANSFORM_METHOD))) {
                    COSDictionary params = reference.getCOSDictionary(TRANSFORM_PARAMS);
                    int p = params == null ? 2 : params.getInt(COSName.P, 2);
                    return p >= 1 && p <= 3 ? p : 2;
                }
            }
        }
        return 2;
    }

    /** One signed revision compared with the whole document. */
    private static final class Comparison {
        private final PDDocument signed;
        private final PDDocument last;
        private final int permission;
        private final Digests signedDigests;
        private final Digests lastDigests;
        private final Set<String> changes = new LinkedHashSet<>();

        Comparison(PDDocument signed, PDDocument last, int permission, Digests signedDigests, Digests lastDigests) {
            this.signed = signed;
            this.last = last;
            this.permission = permission;
            this.signedDigests = signedDigests;
            this.lastDigests = lastDigests;
        }

        List<String> run() throws IOException {
            pages();
            catalog();
            form();
            return new ArrayList<>(changes);
        }

        private boolean formFillAllowed() {
            return permission >= 2;
        }

        private boolean annotationsAllowed() {
            return permission == 3;
        }

        private void pages() throws IOException {
            int before = signed.getNumberOfPages();
            int after = last.getNumberOfPages();
            if (before != after) {
                changes.add("pages were " + (after > before ? "added" : "removed") + " (" + before + " signed, "
                        + after + " now)");
            }
            for (int i = 0; i < Math.min(before, after); i++) {
                page(i + 1, signed.getPage(i), last.getPage(i));
            }
        }

        private void page(int number, PDPage before, PDPage after) throws IOException {
            if (!equal(before.getCOSObject().getDictionaryObject(COSName.AA),
                    after.getCOSObject().getDictionaryObject(COSName.AA))) {
                changes.add("page " + number + ": actions run when the page opens or closes (/AA) were added or"
                        + " changed (active content)");
            }
            Set<COSName> skip = Set.of(COSName.ANNOTS, COSName.PARENT, COSName.AA);
            boolean same = Arrays.equals(signedDigests.of(before.getCOSObject(), skip),
                    lastDigests.of(after.getCOSObject(), skip))
                    && equal(before.getResources().getCOSObject(), after.getResources().getCOSObject())
                    && equal(before.getMediaBox().getCOSArray(), after.getMediaBox().getCOSArray())
                    && equal(before.getCropBox().getCOSArray(), after.getCropBox().getCOSArray())
                    && before.getRotation() == after.getRotation();
            if (!same) {
                changes.add("page " + number + ": its content, resources, size or rotation were changed");
            }
            annotations(number, before.getCOSObject().getCOSArray(COSName.ANNOTS),
                    after.getCOSObject().getCOSArray(COSName.ANNOTS));
        }

        private void annotations(int page, COSArray before, COSArray after) throws IOException {
            Map<Object, COSDictionary> old = annotationMap(before);
            Map<Object, COSDictionary> now = annotationMap(after);
            for (Map.Entry<Object, COSDictionary> e : now.entrySet()) {
                COSDictionary annotation = e.getValue();
                COSDictionary previous = old.get(e.getKey());
                String what = describe(annotation);
                if (previous == null) {
                    if (hasActions(annotation)) {
                        changes.add("page " + page + ": " + what + " with an action was added (active content)");
                    } else if (permission == 1 && isSignatureWidget(annotation) && !isTimeStampWidget(annotation)) {
                        changes.add("page " + page + ": a signature was added although the certification (DocMDP"
                                + " P=1) permits no change");
                    } else if (!isSignatureWidget(annotation) && !annotationsAllowed()) {
                        changes.add("page " + page + ": " + what + " was added over the signed page");
                    }
                    continue;
                }
                Set<COSName> skip = Set.of(COSName.PARENT, COSName.P);
                if (Arrays.equals(signedDigests.of(previous, skip), lastDigests.of(annotation, skip))) {
                    continue;
                }
                if (!equal(actions(previous), actions(annotation))) {
                    changes.add("page " + page + ": the actions of " + what + " were added or changed (active"
                            + " content)");
                } else if (isSignatureWidget(annotation) && value(previous) == null && value(annotation) != null) {
                    // an empty signature field signed later
                } else if (isWidget(annotation) && formFillAllowed()) {
                    // form filling permitted by the certification signature
                } else if (!annotationsAllowed()) {
                    changes.add("page " + page + ": " + what + " was changed");
                }
            }
            for (Map.Entry<Object, COSDictionary> e : old.entrySet()) {
                if (!now.containsKey(e.getKey()) && !annotationsAllowed()) {
                    changes.add("page " + page + ": " + describe(e.getValue()) + " was removed");
                }
            }
        }

        private void catalog() throws IOException {
            COSDictionary before = signed.getDocumentCatalog().getCOSObject();
            COSDictionary after = last.getDocumentCatalog().getCOSObject();
            Set<COSName> keys = new TreeSet<>(java.util.Comparator.comparing(COSName::getName));
            keys.addAll(before.keySet());
            keys.addAll(after.keySet());
            for (COSName key : keys) {
                if (CATALOG_ALLOWED.contains(key)
                        || equal(before.getDictionaryObject(key), after.getDictionaryObject(key))) {
                    continue;
                }
                if (key.equals(OUTPUT_INTENTS) && !before.containsKey(key)) {
                    continue; // added with a signature appearance (its colour space), as DSS does
                }
                if (key.equals(COSName.NAMES)) {
                    names(before.getCOSDictionary(COSName.NAMES), after.getCOSDictionary(COSName.NAMES));
                } else if (key.equals(COSName.OPEN_ACTION)) {
                    changes.add("an action run when the document opens (/OpenAction) was added or changed (active"
                            + " content)");
                } else if (key.equals(COSName.AA)) {
                    changes.add("document actions (/AA) were added or changed (active content)");
                } else if (CATALOG_ACTIVE.contains(key)) {
                    changes.add("the document's /" + key.getName() + " was added or changed (active content)");
                } else {
                    changes.add("the document's /" + key.getName() + " was added, removed or changed");
                }
            }
        }

        private void names(COSDictionary before, COSDictionary after) throws IOException {
            Set<COSName> keys = new TreeSet<>(java.util.Comparator.comparing(COSName::getName));
            if (before != null) {
                keys.addAll(before.keySet());
            }
            if (after != null) {
                keys.addAll(after.keySet());
            }
            for (COSName key : keys) {
                if (equal(before == null ? null : before.getDictionaryObject(key),
                        after == null ? null : after.getDictionaryObject(key))) {
                    continue;
                }
                if (key.equals(COSName.JAVA_SCRIPT)) {
                    changes.add("document-level JavaScript (/Names /JavaScript) was added or changed (active"
                            + " content)");
                } else if (key.equals(EMBEDDED_FILES)) {
                    changes.add("embedded files (/Names /EmbeddedFiles) were added or changed (active content)");
                } else {
                    changes.add("the document's /Names /" + key.getName() + " was added, removed or changed");
                }
            }
        }

        private void form() throws IOException {
            COSDictionary before = signed.getDocumentCatalog().getCOSObject().getCOSDictionary(COSName.ACRO_FORM);
            COSDictionary after = last.getDocumentCatalog().getCOSObject().getCOSDictionary(COSName.ACRO_FORM);
            if (after == null) {
                if (before != null) {
                    changes.add("the form (/AcroForm) was removed");
                }
                return;
            }
            Set<COSName> keys = new TreeSet<>(java.util.Comparator.comparing(COSName::getName));
            keys.addAll(after.keySet());
            if (before != null) {
                keys.addAll(before.keySet());
            }
            for (COSName key : keys) {
                if (ACROFORM_ALLOWED.contains(key) || equal(before == null ? null : before.getDictionaryObject(key),
                        after.getDictionaryObject(key))) {
                    continue;
                }
                changes.add(key.equals(XFA) ? "an XFA form was added or changed (active content)"
                        : "the form's /" + key.getName() + " was added, removed or changed");
            }
            Map<String, COSDictionary> old = new HashMap<>();
            fields(before == null ? null : before.getCOSArray(COSName.FIELDS), "", old, 0);
            Map<String, COSDictionary> now = new HashMap<>();
            fields(after.getCOSArray(COSName.FIELDS), "", now, 0);
            for (Map.Entry<String, COSDictionary> e : now.entrySet()) {
                COSDictionary field = e.getValue();
                COSDictionary previous = old.get(e.getKey());
                boolean signatureField = COSName.SIG.equals(field.getCOSName(COSName.FT));
                if (!equal(previous == null ? null : previous.getDictionaryObject(COSName.AA),
                        field.getDictionaryObject(COSName.AA))) {
                    changes.add("form field '" + e.getKey() + "': its actions (/AA) were added or changed (active"
                            + " content)");
                }
                if (previous == null) {
                    if (!signatureField && !annotationsAllowed()) {
                        changes.add("form field '" + e.getKey() + "' was added");
                    }
                } else if (!equal(previous.getDictionaryObject(COSName.V), field.getDictionaryObject(COSName.V))) {
                    boolean signing = signatureField && previous.getDictionaryObject(COSName.V) == null;
                    if (!signing && !(formFillAllowed() && !signatureField)) {
                        changes.add("form field '" + e.getKey() + "' was changed");
                    }
                }
            }
            for (String name : old.keySet()) {
                if (!now.containsKey(name)) {
                    changes.add("form field '" + name + "' was removed");
                }
            }
        }

        /** Terminal fields by fully qualified name. */
        private static void fields(COSArray kids, String prefix, Map<String, COSDictionary> into, int depth) {
            if (kids == null || depth > 32) {
                return;
            }
            int index = 0;
            for (COSBase kid : kids) {
                index++;
                COSBase resolved = kid instanceof COSObject o ? o.getObject() : kid;
                if (!(resolved instanceof COSDictionary field)) {
                    continue;
                }
                String partial = field.getString(COSName.T);
                String name = partial == null ? prefix + "#" + index
                        : prefix.isEmpty() ? partial : prefix + "." + partial;
                COSArray children = field.getCOSArray(COSName.KIDS);
                boolean hasFieldKids = false;
                if (children != null) {
                    for (COSBase c : children) {
                        COSBase r = c instanceof COSObject o ? o.getObject() : c;
                        if (r instanceof COSDictionary d && d.containsKey(COSName.T)) {
                            hasFieldKids = true;
                        }
                    }
                }
                if (hasFieldKids) {
                    fields(children, name, into, depth + 1);
                } else {
                    into.put(name, field);
                }
            }
        }

        private boolean equal(COSBase before, COSBase after) throws IOException {
            return Arrays.equals(signedDigests.of(before, Set.of()), lastDigests.of(after, Set.of()));
        }
    }

    /** Annotations by object number (indirect) or position (direct). */
    private static Map<Object, COSDictionary> annotationMap(COSArray annotations) {
        Map<Object, COSDictionary> map = new java.util.LinkedHashMap<>();
        if (annotations == null) {
            return map;
        }
        int index = 0;
        for (COSBase entry : annotations) {
            COSBase resolved = entry instanceof COSObject o ? o.getObject() : entry;
            if (resolved instanceof COSDictionary d) {
                COSObjectKey key = entry instanceof COSObject o ? o.getKey() : d.getKey();
                map.put(key != null ? key : "direct#" + index, d);
            }
            index++;
        }
        return map;
    }

    private static String describe(COSDictionary annotation) {
        COSName subtype = annotation.getCOSName(COSName.SUBTYPE);
        return "an annotation" + (subtype == null ? "" : " (/" + subtype.getName() + ")");
    }

    private static boolean isWidget(COSDictionary annotation) {
        return COSName.WIDGET.equals(annotation.getCOSName(COSName.SUBTYPE));
    }

    /** A widget of a signature field whose value is a signature or a document time-stamp. */
    private static boolean isSignatureWidget(COSDictionary annotation) {
        if (!isWidget(annotation)) {
            return false;
        }
        COSDictionary field = annotation;
        for (int i = 0; i < 32 && field != null && !field.containsKey(COSName.FT); i++) {
            field = field.getCOSDictionary(COSName.PARENT);
        }
        if (field == null || !COSName.SIG.equals(field.getCOSName(COSName.FT))) {
            return false;
        }
        COSDictionary v = field.getCOSDictionary(COSName.V);
        return v != null && (COSName.SIG.equals(v.getCOSName(COSName.TYPE))
                || DOC_TIME_STAMP.equals(v.getCOSName(COSName.TYPE)) || v.containsKey(COSName.BYTERANGE));
    }

    /** A widget of a document time-stamp (PAdES-LTA), which PAdES allows even under DocMDP P=1. */
    private static boolean isTimeStampWidget(COSDictionary annotation) {
        COSDictionary v = value(annotation);
        return v != null && DOC_TIME_STAMP.equals(v.getCOSName(COSName.TYPE));
    }

    private static COSDictionary value(COSDictionary annotation) {
        COSDictionary field = annotation;
        for (int i = 0; i < 32 && field != null && !field.containsKey(COSName.FT); i++) {
            field = field.getCOSDictionary(COSName.PARENT);
        }
        return field == null ? null : field.getCOSDictionary(COSName.V);
    }

    private static boolean hasActions(COSDictionary annotation) {
        return annotation.containsKey(COSName.A) || annotation.containsKey(COSName.AA);
    }

    private static COSArray actions(COSDictionary annotation) {
        COSArray a = new COSArray();
        a.add(annotation.getDictionaryObject(COSName.A));
        a.add(annotation.getDictionaryObject(COSName.AA));
        return a;
    }

    /**
     * SHA-256 of a canonical form of a COS object and everything it refers to (dictionaries with sorted keys,
     * streams by their raw bytes), so that two revisions can be compared whatever their object numbers and
     * layout. Back links ({@code /Parent}, {@code /P}) are not followed; other cycles are cut at the ancestor.
     */
    private static final class Digests {
        private final Map<COSBase, byte[]> memo = new IdentityHashMap<>();
        private final List<COSBase> stack = new ArrayList<>();
        private int lowestBackReference = Integer.MAX_VALUE;

        byte[] of(COSBase object, Set<COSName> skipAtTop) throws IOException {
            MessageDigest md = sha256();
            write(md, object, skipAtTop);
            return md.digest();
        }

        private void write(MessageDigest md, COSBase object, Set<COSName> skip) throws IOException {
            COSBase o = object instanceof COSObject ref ? ref.getObject() : object;
            if (o == null || o instanceof COSNull) {
                md.update((byte) 'n');
                return;
            }
            if (o instanceof COSBoolean b) {
                md.update(b.getValue() ? (byte) 'T' : (byte) 'F');
            } else if (o instanceof COSInteger i) {
                text(md, "i" + i.longValue());
            } else if (o instanceof COSFloat f) {
                text(md, "f" + f.floatValue());
            } else if (o instanceof COSName n) {
                text(md, "/" + n.getName());
            } else if (o instanceof COSString s) {
                md.update((byte) 's');
                md.update(ByteBuffer.allocate(4).putInt(s.getBytes().length).array());
                md.update(s.getBytes());
            } else if (o instanceof COSArray || o instanceof COSDictionary) {
                int ancestor = identityIndex(o);
                if (ancestor >= 0) {
                    lowestBackReference = Math.min(lowestBackReference, ancestor);
                    text(md, "cycle" + (stack.size() - ancestor));
                    return;
                }
                byte[] known = skip.isEmpty() ? memo.get(o) : null;
                if (known != null) {
                    md.update(known);
                    return;
                }
                int depth = stack.size();
                int outer = lowestBackReference;
                lowestBackReference = Integer.MAX_VALUE;
                stack.add(o);
                MessageDigest inner = sha256();
                try {
                    if (o instanceof COSArray array) {
                        text(inner, "[" + array.size());
                        for (COSBase element : array) {
                            write(inner, element, Set.of());
                        }
                    } else {
                        dictionary(inner, (COSDictionary) o, skip);
                    }
                } finally {
                    stack.remove(stack.size() - 1);
                }
                byte[] digest = inner.digest();
                if (skip.isEmpty() && lowestBackReference >= depth) {
                    memo.put(o, digest);
                }
                lowestBackReference = Math.min(outer, lowestBackReference);
                md.update(digest);
            } else {
                text(md, "?" + o.getClass().getSimpleName());
            }
        }

        private int identityIndex(COSBase o) {
            for (int i = 0; i < stack.size(); i++) {
                if (stack.get(i) == o) {
                    return i;
                }
            }
            return -1;
        }

        private void dictionary(MessageDigest md, COSDictionary dictionary, Set<COSName> skip) throws IOException {
            Set<COSName> keys = new TreeSet<>(java.util.Comparator.comparing(COSName::getName));
            keys.addAll(dictionary.keySet());
            text(md, dictionary instanceof COSStream ? "stream<<" : "<<");
            for (COSName key : keys) {
                if (skip.contains(key) || BACK_LINKS.contains(key)
                        || (dictionary instanceof COSStream && key.equals(COSName.LENGTH))) {
                    continue;
                }
                text(md, "/" + key.getName());
                write(md, dictionary.getItem(key), Set.of());
            }
            if (dictionary instanceof COSStream stream) {
                MessageDigest content = sha256();
                try (InputStream in = stream.createRawInputStream()) {
                    byte[] buffer = new byte[8192];
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        content.update(buffer, 0, n);
                    }
                }
                md.update(content.digest());
            }
        }

        private static void text(MessageDigest md, String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            md.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
            md.update(bytes);
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
