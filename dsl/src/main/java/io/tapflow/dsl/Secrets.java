package io.tapflow.dsl;

import java.util.regex.Pattern;

/** Masking of secret values for output: passwords and credentials inside connection URIs never reach a user's screen or log. */
public final class Secrets {
    private static final Pattern URI_CREDENTIALS = Pattern.compile("(://)([^:/@]+):([^@/]*)@");

    private Secrets() {}

    /** An env reference stays visible (it is not the secret); anything else becomes {@code ******}, except URI user names. */
    public static String mask(String value) {
        if (value == null || EnvReferences.isReference(value)) {
            return value;
        }
        if (value.contains("://")) {
            return maskUri(value);
        }
        return "******";
    }

    /** {@code mongodb://user:pw@host} becomes {@code mongodb://user:******@host}. */
    public static String maskUri(String uri) {
        return uri == null ? null : URI_CREDENTIALS.matcher(uri).replaceAll("$1$2:******@");
    }
}
