package io.cachet.web.internal.pages;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringWriter;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import freemarker.cache.TemplateLoader;
import freemarker.core.Environment;
import freemarker.core.TemplateClassResolver;
import freemarker.template.Configuration;
import freemarker.template.DefaultObjectWrapperBuilder;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateMethodModelEx;
import freemarker.template.TemplateModel;
import freemarker.template.TemplateModelException;
import freemarker.template.utility.DeepUnwrap;

import io.cachet.api.brand.Brand;
import io.cachet.api.web.PageSource;

/**
 * Templates, messages and assets of the installed page sources, each replaceable by the brand of the page: the
 * active brand, or another installed brand a page is shown in ({@link io.cachet.api.web.Pages#BRAND_ATTRIBUTE}).
 * Plain Java: the OSGi component ({@link PagesComponent}) feeds it sources and the brands, and speaks HTTP.
 *
 * <p>What is read from a brand shown (its FreeMarker configuration and template cache, messages, theme, logo) is
 * kept while that brand is active or installed; everything is dropped when a source comes or goes.
 */
public final class PageEngine {

    /** The framework's own namespace. */
    public static final String CORE = "cachet";
    /** The assets' namespace of the brands: {@code /assets/brand/<id>/<version>/<file>}. */
    static final String BRAND_ASSETS = "brand";
    static final String ASSETS_PATH = "/assets";
    static final Pattern NAMESPACE = Pattern.compile("[a-z0-9][a-z0-9-]{0,40}");
    static final Pattern FILE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,100}");

    private static final Logger LOG = LoggerFactory.getLogger(PageEngine.class);

    private final Supplier<Brand> brand;
    private final Function<String, Brand> installed;
    private final Map<String, PageSource> sources = new ConcurrentHashMap<>();
    /** The state of each brand shown, by id, while it is active or installed: a brand that goes is not kept. */
    private final Map<String, BrandState> states = new ConcurrentHashMap<>();
    private final Map<String, Properties> messages = new ConcurrentHashMap<>();
    private final Map<String, Asset> assets = new ConcurrentHashMap<>();
    private final Set<String> missingKeys = ConcurrentHashMap.newKeySet();

    /** @param brand the brand to show now; never returns null */
    public PageEngine(Supplier<Brand> brand) {
        this(brand, id -> null);
    }

    /**
     * @param brand the active brand, shown unless a page names another; never returns null
     * @param installed the installed brand of an id, or null
     */
    public PageEngine(Supplier<Brand> brand, Function<String, Brand> installed) {
        this.brand = brand;
        this.installed = installed;
        addSource(new CorePages());
    }

    /** The installed brand of this id, else (no id, or no such brand installed) the active one. Never null. */
    public Brand brand(String id) {
        Brand active = brand.get();
        if (id == null || id.equals(active.id())) {
            return active;
        }
        Brand b = installed.apply(id);
        return b == null ? active : b;
    }

    /** Where a page is shown: what the layout's links need. */
    public record Context(String contextPath, String path, String query) {
    }

    public void addSource(PageSource source) {
        String ns = source.namespace();
        if (ns == null || !NAMESPACE.matcher(ns).matches() || ns.equals(BRAND_ASSETS)) {
            LOG.error("Page source {} ignored: its namespace '{}' must be lower case letters, digits and '-' (not '{}')",
                    source.getClass().getName(), ns, BRAND_ASSETS);
            return;
        }
        PageSource before = sources.putIfAbsent(ns, source);
        if (before != null && before != source) {
            LOG.error("Page source {} ignored: namespace '{}' is already {}'s", source.getClass().getName(), ns,
                    before.getClass().getName());
            return;
        }
        changed();
    }

    public void removeSource(PageSource source) {
        if (source.namespace() != null && sources.remove(source.namespace(), source)) {
            changed();
        }
    }

    private void changed() {
        states.clear();
        messages.clear();
        assets.clear();
    }

    /** Renders a template in the active brand, see {@link #render(String, Map, Locale, Context, Brand)}. */
    public String render(String template, Map<String, ?> model, Locale language, Context where)
            throws IOException, TemplateException {
        return render(template, model, language, where, brand.get());
    }

    /**
     * Renders a template in the layout's model.
     *
     * @param b the brand of the page (see {@link #brand(String)})
     * @throws TemplateException a template that fails (missing variable, bad syntax)
     * @throws IOException a template that does not exist or cannot be read
     */
    public String render(String template, Map<String, ?> model, Locale language, Context where, Brand b)
            throws IOException, TemplateException {
        BrandState state = state(b);
        Template t = state.configuration.getTemplate(template);
        Map<String, Object> root = new HashMap<>(model);
        root.put("site", site(b, state, language, where));
        root.put("msg", new MessageMethod(b, language));
        root.put("asset", new AssetMethod(where.contextPath()));
        StringWriter out = new StringWriter(8192);
        Environment env = t.createProcessingEnvironment(root, out);
        env.setLocale(language);
        env.process();
        return out.toString();
    }

    /** A message, see {@link io.cachet.api.web.Pages#message}. */
    public String message(String namespace, String key, Locale language, Object... args) {
        return message(brand.get(), namespace, key, language, args);
    }

    /** A message in the brand {@code b} (see {@link #brand(String)}). */
    public String message(Brand b, String namespace, String key, Locale language, Object... args) {
        String text = lookup(b, namespace, key, language);
        if (text == null && !language.equals(Languages.FRENCH)) {
            text = lookup(b, namespace, key, Languages.FRENCH);
        }
        if (text == null) {
            if (missingKeys.add(key)) {
                LOG.warn("No message '{}' in namespace '{}', in any language", key, namespace);
            }
            return "??" + key + "??";
        }
        for (int i = 0; args != null && i < args.length; i++) {
            text = text.replace("{" + i + "}", String.valueOf(args[i]));
        }
        return text;
    }

    private String lookup(Brand b, String namespace, String key, Locale language) {
        String lang = language.getLanguage();
        String v = state(b).messages(lang).getProperty(key);
        if (v == null && namespace != null && !namespace.equals(CORE)) {
            v = sourceMessages(namespace, lang).getProperty(key);
        }
        return v != null ? v : sourceMessages(CORE, lang).getProperty(key);
    }

    private Properties sourceMessages(String namespace, String lang) {
        return messages.computeIfAbsent(namespace + "_" + lang, k -> {
            PageSource s = sources.get(namespace);
            return s == null ? new Properties() : load(resource(s, "messages_" + lang + ".properties"));
        });
    }

    /**
     * The asset at a path under {@code /assets} ({@code /<namespace>/<version>/<file>}, or
     * {@code /brand/<id>/<version>/<file>} for the theme and logo of the active brand or another installed one),
     * or null.
     */
    public Asset asset(String path) {
        String[] parts = path == null ? new String[0] : path.split("/", -1);
        if (parts.length == 5 && parts[0].isEmpty() && parts[1].equals(BRAND_ASSETS)) {
            Brand b = brand(parts[2]);
            if (!parts[2].equals(b.id())) {
                return null;
            }
            BrandState state = state(b);
            if (parts[4].equals("theme.css")) {
                return state.theme;
            }
            return state.logo != null && parts[4].equals(state.logoName) ? state.logo : null;
        }
        if (parts.length == 4 && parts[0].isEmpty() && FILE.matcher(parts[3]).matches()) {
            return sourceAsset(parts[1], parts[3]);
        }
        return null;
    }

    private Asset sourceAsset(String namespace, String file) {
        PageSource s = sources.get(namespace);
        if (s == null || !FILE.matcher(file).matches()) {
            return null;
        }
        String key = namespace + "/" + file;
        Asset a = assets.get(key);
        if (a == null) {
            a = Asset.read(resource(s, "assets/" + file), file);
            if (a != null) {
                assets.put(key, a);
            }
        }
        return a;
    }

    /** The versioned URL of a source's asset (without the context path), or null when there is no such file. */
    public String assetUrl(String namespace, String file) {
        Asset a = sourceAsset(namespace, file);
        return a == null ? null : ASSETS_PATH + "/" + namespace + "/" + a.version() + "/" + file;
    }

    private Map<String, Object> site(Brand b, BrandState state, Locale language, Context where) {
        String ctx = where.contextPath() == null ? "" : where.contextPath();
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("lang", language.getLanguage());
        Map<String, Object> brandModel = new LinkedHashMap<>();
        brandModel.put("id", b.id());
        brandModel.put("name", b.displayName());
        brandModel.put("supportEmail", b.supportEmail() == null ? "" : b.supportEmail());
        page.put("brand", brandModel);
        page.put("home", ctx + "/");
        page.put("css", ctx + assetUrl(CORE, "cachet.css"));
        page.put("theme", ctx + ASSETS_PATH + "/" + BRAND_ASSETS + "/" + b.id() + "/" + state.theme.version() + "/theme.css");
        if (state.logo != null) {
            page.put("logo", ctx + ASSETS_PATH + "/" + BRAND_ASSETS + "/" + b.id() + "/" + state.logo.version() + "/"
                    + state.logoName);
        }
        // the tab's icon: the brand's logo, else the framework's (browsers ask for /favicon.ico without one)
        page.put("icon", page.containsKey("logo") ? page.get("logo") : ctx + assetUrl(CORE, "icon.svg"));
        List<Map<String, Object>> switches = new ArrayList<>();
        for (Locale l : Languages.SUPPORTED) {
            Map<String, Object> link = new LinkedHashMap<>();
            link.put("code", l.getLanguage());
            link.put("name", Languages.nativeName(l));
            link.put("current", l.equals(language));
            link.put("href", ctx + (where.path() == null ? "/" : where.path()) + switchQuery(where.query(), l));
            switches.add(link);
        }
        page.put("languages", switches);
        return page;
    }

    /** The request's query with {@code lang} set to the language (other parameters kept as they came). */
    static String switchQuery(String query, Locale language) {
        StringBuilder q = new StringBuilder("?lang=").append(language.getLanguage());
        if (query != null) {
            for (String part : query.split("&")) {
                if (!part.isEmpty() && !part.equals("lang") && !part.startsWith("lang=")) {
                    q.append('&').append(part);
                }
            }
        }
        return q.toString();
    }

    private BrandState state(Brand b) {
        BrandState s = states.get(b.id());
        if (s == null || s.brand != b) {
            s = new BrandState(b);
            states.put(b.id(), s);
        }
        if (states.size() > 1) {
            // a brand neither active nor installed any more (its bundle gone, or replaced) is dropped
            Brand active = brand.get();
            states.values().removeIf(o -> o.brand != b && o.brand != active
                    && installed.apply(o.brand.id()) != o.brand);
        }
        return s;
    }

    private static URL resource(PageSource s, String path) {
        try {
            return s.resource(path);
        } catch (RuntimeException e) {
            LOG.warn("Page source '{}' failed to give {}: {}", s.namespace(), path, e.toString());
            return null;
        }
    }

    static Properties load(URL url) {
        Properties p = new Properties();
        if (url != null) {
            try (Reader r = new InputStreamReader(url.openStream(), StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("Messages {} could not be read: {}", url, e.toString());
            }
        }
        return p;
    }

    /** What is read once from a brand. */
    private final class BrandState {
        final Brand brand;
        final Configuration configuration;
        final Map<String, Properties> brandMessages = new ConcurrentHashMap<>();
        final Asset theme;
        final Asset logo;
        final String logoName;

        BrandState(Brand brand) {
            this.brand = brand;
            this.configuration = configuration(brand);
            Map<String, String> colours;
            try {
                colours = brand.colours();
            } catch (RuntimeException e) {
                LOG.warn("Brand '{}' failed to give its colours: {}", brand.id(), e.toString());
                colours = Map.of("primary", brand.primaryColour());
            }
            this.theme = Asset.text(Theme.css(colours), "theme.css");
            URL logoUrl = null;
            try {
                logoUrl = brand.logo();
            } catch (RuntimeException e) {
                LOG.warn("Brand '{}' failed to give its logo: {}", brand.id(), e.toString());
            }
            String name = logoUrl == null ? null : logoUrl.getPath().substring(logoUrl.getPath().lastIndexOf('/') + 1);
            Asset read = name == null ? null : Asset.read(logoUrl, name);
            this.logo = read != null && read.contentType().startsWith("image/") ? read : null;
            this.logoName = logo == null ? null : "logo" + name.substring(name.lastIndexOf('.')).toLowerCase(Locale.ROOT);
        }

        Properties messages(String lang) {
            return brandMessages.computeIfAbsent(lang, l -> {
                try {
                    return load(brand.messages(l));
                } catch (RuntimeException e) {
                    LOG.warn("Brand '{}' failed to give its messages: {}", brand.id(), e.toString());
                    return new Properties();
                }
            });
        }
    }

    private Configuration configuration(Brand b) {
        Configuration c = new Configuration(Configuration.VERSION_2_3_34);
        c.setTemplateLoader(new Loader(b));
        c.setLocalizedLookup(false);
        c.setDefaultEncoding("UTF-8");
        c.setOutputEncoding("UTF-8");
        c.setRecognizeStandardFileExtensions(true); // .ftlh: HTML output format, every ${} escaped
        c.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        c.setLogTemplateExceptions(false);
        c.setWrapUncheckedExceptions(true);
        c.setFallbackOnNullLoopVariable(false);
        c.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        c.setAPIBuiltinEnabled(false);
        c.setTemplateUpdateDelayMilliseconds(Integer.MAX_VALUE); // sources are immutable; a change drops the state
        c.setObjectWrapper(new DefaultObjectWrapperBuilder(Configuration.VERSION_2_3_34).build());
        return c;
    }

    /** Templates by name {@code <namespace>/<file>}: the brand's first, then the namespace's source. */
    private final class Loader implements TemplateLoader {
        private final Brand brand;

        Loader(Brand brand) {
            this.brand = brand;
        }

        @Override
        public Object findTemplateSource(String name) {
            int slash = name.indexOf('/');
            if (slash <= 0 || name.indexOf('/', slash + 1) >= 0 || !name.endsWith(".ftlh")) {
                return null;
            }
            try {
                URL own = brand.template(name);
                if (own != null) {
                    return own;
                }
            } catch (RuntimeException e) {
                LOG.warn("Brand '{}' failed to give template {}: {}", brand.id(), name, e.toString());
            }
            PageSource s = sources.get(name.substring(0, slash));
            return s == null ? null : resource(s, name.substring(slash + 1));
        }

        @Override
        public long getLastModified(Object templateSource) {
            return 0;
        }

        @Override
        public Reader getReader(Object templateSource, String encoding) throws IOException {
            InputStream in = ((URL) templateSource).openStream();
            return new InputStreamReader(in, StandardCharsets.UTF_8);
        }

        @Override
        public void closeTemplateSource(Object templateSource) {
            // nothing kept open
        }
    }

    /** {@code msg(key, args…)}: searches the brand, the main template's namespace, then the framework's. */
    private final class MessageMethod implements TemplateMethodModelEx {
        private final Brand brand;
        private final Locale language;

        MessageMethod(Brand brand, Locale language) {
            this.brand = brand;
            this.language = language;
        }

        @Override
        public Object exec(@SuppressWarnings("rawtypes") List arguments) throws TemplateModelException {
            if (arguments.isEmpty()) {
                throw new TemplateModelException("msg needs a key");
            }
            Object[] args = new Object[arguments.size() - 1];
            for (int i = 1; i < arguments.size(); i++) {
                args[i - 1] = DeepUnwrap.unwrap((TemplateModel) arguments.get(i));
            }
            String key = String.valueOf(DeepUnwrap.unwrap((TemplateModel) arguments.get(0)));
            return message(brand, namespaceOf(Environment.getCurrentEnvironment()), key, language, args);
        }
    }

    /** {@code asset(file)}: the versioned URL of a file of the main template's namespace ({@code assets/<file>}). */
    private final class AssetMethod implements TemplateMethodModelEx {
        private final String contextPath;

        AssetMethod(String contextPath) {
            this.contextPath = contextPath == null ? "" : contextPath;
        }

        @Override
        public Object exec(@SuppressWarnings("rawtypes") List arguments) throws TemplateModelException {
            if (arguments.size() != 1) {
                throw new TemplateModelException("asset needs one file name");
            }
            String file = String.valueOf(DeepUnwrap.unwrap((TemplateModel) arguments.get(0)));
            String ns = namespaceOf(Environment.getCurrentEnvironment());
            String url = assetUrl(ns, file);
            if (url == null) {
                throw new TemplateModelException("No asset " + file + " in namespace " + ns);
            }
            return contextPath + url;
        }
    }

    private static String namespaceOf(Environment env) {
        String name = env == null ? "" : env.getMainTemplate().getName();
        int slash = name.indexOf('/');
        return slash > 0 ? name.substring(0, slash) : CORE;
    }
}
