package io.cachet.web.internal.pages;

import io.cachet.api.web.PageSource;

/** The framework's own templates, messages and assets: the layout, the home page, errors, the stylesheet. */
final class CorePages implements PageSource {

    @Override
    public String namespace() {
        return PageEngine.CORE;
    }
}
