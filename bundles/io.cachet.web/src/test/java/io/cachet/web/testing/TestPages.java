package io.cachet.web.testing;

import java.util.List;
import java.util.function.Supplier;

import io.cachet.api.brand.Brand;
import io.cachet.api.web.PageSource;
import io.cachet.api.web.Pages;
import io.cachet.web.internal.pages.PagesComponent;

/**
 * The real page framework for other modules' tests, without OSGi: their pages render with the real layout,
 * messages and headers. Add the io.cachet.web test-jar (and io.cachet.web itself) in test scope.
 */
public final class TestPages {

    /** The default brand's values, as io.cachet.brand.default has them out of the box. */
    public static final Brand DEFAULT_BRAND = new Brand() {
        @Override
        public String id() {
            return "default";
        }

        @Override
        public String displayName() {
            return "Cachet";
        }

        @Override
        public String primaryColour() {
            return "#0b3d91";
        }

        @Override
        public String supportEmail() {
            return "support@cachet.example";
        }
    };

    private TestPages() {
    }

    /** Pages in the default brand with these sources (the framework's own are always there). */
    public static Pages create(PageSource... sources) {
        return create(() -> DEFAULT_BRAND, sources);
    }

    /** Pages in the brand the supplier gives at each request. */
    public static Pages create(Supplier<Brand> brand, PageSource... sources) {
        return add(PagesComponent.over(brand), sources);
    }

    /**
     * Pages in the active brand, with other brands installed: a request whose {@link Pages#BRAND_ATTRIBUTE} names
     * one of them is shown in it.
     */
    public static Pages create(Brand active, List<Brand> installed, PageSource... sources) {
        return add(PagesComponent.over(() -> active, id -> installed.stream().filter(b -> b.id().equals(id))
                .findFirst().orElse(null)), sources);
    }

    /**
     * The servlet that serves the versioned assets ({@code /assets/...}) of pages made by {@link #create}, for tests
     * that show them to a real browser.
     */
    public static jakarta.servlet.http.HttpServlet assets(Pages pages) {
        return new io.cachet.web.internal.pages.AssetServlet((PagesComponent) pages);
    }

    private static Pages add(PagesComponent pages, PageSource... sources) {
        for (PageSource s : sources) {
            pages.addSource(s);
        }
        return pages;
    }
}
