package sh.reform.status.fold;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A text in Simplified Chinese and English, from the {@code messages} bundles of this package.
 * The status record carries both languages, so both are resolved here rather than by the reader.
 */
record Bilingual(String zh, String en) {

    private static final String BUNDLE = "sh.reform.status.fold.messages";
    // No fallback: on a server whose default locale is zh_CN, an English lookup must not quietly return Chinese.
    private static final ResourceBundle.Control EXACT =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);
    private static final ResourceBundle ZH = ResourceBundle.getBundle(BUNDLE, Locale.CHINESE, EXACT);
    private static final ResourceBundle EN = ResourceBundle.getBundle(BUNDLE, Locale.ENGLISH, EXACT);

    /** The message {@code key} in both languages; arguments are inserted as text (no locale number formatting). */
    static Bilingual of(String key, Object... args) {
        String[] text = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            text[i] = String.valueOf(args[i]);
        }
        return new Bilingual(format(ZH_FORMATS, ZH, Locale.CHINESE, key, text), format(EN_FORMATS, EN, Locale.ENGLISH, key, text));
    }

    // Parsing a pattern costs more than formatting it, and the fold formats on every event: parsed once per key.
    private static final Map<String, MessageFormat> ZH_FORMATS = new ConcurrentHashMap<>();
    private static final Map<String, MessageFormat> EN_FORMATS = new ConcurrentHashMap<>();

    private static String format(Map<String, MessageFormat> cache, ResourceBundle bundle, Locale locale, String key, Object[] args) {
        MessageFormat f = cache.computeIfAbsent(key, k -> new MessageFormat(bundle.getString(k), locale));
        synchronized (f) { // MessageFormat is not thread-safe
            return f.format(args);
        }
    }
}
