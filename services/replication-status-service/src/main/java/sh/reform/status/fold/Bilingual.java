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

    // The fold formats on every event: each pattern is parsed once into literal text and argument slots,
    // and formatted by concatenation (MessageFormat.format is slow and, not being thread-safe, needed a lock
    // that the stream threads contended for).
    private static final Map<String, Template> ZH_FORMATS = new ConcurrentHashMap<>();
    private static final Map<String, Template> EN_FORMATS = new ConcurrentHashMap<>();

    private static String format(Map<String, Template> cache, ResourceBundle bundle, Locale locale, String key, String[] args) {
        return cache.computeIfAbsent(key, k -> Template.parse(bundle.getString(k), locale)).format(args);
    }

    /**
     * A message pattern as literal text between {@code {n}} slots, with {@code ''} read as one quote, as
     * MessageFormat reads it. A pattern using more of MessageFormat's syntax (quoted text, typed
     * arguments such as {@code {0,number}}) keeps a MessageFormat, formatted under a lock.
     */
    record Template(String[] literals, int[] slots, MessageFormat fallback) {

        static Template parse(String pattern, Locale locale) {
            java.util.List<String> literals = new java.util.ArrayList<>();
            java.util.List<Integer> slots = new java.util.ArrayList<>();
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < pattern.length(); i++) {
                char ch = pattern.charAt(i);
                if (ch == '\'' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '\'') {
                    text.append('\'');
                    i++;
                } else if (ch == '{') {
                    int close = pattern.indexOf('}', i);
                    String index = close < 0 ? "" : pattern.substring(i + 1, close);
                    if (index.isEmpty() || index.length() > 2 || !index.chars().allMatch(Character::isDigit)) {
                        return new Template(null, null, new MessageFormat(pattern, locale));
                    }
                    literals.add(text.toString());
                    text.setLength(0);
                    slots.add(Integer.parseInt(index));
                    i = close;
                } else if (ch == '\'' || ch == '}') {
                    return new Template(null, null, new MessageFormat(pattern, locale));
                } else {
                    text.append(ch);
                }
            }
            literals.add(text.toString());
            return new Template(literals.toArray(String[]::new), slots.stream().mapToInt(Integer::intValue).toArray(), null);
        }

        String format(String[] args) {
            if (fallback != null) {
                synchronized (fallback) { // MessageFormat is not thread-safe
                    return fallback.format(args);
                }
            }
            StringBuilder out = new StringBuilder(64);
            for (int i = 0; i < slots.length; i++) {
                out.append(literals[i]);
                int slot = slots[i];
                out.append(slot < args.length ? args[slot] : "{" + slot + "}");
            }
            return out.append(literals[slots.length]).toString();
        }
    }
}
