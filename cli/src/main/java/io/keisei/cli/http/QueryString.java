package io.keisei.cli.http;

/** Builds {@code ?a=1&b=x} from the parameters that are set; unset ones (null) are left out. */
public final class QueryString {

    private final StringBuilder s = new StringBuilder();

    public QueryString add(String name, Object value) {
        if (value != null && !value.toString().isEmpty()) {
            s.append(s.length() == 0 ? '?' : '&').append(name).append('=').append(ApiClient.query(value.toString()));
        }
        return this;
    }

    @Override
    public String toString() {
        return s.toString();
    }
}
