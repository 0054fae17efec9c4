package sh.reform.shared.web;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;

/** The platform's generic problem titles and details, from the bundle {@code problems*.properties}: Chinese first, English second. */
public final class ProblemTexts {

    private static final ResourceBundle ZH = ResourceBundle.getBundle("sh.reform.shared.web.problems", Locale.ROOT);
    private static final ResourceBundle EN = ResourceBundle.getBundle("sh.reform.shared.web.problems", Locale.ENGLISH);

    private ProblemTexts() {
    }

    public static String zh(String key, Object... args) {
        return MessageFormat.format(ZH.getString(key), args);
    }

    public static String en(String key, Object... args) {
        return MessageFormat.format(EN.getString(key), args);
    }
}
