package io.cachet.identity.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachet.api.identity.DocumentType;
import io.cachet.api.identity.IdentityCases;
import io.cachet.api.web.Pages;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /identity/documents}: the public page of the accepted identity documents (from the configured catalogue),
 * with the sides to photograph, linked from the identity e-mails and pages. No personal data; cacheable briefly.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(CaseService.DOCUMENTS_PATH)
@HttpWhiteboardServletName("cachet-identity-documents")
public class DocumentsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DocumentsServlet.class);

    private final transient Pages pages;
    private final transient IdentityCases cases;

    @Activate
    public DocumentsServlet(@Reference Pages pages, @Reference IdentityCases cases) {
        this.pages = pages;
        this.cases = cases;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String language = pages.language(req).getLanguage();
        List<DocumentType> types;
        try {
            types = cases.acceptedDocuments();
        } catch (RuntimeException e) {
            LOG.warn("The catalogue of accepted documents is not usable: {}", e.toString());
            resp.setHeader("Retry-After", "600");
            pages.render(req, resp, 503, IdentityPages.NAMESPACE + "/unavailable.ftlh",
                    Map.of("documents", req.getContextPath() + CaseService.DOCUMENTS_PATH));
            return;
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (DocumentType t : types) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", t.id());
            row.put("name", t.name(language));
            row.put("back", t.needsBack());
            row.put("states", String.join(", ", t.issuingStates().stream().sorted().toList()));
            rows.add(row);
        }
        resp.setHeader("Cache-Control", "public, max-age=300");
        pages.render(req, resp, 200, IdentityPages.NAMESPACE + "/documents.ftlh", Map.of("types", rows));
    }
}
