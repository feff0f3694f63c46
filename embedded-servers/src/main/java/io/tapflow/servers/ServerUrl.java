package io.tapflow.servers;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Address and credentials of an external server, given as {@code scheme://user:password@host:port}. */
record ServerUrl(String user, String password, String host, int port) {

    /** Reads the URL from an environment variable; empty when the variable is unset or blank. */
    static Optional<ServerUrl> fromEnvironment(String variable, String scheme) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(parse(variable, scheme, value.strip()));
    }

    /**
     * Parses {@code value}; user and password may be percent-encoded. Errors never quote the value, since it holds a
     * password.
     */
    static ServerUrl parse(String variable, String scheme, String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw invalid(variable, scheme);
        }
        String userInfo = uri.getRawUserInfo();
        if (!scheme.equals(uri.getScheme()) || userInfo == null || uri.getHost() == null || uri.getPort() < 0) {
            throw invalid(variable, scheme);
        }
        int colon = userInfo.indexOf(':');
        String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
        String password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
        return new ServerUrl(user, password, uri.getHost(), uri.getPort());
    }

    /** Masks the password: these URLs end up in test logs. */
    @Override
    public String toString() {
        return user + ":***@" + host + ":" + port;
    }

    private static String decode(String part) {
        // URLDecoder decodes forms, where '+' means a space; in a URL's user info it is a plain '+'.
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static IllegalArgumentException invalid(String variable, String scheme) {
        return new IllegalArgumentException(variable + " must look like " + scheme
                + "://user:password@host:port (percent-encode special characters in user and password);"
                + " its value is not shown because it contains a password");
    }
}
